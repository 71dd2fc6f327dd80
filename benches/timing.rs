//! Cost of the timing model per retired instruction: `CoreModel::retire`
//! over a pre-built stream of events with a typical integer mix (about
//! 45% ALU, 20% loads, 10% stores, 13% branches, 4% jumps, 4% mul, 1%
//! div, 3% FP), mostly cache hits, a loop-like branch pattern and a page
//! walk every 1000 instructions. `random/*` draws every instruction's
//! class at random (the host mispredicts the model's dispatch: a worst
//! case); `loop/*` repeats a 64-instruction body of the same mix, as hot
//! loops do; `alu-chain` is dependent adds; `baseline` is the harness
//! alone. Must stay a few nanoseconds per instruction.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pagewalk::timing::{presets, CoreModel, InsnClass, InsnEvent, MemAccess, TlbOutcome, F0};
use std::hint::black_box;

const N: usize = 1024;

/// xorshift64* for a fixed, reproducible mix.
fn rng(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn mix() -> Vec<InsnEvent> {
    let mut s = 0x1234_5678_9ABC_DEF1u64;
    let mut pc = 0x8000_0000u64;
    let mut out = Vec::with_capacity(N);
    for i in 0..N {
        let r = rng(&mut s);
        let reg = |k: u64| (1 + (r >> k) % 31) as u8;
        let (rd, rs1, rs2) = (reg(8), reg(16), reg(24));
        let pct = r % 100;
        let mem = |store: bool| {
            Some(MemAccess {
                // A 32 KiB working set, 8-byte strides: mostly hits.
                pa: 0x8100_0000 + ((r >> 32) % 4096) * 8,
                size: 8,
                store,
            })
        };
        let mut e = InsnEvent::simple(InsnClass::Alu, pc);
        e.rd = rd;
        e.rs1 = rs1;
        e.rs2 = rs2;
        match pct {
            0..45 => {}
            45..65 => {
                e.class = InsnClass::Load;
                e.rs2 = 0;
                e.mem = mem(false);
            }
            65..75 => {
                e.class = InsnClass::Store;
                e.rd = 0;
                e.mem = mem(true);
            }
            75..88 => {
                e.class = InsnClass::Branch;
                e.rd = 0;
                let taken = !(r >> 40).is_multiple_of(10);
                e.taken = Some(taken);
                if taken {
                    e.next_pc = pc.wrapping_sub(64);
                }
            }
            88..92 => {
                e.class = if pct & 1 == 0 {
                    InsnClass::Jal
                } else {
                    InsnClass::Jalr
                };
                e.next_pc = 0x8000_0000 + ((r >> 44) % 256) * 64;
            }
            92..96 => e.class = InsnClass::Mul,
            96 => {
                e.class = InsnClass::Div;
                e.div_operands = Some((r >> 3, (r >> 50) | 1));
            }
            _ => {
                e.class = InsnClass::FpFma;
                e.rd += F0;
                e.rs1 += F0;
                e.rs2 += F0;
                e.rs3 = F0 + 3;
            }
        }
        e.tlb = if i % 1000 == 999 {
            TlbOutcome::Walk {
                pte_reads: [0x8020_0000, 0x8020_1000 + (r >> 52) * 8, 0x8020_2000],
                count: 3,
            }
        } else {
            TlbOutcome::L1Hit
        };
        e.fetch_pa = pc;
        out.push(e);
        // Keep code within a 16 KiB region.
        pc = 0x8000_0000 + (e.next_pc - 0x8000_0000) % (16 << 10);
    }
    out
}

/// The same mix shaped like a hot loop: the first 64 events of [`mix`]
/// laid out as a loop body at consecutive pcs, run 16 times with data
/// addresses advancing 8 bytes per iteration; the body's branches keep
/// their outcomes and the last instruction is the loop's backward branch.
fn loop_mix() -> Vec<InsnEvent> {
    let body: Vec<InsnEvent> = mix()[..64].to_vec();
    let base = 0x8000_0000u64;
    let mut out = Vec::with_capacity(N);
    for k in 0..(N / 64) as u64 {
        for (j, b) in body.iter().enumerate() {
            let pc = base + 4 * j as u64;
            let mut e = *b;
            e.pc = pc;
            e.fetch_pa = pc;
            e.next_pc = pc + 4;
            if let Some(m) = &mut e.mem {
                m.pa += 8 * k;
            }
            match e.class {
                InsnClass::Branch if e.taken == Some(true) => e.next_pc = pc + 8,
                InsnClass::Jal | InsnClass::Jalr => e.next_pc = pc + 4,
                _ => {}
            }
            if j == 63 {
                e.class = InsnClass::Branch;
                e.rd = 0;
                e.mem = None;
                e.taken = Some(k + 1 < (N / 64) as u64);
                e.next_pc = if e.taken == Some(true) { base } else { pc + 4 };
            }
            out.push(e);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let events = mix();
    let looped = loop_mix();
    let mut g = c.benchmark_group("retire");
    g.throughput(Throughput::Elements(N as u64));
    for name in presets::NAMES {
        let mut m = CoreModel::new(&presets::by_name(name).unwrap());
        g.bench_function(format!("random/{name}"), |b| {
            b.iter(|| {
                for e in &events {
                    black_box(m.retire(black_box(e)));
                }
            })
        });
    }
    for name in presets::NAMES {
        let mut m = CoreModel::new(&presets::by_name(name).unwrap());
        g.bench_function(format!("loop/{name}"), |b| {
            b.iter(|| {
                for e in &looped {
                    black_box(m.retire(black_box(e)));
                }
            })
        });
    }
    let alu: Vec<InsnEvent> = (0..N as u64)
        .map(|i| {
            let mut e = InsnEvent::simple(InsnClass::Alu, 0x8000_0000 + (i % 1024) * 4);
            e.rd = 5;
            e.rs1 = 5;
            e
        })
        .collect();
    let mut m = CoreModel::new(&presets::rocket());
    g.bench_function("alu-chain/rocket", |b| {
        b.iter(|| {
            for e in &alu {
                black_box(m.retire(black_box(e)));
            }
        })
    });
    // Harness overhead: walking the events without the model.
    g.bench_function("baseline/read-events", |b| {
        b.iter(|| {
            for e in &events {
                black_box(black_box(e).pc);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
