//! Hand-analysed cycle counts. Unless stated, the configuration is the
//! `rocket` preset: mul latency 9 (unit not pipelined), divide base 1 +
//! 1 bit/cycle with early out, L1D hit (load-to-use) 2, 64-byte lines,
//! 16 KiB 4-way L1s (64 sets), no L2, memory 80 cycles, mispredict
//! penalty 3, 32-entry BTB.

use super::*;
use crate::cpu::decode::{decode, Op};

const PC: u64 = 0x8000_0000;
const DATA: u64 = 0x8010_0000;

fn rocket() -> TimingConfig {
    presets::rocket()
}

fn with(base: &str, overrides: &[&str]) -> TimingConfig {
    TimingConfig::load(base, overrides).unwrap().unwrap()
}

fn ev(class: InsnClass, pc: u64, rd: u8, rs1: u8, rs2: u8) -> InsnEvent {
    InsnEvent {
        rd,
        rs1,
        rs2,
        ..InsnEvent::simple(class, pc)
    }
}

fn load(pc: u64, rd: u8, rs1: u8, pa: u64) -> InsnEvent {
    InsnEvent {
        mem: Some(MemAccess {
            pa,
            size: 8,
            store: false,
        }),
        ..ev(InsnClass::Load, pc, rd, rs1, 0)
    }
}

/// Sum of issue cycles + stalls must equal cycles.
fn check_sum(m: &CoreModel, issue_cycles: u64) {
    assert_eq!(m.stats.stalls.total() + issue_cycles, m.cycles());
    assert_eq!(m.stats.cycles, m.cycles());
}

#[test]
fn dependent_multiply_chain() {
    // 10 × `mul x5, x5, x6` in one I-cache line. The first fetch misses
    // (80). mul k issues at 80 + 9k (waits for x5 from mul k-1); the last
    // at 80 + 81 = 161 and takes one issue cycle: 162 cycles.
    let mut m = CoreModel::new(&rocket());
    let charged: u64 = (0..10)
        .map(|i| m.retire(&ev(InsnClass::Mul, PC + 4 * i, 5, 5, 6)))
        .sum();
    assert_eq!(m.cycles(), 80 + 9 * 9 + 1);
    assert_eq!(charged, 162);
    assert_eq!(m.stats.stalls.icache, 80);
    assert_eq!(m.stats.stalls.muldiv, 9 * 8);
    assert_eq!(m.stats.instret, 10);
    check_sum(&m, 10);

    // u74: mul latency 3, pipelined; 32 KiB L1I, memory 150 behind a
    // 20-cycle L2: cold fetch 170, then 9 × 3 + 1.
    let mut m = CoreModel::new(&presets::u74());
    for i in 0..10 {
        m.retire(&ev(InsnClass::Mul, PC + 4 * i, 5, 5, 6));
    }
    assert_eq!(m.cycles(), 170 + 9 * 3 + 1);
    // Independent muls on the pipelined unit: one per cycle.
    let before = m.cycles();
    for i in 0..10 {
        m.retire(&ev(InsnClass::Mul, PC + 4 * i, 7 + i as u8, 1, 2));
    }
    assert_eq!(m.cycles() - before, 10);
    // ...but on Rocket's iterative unit each waits for the previous: 9 apart.
    let mut m = CoreModel::new(&rocket());
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0)); // warm the line
    let before = m.cycles();
    for i in 0..10 {
        m.retire(&ev(InsnClass::Mul, PC + 4 * i, 7 + i as u8, 5, 6));
    }
    assert_eq!(m.cycles() - before, 9 * 9 + 1);
}

/// A loop `L: addi x5,x5,1; bne x5,x6,L` taken 9 times then not taken,
/// then `jal x0, L` back: `rounds` times. Returns mispredicts per round.
fn run_loop(m: &mut CoreModel, rounds: usize) -> Vec<u64> {
    let mut per_round = Vec::new();
    for _ in 0..rounds {
        let before = m.stats.branch.mispredicts;
        for i in 0..10 {
            m.retire(&ev(InsnClass::Alu, PC, 5, 5, 0));
            let taken = i < 9;
            m.retire(&InsnEvent {
                taken: Some(taken),
                next_pc: if taken { PC } else { PC + 8 },
                ..ev(InsnClass::Branch, PC + 4, 0, 5, 6)
            });
        }
        m.retire(&InsnEvent {
            next_pc: PC,
            ..InsnEvent::simple(InsnClass::Jal, PC + 8)
        });
        per_round.push(m.stats.branch.mispredicts - before);
    }
    per_round
}

