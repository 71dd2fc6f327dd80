//! Tags, ASIDs, the global bit, fences, page sizes, special kinds, the
//! walk cache.

use super::super::{FlushKind, PageSize, PageSizes, PageWalkCache, TlbKind};
use super::*;

const MB2: u64 = 1 << 21;
const GB1: u64 = 1 << 30;

fn superleaf(va: u64, asid: u16, level: u8, global: bool) -> TlbEntry {
    let ppn = 0x80000u64 << (9 * level as u32 - 9).min(18); // aligned
    TlbEntry::from_leaf(va, asid, (ppn << 10) | FLAGS, level, global)
}

#[test]
fn two_asids_alternating_keep_their_entries() {
    // Same virtual pages in two address spaces, no fence between
    // switches: 2 x 5 entries fit in 16, so only the first round misses.
    let mut t = fa(16, Replacement::Lru);
    let mut m = 0;
    for round in 0..10 {
        for asid in [1, 2] {
            for p in 0..5 {
                let hit = access(&mut t, page(p), asid);
                m += !hit as u32;
                if round > 0 {
                    let h = t.probe(page(p), asid).unwrap();
                    assert_eq!(h.entry.pa(page(p)), leaf(page(p), asid).pa(page(p)));
                }
            }
        }
    }
    assert_eq!(m, 10);
    // An ASID never seen misses.
    assert!(t.lookup(page(0), 3).is_none());
}

#[test]
fn global_entries_survive_asid_fences() {
    let mut t = fa(16, Replacement::Lru);
    let g = TlbEntry::from_leaf(page(0), 1, (0x80000 << 10) | FLAGS | (1 << 5), 0, false);
    assert!(g.global, "the leaf's G bit makes it global");
    t.insert(page(0), g);
    t.insert(page(1), leaf(page(1), 1));
    t.insert(page(2), leaf(page(2), 2));
    // A global entry matches every ASID.
    assert!(t.lookup(page(0), 7).is_some());
    // rs1=x0, rs2=1: non-global entries of ASID 1 go, global stays.
    assert_eq!(t.flush(FlushKind::Asid(1)), vec![1]);
    assert!(t.probe(page(0), 1).is_some());
    assert!(t.probe(page(1), 1).is_none());
    assert!(t.probe(page(2), 2).is_some());
    // rs1=va, rs2=1: not the global entry either.
    assert!(t.flush(FlushKind::AddrAsid(page(0), 1)).is_empty());
    assert!(t.probe(page(0), 1).is_some());
    // rs1=va, rs2=x0: every ASID, global included.
    assert_eq!(t.flush(FlushKind::Addr(page(0))), vec![0]);
    assert!(t.probe(page(0), 1).is_none());
    // rs1=x0, rs2=x0: everything.
    t.insert(page(0), g);
    assert_eq!(t.flush(FlushKind::All).len(), 2);
    assert!(t.is_empty());
}

#[test]
fn address_fence_removes_superpages_covering_the_address() {
    for ways in [16, 4] {
        let mut t = sa(16, ways, Replacement::Lru);
        let va2m = 0x4020_0000; // a 2 MiB page
        let va1g = 0x8000_0000; // a 1 GiB page
        t.insert(va2m, superleaf(va2m, 1, 1, false));
        t.insert(va1g, superleaf(va1g, 1, 2, true));
        t.insert(page(0), leaf(page(0), 1));
        // An address in the middle of the 2 MiB page removes it only.
        assert_eq!(t.flush(FlushKind::Addr(va2m + 0x1_2345)).len(), 1);
        assert!(t.probe(va2m, 1).is_none());
        assert!(t.probe(va1g + 5 * MB2, 1).is_some());
        // By address and ASID: the global gigapage stays...
        assert!(t.flush(FlushKind::AddrAsid(va1g + 3 * MB2, 1)).is_empty());
        // ... by address alone it goes.
        assert_eq!(t.flush(FlushKind::Addr(va1g + GB1 - 1)).len(), 1);
        assert_eq!(t.len(), 1);
    }
}

#[test]
fn superpages_hit_anywhere_inside() {
    let mut t = fa(8, Replacement::Lru);
    let va2m = 0x4020_0000;
    let va1g = 0x8000_0000;
    let e2 = superleaf(va2m + 0x5000, 1, 1, false);
    let e1 = superleaf(va1g + 0x12_3456, 1, 2, false);
    assert_eq!(e2.size, PageSize::Size2M);
    t.insert(va2m + 0x5000, e2);
    t.insert(va1g + 0x12_3456, e1);
    for off in [0, 0x1000, 0x1F_FFFF] {
        let h = t.lookup(va2m + off, 1).unwrap();
        assert_eq!(h.entry.pa(va2m + off), (e2.ppn() << 12) + off);
    }
    assert!(t.lookup(va2m - 1, 1).is_none());
    assert!(t.lookup(va2m + MB2, 1).is_none());
    for off in [0, MB2, GB1 - 1] {
        let h = t.lookup(va1g + off, 1).unwrap();
        assert_eq!(h.entry.size, PageSize::Size1G);
        assert_eq!(h.entry.pa(va1g + off), (e1.ppn() << 12) + off);
    }
    assert!(t.lookup(va1g + GB1, 1).is_none());
    assert_eq!(t.len(), 2);
}

