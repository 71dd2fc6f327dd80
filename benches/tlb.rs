//! TLB model costs: a hit must stay a few nanoseconds and must not grow
//! with associativity (a 1024-entry fully-associative TLB costs what a
//! 32-entry one does), and a miss plus refill must stay cheap too.

use criterion::{criterion_group, criterion_main, Criterion};
use pagewalk::mmu::tlb::{Replacement, StructConfig, TlbArray, TlbEntry};
use std::hint::black_box;

fn page(n: u64) -> u64 {
    0x4000_0000 + n * 4096
}

fn leaf(va: u64) -> TlbEntry {
    TlbEntry::from_leaf(va, 1, ((0x80000 + (va >> 12)) << 10) | 0xCF, 0, false)
}

fn filled(entries: u32, r: Replacement) -> TlbArray {
    let mut t = TlbArray::new(StructConfig::fully_associative(entries).with_replacement(r));
    for p in 0..entries as u64 {
        t.insert(page(p), leaf(page(p)));
    }
    t
}

fn bench(c: &mut Criterion) {
    for entries in [32u32, 1024] {
        for r in [Replacement::Lru, Replacement::Plru] {
            let name = r.name();
            let mut t = filled(entries, r);
            let mut i = 0u64;
            c.bench_function(&format!("lookup_hit/fa{entries}/{name}"), |b| {
                b.iter(|| {
                    i = (i + 7) % entries as u64;
                    black_box(t.lookup(black_box(page(i) + 0x10), 1))
                })
            });
        }
        let mut t = filled(entries, Replacement::Lru);
        let mut n = entries as u64;
        c.bench_function(&format!("miss_insert/fa{entries}/lru"), |b| {
            b.iter(|| {
                // Cyclic over far more pages than entries: always misses.
                n = (n + 1) % (1 << 20);
                let va = page(n);
                if t.lookup(black_box(va), 1).is_none() {
                    black_box(t.insert(va, leaf(va)));
                }
            })
        });
        for r in [Replacement::Lru, Replacement::Plru] {
            let mut t = filled(entries, r);
            let mut s = 0u32;
            c.bench_function(&format!("touch/fa{entries}/{}", r.name()), |b| {
                b.iter(|| {
                    s = (s + 7) % entries;
                    t.touch(black_box(s))
                })
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