#[test]
fn loop_branch_bimodal_mispredicts_once_per_exit() {
    // 2-bit counter starts weakly not-taken (1): the first taken branch
    // mispredicts (→2), the rest are predicted (→3) until the exit
    // mispredicts (→2); later rounds mispredict only the exit. The jal
    // misses the BTB once. Total 10 + 1 branch + 1 jump mispredictions.
    let cfg = with("rocket", &["branch.kind=bimodal", "branch.counter_bits=2"]);
    let mut m = CoreModel::new(&cfg);
    let per_round = run_loop(&mut m, 10);
    assert_eq!(per_round[0], 2);
    assert!(per_round[1..].iter().all(|&n| n == 1), "{per_round:?}");
    assert_eq!(m.stats.branch.mispredicts, 11);
    assert_eq!(m.stats.branch.jump_mispredicts, 1);
    assert_eq!(m.stats.branch.branches, 100);
    // 21 issue cycles per round, one I-cache miss (80), 12 × 3 penalty.
    assert_eq!(m.stats.stalls.branch, 12 * 3);
    assert_eq!(m.cycles(), 10 * 21 + 80 + 36);
    check_sum(&m, 210);

    // 1-bit counters: the first iteration after the exit mispredicts too
    // (2 per round after the first).
    let cfg = with("rocket", &["branch.kind=bimodal", "branch.counter_bits=1"]);
    let mut m = CoreModel::new(&cfg);
    let per_round = run_loop(&mut m, 10);
    assert_eq!(per_round[0], 2);
    assert!(per_round[1..].iter().all(|&n| n == 2), "{per_round:?}");
}

#[test]
fn loop_branch_gshare_learns_the_exit() {
    // The outcome pattern T×9 N has period 10; with ≥ 9 history bits every
    // position sees a distinct history, so after warm-up gshare predicts
    // the exit too: no mispredictions at all in later rounds.
    let cfg = with(
        "rocket",
        &[
            "branch.kind=gshare",
            "branch.history_bits=10",
            "branch.counter_bits=2",
        ],
    );
    let mut m = CoreModel::new(&cfg);
    let per_round = run_loop(&mut m, 30);
    assert!(per_round[20..].iter().all(|&n| n == 0), "{per_round:?}");
    // With 8 history bits positions 8 and 9 share the all-taken history:
    // the exit keeps costing a misprediction.
    let cfg = with(
        "rocket",
        &[
            "branch.kind=gshare",
            "branch.history_bits=8",
            "branch.counter_bits=2",
        ],
    );
    let mut m = CoreModel::new(&cfg);
    let per_round = run_loop(&mut m, 30);
    assert!(per_round[20..].iter().all(|&n| n >= 1), "{per_round:?}");
}

#[test]
fn stride_misses_every_line() {
    // 100 independent loads, 64 bytes apart: each touches a new line and
    // misses (80). 100 lines = 6400 B fit in 16 KiB: a second pass hits.
    let mut m = CoreModel::new(&rocket());
    for i in 0..100 {
        m.retire(&load(PC, 7, 0, DATA + 64 * i));
    }
    assert_eq!(m.stats.cache.l1d.accesses, 100);
    assert_eq!(m.stats.cache.l1d.misses, 100);
    assert_eq!(m.stats.stalls.dcache, 100 * 80);
    assert_eq!(m.cycles(), 80 + 100 * (1 + 80));
    for i in 0..100 {
        m.retire(&load(PC, 7, 0, DATA + 64 * i));
    }
    assert_eq!(m.stats.cache.l1d.misses, 100);
    assert_eq!(m.cycles(), 80 + 100 * 81 + 100);
    check_sum(&m, 200);

    // Five lines mapping to one set (stride 64 sets × 64 B = 4 KiB) of a
    // 4-way LRU cache, cycled: every access misses.
    let mut m = CoreModel::new(&rocket());
    for k in 0..50 {
        m.retire(&load(PC, 7, 0, DATA + 4096 * (k % 5)));
    }
    assert_eq!(m.stats.cache.l1d.misses, 50);
    // Four of them fit: after the 4 cold misses, all hits.
    let mut m = CoreModel::new(&rocket());
    for k in 0..40 {
        m.retire(&load(PC, 7, 0, DATA + 4096 * (k % 4)));
    }
    assert_eq!(m.stats.cache.l1d.misses, 4);

    // u74 with its L2: cold lines cost L2 (20) + memory (150); after the
    // L1D is thrashed by 9 conflicting lines (8 ways), L2 hits cost 20.
    let mut m = CoreModel::new(&presets::u74());
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0)); // I-cache miss: 170
    for k in 0..9 {
        m.retire(&load(PC, 7, 0, DATA + 4096 * k));
    }
    assert_eq!(m.stats.stalls.dcache, 9 * 170);
    m.retire(&load(PC, 7, 0, DATA)); // evicted from L1D, in L2
    assert_eq!(m.stats.stalls.dcache, 9 * 170 + 20);
    assert_eq!(m.stats.cache.l2.accesses, 1 + 10);
    assert_eq!(m.stats.cache.l2.misses, 1 + 9);
    assert_eq!(m.cycles(), 170 + 1 + 9 * 171 + 21);
}

