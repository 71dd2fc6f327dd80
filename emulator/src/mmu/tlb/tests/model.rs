//! The whole model: L1 → L2 → walk, statistics, fences, satp writes.

use super::super::{presets, FlushKind, Lookup, Mode, Side, TlbConfig, TlbModel};
use super::*;

fn with_l2() -> TlbModel {
    let cfg = TlbConfig::load(
        "rocket",
        &["itlb.entries=2", "dtlb.entries=2", "l2tlb.entries=8"],
    )
    .unwrap();
    TlbModel::new(&cfg).unwrap()
}

/// Access as a hart would: lookup, and on a miss "walk" and fill.
fn go(m: &mut TlbModel, side: Side, va: u64, asid: u16, mode: Mode) -> Lookup {
    let r = m.lookup(side, va, asid, mode);
    if r == Lookup::Miss {
        m.stats.record_walk_start(false);
        m.stats.record_walk_end(Some(0), 3);
        m.fill(side, va, leaf(va, asid));
    }
    r
}

#[test]
fn l1_miss_l2_hit_refills_l1_and_counts() {
    let mut m = with_l2();
    let s = Mode::Supervisor;
    for p in 0..3 {
        assert_eq!(go(&mut m, Side::Data, page(p), 1, s), Lookup::Miss);
    }
    // Page 0 fell out of the 2-entry DTLB but is in the L2.
    assert!(matches!(
        go(&mut m, Side::Data, page(0), 1, s),
        Lookup::L2Hit { .. }
    ));
    assert!(matches!(
        go(&mut m, Side::Data, page(0), 1, Mode::User),
        Lookup::L1Hit(_)
    ));
    let t = &m.stats.tlb;
    assert_eq!(
        (
            t.dtlb.total.accesses,
            t.dtlb.total.hits,
            t.dtlb.total.misses
        ),
        (5, 1, 4)
    );
    assert_eq!((t.l2tlb.total.accesses, t.l2tlb.total.hits), (4, 1));
    assert_eq!((t.dtlb.user.accesses, t.dtlb.supervisor.accesses), (1, 4));
    assert_eq!(t.itlb.total.accesses, 0);
    assert_eq!(
        (
            m.stats.walks.total,
            m.stats.walks.leaf_4k,
            m.stats.walks.pte_reads
        ),
        (3, 3, 9)
    );
}

#[test]
fn account_l1_hit_equals_lookup() {
    let mut a = with_l2();
    go(&mut a, Side::Fetch, page(0), 1, Mode::User);
    go(&mut a, Side::Fetch, page(1), 1, Mode::User);
    let mut b = a.clone();
    let Lookup::L1Hit(h) = a.lookup(Side::Fetch, page(0), 1, Mode::User) else {
        panic!("expected a hit")
    };
    b.account_l1_hit(Side::Fetch, h.slot, 1, Mode::User);
    assert_eq!(a.stats, b.stats);
    // Same replacement state: the next fill evicts the same page in both.
    go(&mut a, Side::Fetch, page(2), 1, Mode::User);
    go(&mut b, Side::Fetch, page(2), 1, Mode::User);
    assert!(a.l1(Side::Fetch).iter().eq(b.l1(Side::Fetch).iter()));
}

#[test]
fn unified_l1_is_shared_but_counted_per_side() {
    let cfg = TlbConfig::from_toml("[tlb]\nentries = 4").unwrap();
    let mut m = TlbModel::new(&cfg).unwrap();
    assert_eq!(m.l1_index(Side::Data), m.l1_index(Side::Fetch));
    go(&mut m, Side::Fetch, page(0), 1, Mode::User);
    assert!(matches!(
        go(&mut m, Side::Data, page(0), 1, Mode::User),
        Lookup::L1Hit(_)
    ));
    assert_eq!(m.stats.tlb.itlb.total.misses, 1);
    assert_eq!(m.stats.tlb.dtlb.total.hits, 1);
}