#[test]
fn four_k_only_structure_caches_the_fragment() {
    let cfg = StructConfig::fully_associative(8).with_page_sizes(PageSizes::ONLY_4K);
    let mut t = TlbArray::new(cfg);
    let base = 0x4020_0000;
    let va = base + 0x3_4567;
    let e = superleaf(va, 1, 1, false);
    let r = t.insert(va, e).unwrap();
    let held = *t.get(r.slot).unwrap();
    assert_eq!((held.size, held.level), (PageSize::Size4K, 1));
    assert_eq!(held.vpn, va >> 12);
    // The fragment's page hits and translates like the superpage...
    let h = t.lookup(base + 0x3_4000, 1).unwrap();
    assert_eq!(h.entry.pa(base + 0x3_4ABC), (e.ppn() << 12) + 0x3_4ABC);
    // ... the rest of the 2 MiB page does not.
    assert!(t.lookup(base + 0x3_5000, 1).is_none());
    assert!(t.lookup(base, 1).is_none());
}

#[test]
fn ideal_misses_only_on_first_touch_and_none_always() {
    let mut ideal = TlbArray::new(StructConfig::special(TlbKind::Ideal));
    let seq = (0..2).flat_map(|_| 0..5000);
    assert_eq!(misses(&mut ideal, seq), 5000);
    assert_eq!(ideal.len(), 5000);
    // A flushed page misses again, and its slot is reused.
    ideal.flush(FlushKind::Addr(page(7)));
    assert_eq!(misses(&mut ideal, [7, 7]), 1);
    assert_eq!(ideal.iter().map(|(s, _)| s).max(), Some(4999));

    let mut none = TlbArray::new(StructConfig::special(TlbKind::None));
    assert_eq!(misses(&mut none, (0..3).flat_map(|_| 0..10)), 30);
    assert!(none.is_empty());
    assert!(none.insert(page(0), leaf(page(0), 1)).is_none());
}

#[test]
fn insert_reports_eviction_and_same_tag_replaces() {
    let mut t = fa(2, Replacement::Lru);
    let r0 = t.insert(page(0), leaf(page(0), 1)).unwrap();
    let r1 = t.insert(page(1), leaf(page(1), 1)).unwrap();
    assert_eq!((r0.slot, r0.evicted, r1.slot), (0, None, 1));
    // Invalid ways first, then the LRU victim (page 0, slot 0).
    let r2 = t.insert(page(2), leaf(page(2), 1)).unwrap();
    assert_eq!(r2.slot, 0);
    assert_eq!(r2.evicted, Some(leaf(page(0), 1)));
    // Same tag: replaced in place, no second copy.
    let mut newer = leaf(page(2), 1);
    newer.pte |= 1 << 8;
    let r3 = t.insert(page(2), newer).unwrap();
    assert_eq!((r3.slot, r3.evicted), (0, Some(leaf(page(2), 1))));
    assert_eq!(t.len(), 2);
    assert_eq!(t.invalidate_slot(0), Some(newer));
    assert_eq!(t.invalidate_slot(0), None);
    assert_eq!(t.insert(page(3), leaf(page(3), 1)).unwrap().slot, 0);
}

#[test]
fn large_fully_associative_structure_works() {
    let mut t = fa(1024, Replacement::Plru);
    assert_eq!(misses(&mut t, (0..3).flat_map(|_| 0..1024)), 1024);
    assert_eq!(misses(&mut t, [1024]), 1);
    assert_eq!(t.len(), 1024);
}

#[test]
fn walk_cache_gives_the_deepest_non_leaf_pte() {
    let cfg = StructConfig::fully_associative(8).with_page_sizes(PageSizes::SUPER);
    let mut w = PageWalkCache::new(cfg);
    let va = 0x4020_5000;
    let root_pte = (0x81000 << 10) | 1; // V only: points to a table
    let mid_pte = (0x81001 << 10) | 1;
    assert!(w.lookup(va, 1).is_none());
    w.insert(va, 1, root_pte, 2, false);
    let h = w.lookup(va + MB2 * 3, 1).unwrap(); // same 1 GiB region
    assert_eq!((h.level, h.next_level(), h.reads_saved()), (2, 1, 1));
    assert_eq!(h.next_table(), 0x81000 << 12);
    w.insert(va, 1, mid_pte, 1, false);
    let h = w.lookup(va + 0x1000, 1).unwrap(); // same 2 MiB region
    assert_eq!((h.level, h.pte, h.reads_saved()), (1, mid_pte, 2));
    // Another 2 MiB region of the same gigabyte: only the root entry.
    assert_eq!(w.lookup(va + MB2, 1).unwrap().level, 2);
    // Another ASID: nothing.
    assert!(w.lookup(va, 2).is_none());
    // Leaf-address fences leave non-leaf PTEs; ASID fences remove them.
    assert!(w.flush(FlushKind::Addr(va)).is_empty());
    assert!(w.flush(FlushKind::AddrAsid(va, 1)).is_empty());
    assert_eq!(w.flush(FlushKind::Asid(1)).len(), 2);
    assert!(w.lookup(va, 1).is_none());
    // Level 0 is never a non-leaf cache entry.
    assert!(w.insert(va, 1, mid_pte, 0, false).is_none());
}