#[test]
fn load_use_pairs() {
    // `ld x5, 0(x10); add x6, x5, x1` on a warm line: the add waits
    // hit_latency - 1 = 1 cycle: 3 cycles per pair; with an independent
    // instruction in between, none.
    let mut m = CoreModel::new(&rocket());
    m.retire(&load(PC, 7, 0, DATA)); // warm I- and D-cache lines
    let before = m.cycles();
    for _ in 0..10 {
        m.retire(&load(PC, 5, 10, DATA));
        m.retire(&ev(InsnClass::Alu, PC + 4, 6, 5, 1));
    }
    assert_eq!(m.cycles() - before, 30);
    assert_eq!(m.stats.stalls.load_use, 10);
    let before = m.cycles();
    for _ in 0..10 {
        m.retire(&load(PC, 5, 10, DATA));
        m.retire(&ev(InsnClass::Alu, PC + 4, 8, 9, 1));
        m.retire(&ev(InsnClass::Alu, PC + 8, 6, 5, 1));
    }
    assert_eq!(m.cycles() - before, 30);
    assert_eq!(m.stats.stalls.load_use, 10);
    // Through rs2 and rs3 too (FP register numbering: f5 = F0 + 5).
    let mut m = CoreModel::new(&rocket());
    m.retire(&load(PC, 7, 0, DATA));
    let before = m.cycles();
    m.retire(&InsnEvent {
        class: InsnClass::FpLoad,
        ..load(PC, F0 + 5, 10, DATA)
    });
    m.retire(&InsnEvent {
        rs3: F0 + 5,
        ..ev(InsnClass::FpFma, PC + 4, F0 + 6, F0 + 1, F0 + 2)
    });
    assert_eq!(m.cycles() - before, 3);
    // u74: load-to-use 3 → 2 stall cycles per pair.
    let mut m = CoreModel::new(&presets::u74());
    m.retire(&load(PC, 7, 0, DATA));
    let before = m.cycles();
    m.retire(&load(PC, 5, 10, DATA));
    m.retire(&ev(InsnClass::Alu, PC + 4, 6, 5, 1));
    assert_eq!(m.cycles() - before, 4);
}

#[test]
fn divide_latency_depends_on_operands() {
    // Rocket: 1 + iterations, iterations = bitlen(a) - bitlen(b) + 1 in
    // 1..=64. A dependent add waits latency - 1.
    let cases = [
        (Some((1u64 << 40, 3u64)), 1 + 40), // 41 - 2 + 1 = 40 iterations
        (Some((5, 7)), 2),                  // dividend < divisor: 1
        (Some((5, 0)), 2),                  // by zero: 1
        (Some((u64::MAX, 1)), 65),          // 64
        (None, 65),                         // unknown: worst case
    ];
    for (ops, lat) in cases {
        let mut m = CoreModel::new(&rocket());
        m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0));
        let before = m.cycles();
        m.retire(&InsnEvent {
            div_operands: ops,
            ..ev(InsnClass::Div, PC, 5, 6, 7)
        });
        m.retire(&ev(InsnClass::Alu, PC + 4, 8, 5, 0));
        assert_eq!(m.cycles() - before, lat + 1, "{ops:?}");
    }
    // W form: 32-bit width; the worst case is 1 + 32.
    let mut m = CoreModel::new(&rocket());
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0));
    let before = m.cycles();
    m.retire(&ev(InsnClass::DivW, PC, 5, 6, 7));
    m.retire(&ev(InsnClass::Alu, PC + 4, 8, 5, 0));
    assert_eq!(m.cycles() - before, 33 + 1);
    // An independent divide still waits for the busy divider.
    let mut m = CoreModel::new(&rocket());
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0));
    let before = m.cycles();
    m.retire(&ev(InsnClass::Div, PC, 5, 6, 7));
    m.retire(&ev(InsnClass::Div, PC + 4, 8, 9, 10));
    assert_eq!(m.cycles() - before, 65 + 1);
}