#[test]
fn fences_and_satp_writes() {
    let mut m = TlbModel::new(&presets::c906()).unwrap();
    go(&mut m, Side::Data, page(0), 1, Mode::User);
    let f = m.sfence(FlushKind::AddrAsid(page(0), 1));
    assert_eq!(f.l1[1], vec![0]);
    assert!(f.l1[0].is_empty());
    assert_eq!(
        m.lookup(Side::Data, page(0), 1, Mode::User),
        Lookup::Miss,
        "L2 flushed too"
    );
    assert!(
        m.satp_written().l1[1].is_empty(),
        "c906 has ASIDs: no flush"
    );
    m.sfence(FlushKind::All);
    m.sfence(FlushKind::Asid(3));
    let s = m.stats.sfence;
    assert_eq!(
        (s.all, s.asid, s.addr, s.addr_asid, s.satp_write),
        (1, 1, 0, 1, 0)
    );

    let mut r = TlbModel::new(&presets::rocket()).unwrap();
    go(&mut r, Side::Fetch, page(0), 1, Mode::User);
    assert_eq!(r.satp_written().l1[0], vec![0], "rocket: no ASIDs, flush");
    assert_eq!(r.stats.sfence.satp_write, 1);
}

#[test]
fn absent_l1_walks_every_time() {
    let mut m = TlbModel::new(&TlbConfig::empty()).unwrap();
    for _ in 0..3 {
        assert_eq!(go(&mut m, Side::Data, page(0), 1, Mode::User), Lookup::Miss);
    }
    assert_eq!(m.stats.tlb.dtlb.total.misses, 3);
    assert_eq!(m.stats.walks.total, 3);
}

#[test]
fn walk_cache_counted() {
    let mut m = TlbModel::new(&presets::rocket()).unwrap();
    let va = page(0);
    assert!(m.walk_cache_lookup(va, 1, Mode::User).is_none());
    m.walk_cache_insert(va, 1, (0x81000 << 10) | 1, 2, false);
    m.walk_cache_insert(va, 1, (0x81001 << 10) | 1, 1, false);
    assert_eq!(m.walk_cache_lookup(va, 1, Mode::User).unwrap().level, 1);
    let w = m.stats.tlb.walk_cache.total;
    assert_eq!((w.accesses, w.hits), (2, 1));
}

#[test]
fn json_shape_and_summary() {
    let mut m = with_l2();
    go(&mut m, Side::Fetch, page(0), 5, Mode::User);
    go(&mut m, Side::Fetch, page(0), 5, Mode::User);
    go(&mut m, Side::Data, page(1), 6, Mode::Supervisor);
    m.stats.faults.record(13);
    m.stats.untranslated += 4;
    let j = m.stats.to_json();
    for s in ["itlb", "dtlb", "l2tlb"] {
        for k in ["accesses", "hits", "misses"] {
            assert!(j["tlb"][s][k].is_u64(), "tlb.{s}.{k}");
        }
    }
    for k in ["total", "4K", "2M", "1G", "pte_reads"] {
        assert!(j["walks"][k].is_u64(), "walks.{k}");
    }
    assert_eq!(j["tlb"]["itlb"]["accesses"], 2);
    assert_eq!(j["tlb"]["itlb"]["hits"], 1);
    assert_eq!(j["tlb"]["itlb"]["U"]["accesses"], 2);
    assert_eq!(j["tlb"]["itlb"]["by_asid"]["5"]["misses"], 1);
    assert_eq!(j["tlb"]["dtlb"]["S"]["misses"], 1);
    assert_eq!(j["walks"]["4K"], 2);
    assert_eq!(j["faults"]["load_page"], 1);
    assert_eq!(j["untranslated"], 4);
    let s = m.stats.summary();
    assert!(
        s.contains("itlb") && s.contains("walks") && s.contains("50.00% hit"),
        "{s}"
    );
}
