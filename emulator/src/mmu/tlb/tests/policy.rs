//! Replacement policies on patterns whose outcome can be worked out.

use super::*;

fn cyclic(pages: u64, rounds: u64) -> impl Iterator<Item = u64> {
    (0..rounds).flat_map(move |_| 0..pages)
}

#[test]
fn scan_touching_each_page_k_times_misses_once_per_page() {
    // N pages, each touched k times, on fully-associative LRU TLBs of at
    // least N entries: only the first touch of each page misses.
    for entries in [32, 1024] {
        let (n, k) = (32, 5);
        let mut t = fa(entries, Replacement::Lru);
        let blocks = (0..n).flat_map(|p| std::iter::repeat_n(p, k));
        assert_eq!(misses(&mut t, blocks), n);
        let mut t = fa(entries, Replacement::Lru);
        assert_eq!(misses(&mut t, cyclic(n, k as u64)), n);
    }
}

#[test]
fn cyclic_over_e_plus_1_pages_lru_misses_every_access() {
    // LRU evicts the least recently used page, which in a cycle over E+1
    // pages is exactly the next one needed.
    for e in [1, 4, 8, 32] {
        let mut t = fa(e, Replacement::Lru);
        let n = e as u64 + 1;
        assert_eq!(misses(&mut t, cyclic(n, 10)), 10 * n, "E = {e}");
    }
}

#[test]
fn cyclic_over_e_plus_1_pages_fifo_misses_every_access() {
    // Once every access misses, each one inserts, so the TLB holds the E
    // pages accessed last in insertion order; the oldest inserted is the
    // one accessed E accesses ago = the next-but-one page of the cycle,
    // and the next page (E+1 accesses ago) is not there: misses forever,
    // the same as LRU (with no hits, FIFO order = LRU order).
    for e in [1, 4, 8, 32] {
        let mut t = fa(e, Replacement::Fifo);
        let n = e as u64 + 1;
        assert_eq!(misses(&mut t, cyclic(n, 10)), 10 * n, "E = {e}");
    }
}

#[test]
fn cyclic_over_e_plus_1_pages_random_hits_sometimes() {
    // A random victim is the page needed soonest only 1 time in E, so the
    // cycle that defeats LRU and FIFO mostly hits. The exact count is
    // fixed by the default seed (xorshift64*); it was found by running the
    // model (random choices cannot be worked out by hand) and pins the
    // generator and victim mapping against accidental change.
    let mut t = fa(8, Replacement::Random);
    let m = misses(&mut t, cyclic(9, 100));
    let hits = 900 - m;
    assert!(hits > 0, "random must hit sometimes");
    assert!(m > 9, "9 compulsory misses at least");
    assert_eq!(m, RANDOM_CYCLIC_MISSES);
    // Deterministic: a second run gives the same count.
    let mut t = fa(8, Replacement::Random);
    assert_eq!(misses(&mut t, cyclic(9, 100)), m);
}

/// Misses of 100 rounds over 9 pages on an 8-entry random TLB, default seed.
const RANDOM_CYCLIC_MISSES: u64 = 204;

#[test]
fn cyclic_plru_worked_out() {
    // 4 ways, tree bits r (root), a (ways 0/1), b (ways 2/3); a bit of 0
    // points the victim search left. Pages P0..P4 cyclically:
    // round 1: all miss, filling ways 0..3, P4 evicts P0 (r=0,a=0) ->
    //   [P4 P1 P2 P3], r=1 a=1 b=0.
    // round 2: P0 evicts P2 (r=1,b=0); P1 HITS; P2 evicts P3; P3 evicts
    //   P4; P4 evicts P0 -> [P3 P1 P4 P2], r=0 a=1 b=1.
    // rounds 3..6: every access misses and round 6 ends in the state of
    //   round 2, so from then on every access misses.
    // Hence over R >= 2 rounds: exactly one hit (access 7, P1 in round 2).
    let mut t = fa(4, Replacement::Plru);
    let hits: Vec<usize> = cyclic(5, 10)
        .enumerate()
        .filter(|&(_, p)| access(&mut t, page(p), 1))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits, vec![6]);
}

#[test]
fn plru_keeps_hot_page_lru_like() {
    // 4-way PLRU: a page re-touched before every fill is never the victim.
    let mut t = fa(4, Replacement::Plru);
    let mut seq = Vec::new();
    for p in 1..20 {
        seq.extend([0, p]);
    }
    assert_eq!(misses(&mut t, seq), 1 + 19);
}

#[test]
fn direct_mapped_conflict_pairs() {
    // 8 entries, 1 way: set = VPN mod 8. Pages 0 and 8 share set 0 and
    // evict each other; pages 0 and 1 do not.
    let mut t = sa(8, 1, Replacement::Lru);
    assert_eq!(misses(&mut t, [0, 8, 0, 8, 0, 8]), 6);
    let mut t = sa(8, 1, Replacement::Lru);
    assert_eq!(misses(&mut t, [0, 1, 0, 1, 0, 1]), 2);
    // Every set used once: no conflicts at all.
    let mut t = sa(8, 1, Replacement::Lru);
    assert_eq!(misses(&mut t, cyclic(8, 5)), 8);
}

#[test]
fn two_way_set_three_pages_lru() {
    // 8 entries, 2 ways, 4 sets: pages 0, 4, 8 all map to set 0.
    // 0 M, 4 M, 0 H (4 is LRU), 8 M evicts 4, 0 H (8 is LRU),
    // 4 M evicts 8, 8 M evicts 0, 0 M evicts 4.
    let mut t = sa(8, 2, Replacement::Lru);
    t.insert(page(1), leaf(page(1), 1)); // set 1, must survive
    let got: Vec<bool> = [0, 4, 0, 8, 0, 4, 8, 0]
        .into_iter()
        .map(|p| access(&mut t, page(p), 1))
        .collect();
    assert_eq!(got, [false, false, true, false, true, false, false, false]);
    assert!(t.lookup(page(1), 1).is_some());
    // Slots: set 0 holds ways 0 and 1 = slots 0 and 1.
    let mut slots: Vec<u32> = t.iter().map(|(s, _)| s).collect();
    slots.sort();
    assert_eq!(slots, [0, 1, 2]);
}

#[test]
fn touch_is_lookup_for_every_policy() {
    // Two copies see the same accesses; copy A uses lookup, copy B finds
    // the slot without side effects (probe) and then calls touch. Hits,
    // contents and slots must stay identical throughout.
    let policies = [
        Replacement::Lru,
        Replacement::Plru,
        Replacement::Fifo,
        Replacement::Random,
    ];
    for r in policies {
        for (entries, ways) in [(16, 16), (16, 4), (8, 1), (64, 8)] {
            let mut a = sa(entries, ways, r);
            let mut b = sa(entries, ways, r);
            let mut x = 0x1234_5678_9abc_def1u64;
            for i in 0..5000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let va = page(x % 48) + (x >> 40) % 4096;
                let asid = (x >> 20) as u16 % 3;
                if i % 997 == 0 {
                    let k = super::super::FlushKind::Addr(va);
                    assert_eq!(a.flush(k), b.flush(k));
                }
                let ha = a.lookup(va, asid);
                let hb = b.probe(va, asid);
                if let Some(h) = hb {
                    b.touch(h.slot);
                }
                assert_eq!(ha, hb, "{r:?} {entries}/{ways} access {i}");
                if ha.is_none() {
                    assert_eq!(a.insert(va, leaf(va, asid)), b.insert(va, leaf(va, asid)));
                }
            }
            assert!(a.iter().eq(b.iter()));
        }
    }
}