#[test]
fn page_walk_pte_reads_through_the_dcache() {
    let walk = TlbOutcome::Walk {
        pte_reads: [0x8020_0000, 0x8020_1008, 0x8020_2010],
        count: 3,
    };
    let mut m = CoreModel::new(&rocket());
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0));
    // Cold: each PTE read is an L1D hit latency (2) + a miss (80); the
    // load's own line misses too.
    let before = m.cycles();
    m.retire(&InsnEvent {
        tlb: walk,
        ..load(PC + 4, 5, 10, DATA)
    });
    assert_eq!(m.stats.stalls.tlb, 3 * (2 + 80));
    assert_eq!(m.cycles() - before, 3 * 82 + 80 + 1);
    // The same walk again (a TLB flush in between): PTE lines now hit.
    let before = m.cycles();
    m.retire(&InsnEvent {
        tlb: walk,
        ..load(PC + 4, 5, 10, DATA)
    });
    assert_eq!(m.cycles() - before, 3 * 2 + 1);
    // A walk-cache hit leaves one PTE read; an L2 TLB hit costs 3.
    let before = m.cycles();
    m.retire(&InsnEvent {
        tlb: TlbOutcome::Walk {
            pte_reads: [0x8020_2010, 0, 0],
            count: 1,
        },
        ..load(PC + 4, 5, 10, DATA)
    });
    assert_eq!(m.cycles() - before, 2 + 1);
    let before = m.cycles();
    m.retire(&InsnEvent {
        tlb: TlbOutcome::L2Hit,
        ..load(PC + 4, 5, 10, DATA)
    });
    assert_eq!(m.cycles() - before, 3 + 1);
    assert_eq!(m.stats.cache.l1d.accesses, 3 + 1 + 3 + 1 + 1 + 1 + 1);
    assert_eq!(m.stats.cache.l1d.misses, 4);
    // PTE reads that bypass the L1D go to memory each time.
    let cfg = with("rocket", &["tlb.pte_via_l1d=false"]);
    let mut m = CoreModel::new(&cfg);
    m.retire(&ev(InsnClass::Alu, PC, 0, 0, 0));
    for _ in 0..2 {
        m.retire(&InsnEvent {
            tlb: walk,
            ..ev(InsnClass::Alu, PC + 4, 0, 0, 0)
        });
    }
    assert_eq!(m.stats.stalls.tlb, 2 * 3 * 80);
    // A fetch outcome charged separately.
    let mut m = CoreModel::new(&rocket());
    assert_eq!(m.charge_tlb(&TlbOutcome::L2Hit), 3);
    assert_eq!(m.cycles(), 3);
}

#[test]
fn event_from_decoded_instructions() {
    // add x3, x1, x2
    let e = InsnEvent::new(&decode(0x0020_81B3), PC);
    assert_eq!(
        (e.class, e.rd, e.rs1, e.rs2, e.rs3),
        (InsnClass::Alu, 3, 1, 2, 0)
    );
    // addi x1, x1, 5: no rs2 even though the immediate bits are nonzero.
    let e = InsnEvent::new(&decode(0x0050_8093), PC);
    assert_eq!((e.rd, e.rs1, e.rs2), (1, 1, 0));
    // fmadd.d f1, f2, f3, f4 (rs3 = f4, fmt = D)
    let e = InsnEvent::new(&decode(0x2231_00C3), PC);
    assert_eq!(e.class, InsnClass::FpFma);
    assert_eq!(
        (e.rd, e.rs1, e.rs2, e.rs3),
        (F0 + 1, F0 + 2, F0 + 3, F0 + 4)
    );
    // fld f1, 0(x2)
    let e = InsnEvent::new(&decode(0x0001_3087), PC);
    assert_eq!((e.class, e.rd, e.rs1), (InsnClass::FpLoad, F0 + 1, 2));
    // mul, div, divw, csrrs, ecall
    assert_eq!(InsnClass::of(Op::Mulh), InsnClass::Mul);
    assert_eq!(InsnClass::of(Op::Remu), InsnClass::Div);
    assert_eq!(InsnClass::of(Op::Remw), InsnClass::DivW);
    assert_eq!(InsnClass::of(Op::Csrrs), InsnClass::Csr);
    assert_eq!(InsnClass::of(Op::Ecall), InsnClass::System);
    for c in InsnClass::ALL {
        assert_eq!(InsnClass::from_name(c.name()), Some(c));
        assert_eq!(InsnClass::ALL[c as usize], c);
    }
}

#[test]
fn configuration() {
    for name in presets::NAMES {
        let c = presets::by_name(name).unwrap();
        c.validate().unwrap();
        assert_eq!(
            TimingConfig::load(name, &[] as &[&str]).unwrap().unwrap(),
            c
        );
    }
    assert_eq!(TimingConfig::load("none", &[] as &[&str]).unwrap(), None);
    assert_eq!(
        TimingConfig::load("none", &["l1d.size=1K"]),
        Err(ConfigError::OverridesWithNone)
    );
    let c = with(
        "c906",
        &[
            "l1d.size=64K",
            "l1d.ways = 8",
            "latency.mul=7",
            "branch.kind=gshare",
        ],
    );
    assert_eq!(
        (c.l1d.size, c.l1d.ways, c.latency[InsnClass::Mul as usize]),
        (65536, 8, 7)
    );
    assert_eq!(c.branch.kind, PredictorKind::Gshare);
    for bad in [
        "l1d.size=1000",
        "l1d.size=-1",
        "l1d.ways=0",
        "l1d.line=48",
        "l1d.size=huge",
        "l1d.size=99999999M",
        "branch.entries=100",
        "branch.btb_entries=0",
        "branch.counter_bits=3",
        "branch.history_bits=40",
        "branch.kind=tage",
        "muldiv.div_bits_per_cycle=0",
        "issue.alu=0",
        "latency.vector=3",
        "l3.size=1M",
        "clock_hz=0",
        "nokey",
        "tlb.pte_via_l1d=maybe",
    ] {
        assert!(TimingConfig::load("rocket", &[bad]).is_err(), "{bad}");
    }
    assert!(matches!(
        TimingConfig::load("m1", &[] as &[&str]),
        Err(ConfigError::UnknownPreset(_))
    ));
    let t = TimingConfig::from_toml(
        "preset = \"u74\"\nclock_hz = 2_000_000_000\n[l2]\nsize = 0\n[latency]\nmul = 5\n",
    )
    .unwrap();
    assert_eq!(
        (t.clock_hz, t.l2.size, t.latency[InsnClass::Mul as usize]),
        (2_000_000_000, 0, 5)
    );
    assert_eq!(t.l1d, presets::u74().l1d);
    assert!(TimingConfig::from_toml("[l1d]\nsize = \"3K\"").is_err());
    assert!(TimingConfig::from_toml("[l1d\n").is_err());
    assert!(TimingConfig::from_toml("preset = 3").is_err());
    // A model without an L2 never touches it.
    let mut m = CoreModel::new(&t);
    m.retire(&load(PC, 5, 0, DATA));
    assert_eq!(m.stats.cache.l2.accesses, 0);
    assert_eq!(m.stats.cache.l1d.misses, 1);
}

#[test]
fn stats_json_and_timebase() {
    let mut m = CoreModel::new(&rocket());
    for i in 0..4 {
        m.retire(&ev(InsnClass::Mul, PC + 4 * i, 5, 5, 6));
    }
    let j = m.stats.to_json();
    assert_eq!(j["cycles"], 80 + 3 * 9 + 1);
    assert_eq!(j["instret"], 4);
    assert_eq!(j["stalls"]["icache"], 80);
    assert_eq!(j["stalls"]["muldiv"], 24);
    for k in ["dcache", "tlb", "branch"] {
        assert_eq!(j["stalls"][k], 0);
    }
    assert_eq!(j["cache"]["l1i"]["accesses"], 4);
    assert_eq!(j["cache"]["l1i"]["misses"], 1);
    assert_eq!(j["cache"]["l2"]["accesses"], 0);
    assert!((j["cpi"].as_f64().unwrap() - 108.0 / 4.0).abs() < 1e-9);
    assert!(m.stats.to_string().contains("CPI 27.000"));
    // 108 cycles at 1 GHz = 108 ns = 1 tick of a 10 MHz timebase.
    assert_eq!(m.mtime(10_000_000), 1);
    assert_eq!(m.mtime(1_000_000_000), 108);
}

#[test]
fn a_block_never_costs_more_than_its_bound() {
    // ld a0, 0(a1) (cold: misses); add a2, a0, a0 (waits for it);
    // div a3, a2, a4 (worst case: unknown operands); add a5, a3, a3
    // (waits for the divide); bne a5, a5, 8 (not taken; predicted so) —
    // charged from their static events as the block loop does, on a cold
    // model (I-cache miss on the first fetch), and with an L2.
    let raws: [u32; 5] = [
        0x0005_b503,
        0x00a5_0633,
        0x02e6_46b3,
        0x00d6_87b3,
        0x00f7_9463,
    ];
    for cfg in [rocket(), presets::u74()] {
        let insns: Vec<_> = raws.iter().map(|&r| decode(r)).collect();
        let mut block: Vec<StaticEvent> = insns.iter().map(StaticEvent::of).collect();
        let offsets: Vec<u16> = (0..raws.len() as u16).map(|k| 0x40 - 8 + 4 * k).collect();
        let mut m = CoreModel::new(&cfg);
        m.annotate_block(&mut block, &offsets);
        let bound = block[0].bound as u64;
        if cfg.name == "rocket" {
            // Per instruction (issue 1 each; a miss 80; the longest wait
            // is a worst-case divide, 65; penalty 3; offsets 0x38..0x48):
            // ld: fetch, live-in a1, miss = 1 + 80 + 65 + 80;
            // add: a0 from the load (latency 2, 1 cycle ahead) = 1 + 65;
            // div: new line (0x40), live-in a4, the unit = 1 + 80 + 65 + 65
            // (a2 is ready: ALU latency 1, 1 cycle ahead);
            // add: a3 from the divide = 1 + 65; bne: a5 ready, penalty = 1 + 3.
            assert_eq!(bound, 226 + 66 + 211 + 66 + 4);
        }
        let mut t = 0;
        for (k, st) in block.iter().enumerate() {
            let pc = PC + offsets[k] as u64;
            t = m.charge_static(st, || pc, || DATA, || pc, || (u64::MAX, 1), t);
        }
        assert_eq!(m.stats.cache.l1d.misses, 1);
        assert_eq!(m.stats.cache.l1i.misses, 2, "the block crosses a line");
        assert!(t > 2 * cfg.memory_latency as u64, "{t}");
        assert!(t <= bound, "{}: {t} cycles, bound {bound}", cfg.name);
    }
}

#[test]
fn in_block_sources_ready_in_time_are_not_checked() {
    // addi a0, a0, 1; addi a1, a0, 1 (ALU latency 1: always ready);
    // ld a2, 0(a1); addi a3, a2, 1 (load-to-use 2: checked).
    let raws: [u32; 4] = [0x0015_0513, 0x0015_0593, 0x0005_b603, 0x0016_0693];
    let mut block: Vec<StaticEvent> = raws.iter().map(|&r| StaticEvent::of(&decode(r))).collect();
    let m = CoreModel::new(&rocket());
    m.annotate_block(&mut block, &[0, 4, 8, 12]);
    let srcs: Vec<_> = block.iter().map(|s| s.srcs).collect();
    assert_eq!(srcs, [[10, 0, 0], [0, 0, 0], [0, 0, 0], [12, 0, 0]]);
    let fetch: Vec<_> = block
        .iter()
        .map(|s| s.flags & StaticEvent::FETCH != 0)
        .collect();
    assert_eq!(fetch, [true, false, false, false]);
}

#[test]
fn a_schedule_charges_each_prefix_as_instruction_by_instruction() {
    // ld a0, 0(a1) (issues at 0); add a2, a0, a0 (load-to-use 2: waits 1,
    // issues at 2); mul a3, a2, a2 (at 3); mul a4, a3, a1 (waits 8 for
    // a3, issues at 12, when the unit is free again); addi a5, a4, 1
    // (waits 8, at 21); ld a6, 8(a1); bne a5, a5, 8 (not taken); the end
    // marker, at 24. On a warm model (every fetch and access
    // hits, the branch is learnt), the schedule of every prefix must give
    // the cycles, the stall counters and the scoreboard (probed by
    // instructions reading the results) of charging its instructions one
    // by one.
    let raws: [u32; 7] = [
        0x0005_b503,
        0x00a5_0633,
        0x02c6_06b3,
        0x02b6_8733,
        0x0017_0793,
        0x0085_b803,
        0x00f7_9463,
    ];
    let block = annotated_block(&CoreModel::new(&rocket()), &raws);
    // add x0 over a0/a2, a3/a4, a5/a6: the results the block leaves.
    let probes: Vec<StaticEvent> = [(10, 12), (13, 14), (15, 16)]
        .iter()
        .map(|&(r1, r2)| StaticEvent::of(&decode(r2 << 20 | r1 << 15 | 0x33)))
        .collect();
    let data = |k: usize| DATA + if k == 5 { 8 } else { 0 };
    every_prefix_as_one_by_one(&rocket(), &block, &data, &probes);
    assert_eq!(block[7].at, 7 + 1 + 8 + 8);
    assert_eq!(block[4].issued, 21);
}

/// A random instruction for the schedule tests: ALU, load, store,
/// multiply, FP or never-taken branch over x5..x12 and f0..f7 (so that
/// they depend on each other); memory through t6. `next(n)` is a random
/// number below `n`.
fn random_insn(next: &mut dyn FnMut(u32) -> u32) -> u32 {
    let x = |r: u32| 5 + r;
    let (rd, rs1, rs2, rs3) = (next(8), next(8), next(8), next(8));
    match next(10) {
        0 => x(rs2) << 20 | x(rs1) << 15 | x(rd) << 7 | 0x33, // add
        1 => 7 << 20 | x(rs1) << 15 | x(rd) << 7 | 0x13,      // addi
        2 => 31 << 15 | 3 << 12 | x(rd) << 7 | 0x03,          // ld x, 0(t6)
        3 => x(rs2) << 20 | 31 << 15 | 3 << 12 | 0x23,        // sd x, 0(t6)
        4 => 1 << 25 | x(rs2) << 20 | x(rs1) << 15 | x(rd) << 7 | 0x33, // mul
        5 => 1 << 25 | rs2 << 20 | rs1 << 15 | 7 << 12 | rd << 7 | 0x53, // fadd.d
        6 => 9 << 25 | rs2 << 20 | rs1 << 15 | 7 << 12 | rd << 7 | 0x53, // fmul.d
        7 => rs3 << 27 | 1 << 25 | rs2 << 20 | rs1 << 15 | 7 << 12 | rd << 7 | 0x43, // fmadd.d
        8 => 31 << 15 | 3 << 12 | rd << 7 | 0x07,             // fld f, 0(t6)
        _ => x(rs1) << 20 | x(rs1) << 15 | 1 << 12 | 4 << 8 | 0x63, // bne r, r, 8
    }
}

/// A xorshift generator: `next(n)` below `n`.
fn xorshift(mut seed: u64) -> impl FnMut(u32) -> u32 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as u32
    }
}

/// The instructions `raws` and an end marker, as a block annotated for
/// `m` at offsets 0, 4, 8... (so that a long one crosses an I-cache line).
fn annotated_block(m: &CoreModel, raws: &[u32]) -> Vec<StaticEvent> {
    let mut insns: Vec<_> = raws.iter().map(|&r| decode(r)).collect();
    insns.push(crate::cpu::decode::Insn::UNDECODED);
    let mut block: Vec<StaticEvent> = insns.iter().map(StaticEvent::of).collect();
    let offsets: Vec<u16> = (0..block.len() as u16).map(|k| 4 * k).collect();
    m.annotate_block(&mut block, &offsets);
    assert!(block[0].scheduled);
    block
}

/// A random block of 1..=20 instructions (see `annotated_block`).
fn random_block(m: &CoreModel, next: &mut dyn FnMut(u32) -> u32) -> Vec<StaticEvent> {
    let raws: Vec<u32> = (0..1 + next(20)).map(|_| random_insn(next)).collect();
    annotated_block(m, &raws)
}

/// Instructions reading every register the random blocks write (x0 and
/// f31 as destinations): they wait for whatever the scoreboard holds.
fn probes() -> Vec<StaticEvent> {
    (0..4)
        .map(|r| decode((6 + 2 * r) << 20 | (5 + 2 * r) << 15 | 0x33))
        .chain((0..4).map(|r| {
            decode(1 << 25 | (2 * r + 1) << 20 | (2 * r) << 15 | 7 << 12 | 31 << 7 | 0x53)
        }))
        .map(|i| StaticEvent::of(&i))
        .collect()
}

/// Charge `probes` on both models from `ta` and `tb`: the same cycles.
fn same_after_probes(
    a: &mut CoreModel,
    b: &mut CoreModel,
    mut ta: u64,
    mut tb: u64,
    probes: &[StaticEvent],
    what: &str,
) {
    for p in probes {
        ta = a.charge_static(p, || 0, || 0, || 0, || (0, 1), ta);
        tb = b.charge_static(p, || 0, || 0, || 0, || (0, 1), tb);
        assert_eq!(ta, tb, "{what}, probe {:?}", p.regs());
    }
}

#[test]
fn schedules_of_random_blocks_charge_as_instruction_by_instruction() {
    // Random blocks under each preset: on a warm model (every fetch and
    // access hits, no misprediction), the schedule of every prefix gives
    // what charging its instructions one by one does (cycles, stall
    // counters, and the scoreboard, probed).
    let mut next = xorshift(0x2545_F491_4F6C_DD1D);
    for cfg in [rocket(), presets::u74(), presets::c906()] {
        for _ in 0..40 {
            let block = random_block(&CoreModel::new(&cfg), &mut next);
            every_prefix_as_one_by_one(&cfg, &block, &|_| DATA, &probes());
        }
    }
}

/// On a model of `cfg` warmed by charging `block` (annotated, with its end
/// marker; instruction `k` at `PC + 4k` accessing `data(k)`) four times,
/// so that every fetch and access hits and its branches are learnt: the
/// schedule of every prefix gives what charging its instructions one by
/// one does — cycles, stall counters, and the scoreboard, probed by
/// `probes`.
fn every_prefix_as_one_by_one(
    cfg: &TimingConfig,
    block: &[StaticEvent],
    data: &dyn Fn(usize) -> u64,
    probes: &[StaticEvent],
) {
    let pc = |k: usize| PC + 4 * k as u64;
    let n = block.len() - 1;
    let mut warm = CoreModel::new(cfg);
    let mut t = 0;
    for _ in 0..4 {
        for (k, st) in block[..n].iter().enumerate() {
            t = warm.charge_static(st, || pc(k), || data(k), || pc(k), || (0, 1), t);
        }
    }
    let t0 = t + 1000;
    for k in 0..=n {
        let (mut a, mut b) = (warm.clone(), warm.clone());
        assert_eq!(a.block_fetch(PC), 0);
        assert!(a.schedule_from(&block[0], t0));
        for (j, st) in block[..k].iter().enumerate() {
            if st.flags & StaticEvent::DYNAMIC != 0 {
                let parts = a.block_parts(st, || pc(j), || data(j), || pc(j));
                assert_eq!(parts, Parts::Free, "{}: position {j}", cfg.name);
            }
        }
        let ta = a.charge_scheduled(block, k, t0);
        let mut tb = t0;
        for (j, st) in block[..k].iter().enumerate() {
            tb = b.charge_static(st, || pc(j), || data(j), || pc(j), || (0, 1), tb);
        }
        let what = format!("{}: {:?}, prefix of {k}", cfg.name, &block[..n]);
        assert_eq!(ta, tb, "{what}");
        assert_eq!(format!("{:?}", a.stats), format!("{:?}", b.stats), "{what}");
        same_after_probes(&mut a, &mut b, ta, tb, probes, &what);
    }
}

/// Charge `block` (annotated, with its end marker) from `t0` as the
/// scheduled block loop does (`Hart::scheduled_block`): the first fetch
/// before the block, the dynamic parts as they come, a cost either
/// delaying the rest of the schedule (`schedule_delay`) or ending it (the
/// prefix from the schedule, the rest one by one). Instruction `k` is at
/// `PC + 4k` and accesses `data(k)`. Returns the end cycle, and whether a
/// cost delayed the schedule or ended it.
fn charge_like_the_block_loop(
    m: &mut CoreModel,
    block: &[StaticEvent],
    data: &dyn Fn(usize) -> u64,
    t0: u64,
) -> (u64, bool, bool) {
    let pc = |k: usize| PC + 4 * k as u64;
    let n = block.len() - 1;
    let mut t = t0 + m.block_fetch(PC);
    assert!(m.schedule_from(&block[0], t));
    let (mut delayed, mut ended) = (false, false);
    for (k, st) in block[..n].iter().enumerate() {
        if ended {
            t = m.charge_static(st, || pc(k), || data(k), || pc(k), || (0, 1), t);
        } else if st.flags & StaticEvent::DYNAMIC != 0 {
            let parts = m.block_parts(st, || pc(k), || data(k), || pc(k));
            if parts == Parts::Costly {
                if let Some(d) = m.schedule_delay(&block[..k + 2], k) {
                    t += d;
                    delayed = true;
                } else {
                    t = m.charge_scheduled(block, k, t);
                    t = m.charge_with_costs(st, t);
                    ended = true;
                }
            }
        }
    }
    if !ended {
        t = m.charge_scheduled(block, n, t);
    }
    (t, delayed, ended)
}

/// `block` charged by `charge_like_the_block_loop` and one by one, on
/// clones of `m`: the same cycles, statistics and scoreboard (probed).
/// Returns whether the schedule was delayed, and ended.
fn same_as_one_by_one(
    m: &CoreModel,
    block: &[StaticEvent],
    data: &dyn Fn(usize) -> u64,
) -> (bool, bool) {
    let (mut a, mut b) = (m.clone(), m.clone());
    let (ta, delayed, ended) = charge_like_the_block_loop(&mut a, block, data, 10);
    let mut tb = 10;
    for (j, st) in block[..block.len() - 1].iter().enumerate() {
        let pc = PC + 4 * j as u64;
        tb = b.charge_static(st, || pc, || data(j), || pc, || (0, 1), tb);
    }
    let what = format!("{}: {:?}", m.config().name, block);
    assert_eq!(ta, tb, "{what}");
    assert_eq!(format!("{:?}", a.stats), format!("{:?}", b.stats), "{what}");
    same_after_probes(&mut a, &mut b, ta, tb, &probes(), &what);
    (delayed, ended)
}

#[test]
fn scheduled_blocks_with_misses_charge_as_instruction_by_instruction() {
    // Random blocks on a cold model, their data spread over many lines:
    // fetches and accesses miss. Charged as the scheduled block loop does,
    // they cost what charging them one by one does.
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let (mut delayed, mut ended) = (0, 0);
    for cfg in [rocket(), presets::u74(), presets::c906()] {
        for round in 0..60 {
            let cold = CoreModel::new(&cfg);
            let block = random_block(&cold, &mut next);
            let data = |k: usize| DATA + 64 * ((k as u64 * 37 + round) % 97);
            let (d, e) = same_as_one_by_one(&cold, &block, &data);
            delayed += d as u32;
            ended += e as u32;
        }
    }
    assert!(
        delayed > 20 && ended > 20,
        "both ways taken: {delayed} delays, {ended} ends"
    );
    // mul a1, a2, a3; li a1, 1 (a1 no longer waited for); ld a4, 0(t6)
    // (misses); mul a5, a2, a3: the multiplier is still busy when the load
    // misses, so the miss does not delay the schedule (the second mul's
    // wait for the unit shrinks by it).
    let raws = [0x02d6_05b3, 0x0010_0593, 0x000f_b703, 0x02d6_07b3];
    let cold = CoreModel::new(&rocket());
    let block = annotated_block(&cold, &raws);
    assert_eq!(same_as_one_by_one(&cold, &block, &|_| DATA), (false, true));
}
