//! Configuration: TOML, defaults, overrides, presets, every validation error.

use super::super::config::MAX_ENTRIES;
use super::super::{presets, ConfigError, PageSizes, TlbConfig, TlbKind, TlbModel};
use super::*;

fn err(toml: &str) -> ConfigError {
    TlbConfig::from_toml(toml).unwrap_err()
}

#[test]
fn full_toml_example() {
    let cfg = TlbConfig::from_toml(
        r#"
        flush_on_satp_write = true
        [itlb]
        entries = 32
        replacement = "plru"
        [dtlb]
        entries = 64
        ways = 4
        replacement = "fifo"
        page_sizes = ["4K", "2M"]
        [l2tlb]
        entries = 512
        ways = 1
        replacement = "random"
        seed = 7
        [walk_cache]
        entries = 8
        "#,
    )
    .unwrap();
    assert!(cfg.flush_on_satp_write);
    let i = cfg.itlb.unwrap();
    assert_eq!(
        (i.entries, i.ways(), i.sets(), i.replacement),
        (32, 32, 1, Replacement::Plru)
    );
    let d = cfg.dtlb.unwrap();
    assert_eq!(
        (d.ways(), d.sets(), d.replacement),
        (4, 16, Replacement::Fifo)
    );
    assert_eq!(
        d.page_sizes,
        PageSizes::ONLY_4K.with(super::super::PageSize::Size2M)
    );
    let l2 = cfg.l2tlb.unwrap();
    assert_eq!((l2.ways(), l2.sets(), l2.seed), (1, 512, 7));
    assert_eq!(cfg.walk_cache.unwrap().page_sizes, PageSizes::SUPER);
    assert!(cfg.unified.is_none());
}

#[test]
fn defaults_and_absent_structures() {
    let cfg = TlbConfig::from_toml("[dtlb]\nentries = 16\n[itlb]\nentries = 0").unwrap();
    let d = cfg.dtlb.unwrap();
    assert_eq!(d, StructConfig::fully_associative(16));
    assert_eq!(
        (d.ways, d.replacement, d.kind),
        (None, Replacement::Lru, TlbKind::Normal)
    );
    assert_eq!(d.page_sizes, PageSizes::ALL);
    assert!(cfg.itlb.is_none(), "entries = 0 is absent");
    assert!(
        cfg.l2tlb.is_none() && cfg.walk_cache.is_none(),
        "missing = absent"
    );
    assert!(!cfg.flush_on_satp_write);
    // Empty file: no structure; the model then walks on every access.
    assert_eq!(TlbConfig::from_toml("").unwrap(), TlbConfig::empty());
    // Special kinds need no entries.
    let cfg = TlbConfig::from_toml("[tlb]\nkind = \"ideal\"").unwrap();
    assert_eq!(cfg.unified.unwrap().kind, TlbKind::Ideal);
    // Default is rocket.
    assert_eq!(TlbConfig::default(), presets::rocket());
}

#[test]
fn overrides() {
    let cfg = TlbConfig::load(
        "rocket",
        &[
            "dtlb.entries=64",
            "dtlb.replacement=fifo",
            "l2tlb.ways=4",
            "l2tlb.entries=512",
            "l2tlb.page_sizes=4K,2M",
            "flush_on_satp_write=false",
            "itlb.replacement=\"lru\"",
            "walk_cache.entries=0",
        ],
    )
    .unwrap();
    let d = cfg.dtlb.unwrap();
    assert_eq!((d.entries, d.replacement), (64, Replacement::Fifo));
    let l2 = cfg.l2tlb.unwrap();
    assert_eq!((l2.entries, l2.ways(), l2.sets()), (512, 4, 128));
    assert!(!l2.page_sizes.contains(super::super::PageSize::Size1G));
    assert!(!cfg.flush_on_satp_write);
    assert_eq!(cfg.itlb.unwrap().replacement, Replacement::Lru);
    assert!(cfg.walk_cache.is_none());
    // Switching to a unified L1 by overrides.
    let cfg = TlbConfig::load(
        "c906",
        &["itlb.entries=0", "dtlb.entries=0", "tlb.entries=48"],
    )
    .unwrap();
    assert_eq!(cfg.unified.unwrap().entries, 48);
    // Order does not matter for validation: checked after the last one.
    assert!(TlbConfig::load(
        "rocket",
        &["dtlb.ways=3", "dtlb.entries=30", "dtlb.replacement=lru"]
    )
    .is_ok());
}

#[test]
fn presets_match_their_sources() {
    for name in presets::NAMES {
        let cfg = TlbConfig::load::<&str>(name, &[]).unwrap();
        TlbModel::new(&cfg).unwrap();
    }
    let r = presets::rocket();
    assert_eq!(r.itlb.unwrap().entries, 32);
    assert_eq!(r.dtlb.unwrap().ways(), 32);
    assert!(r.l2tlb.is_none());
    assert_eq!(r.walk_cache.unwrap().entries, 8);
    let u = presets::u74();
    assert_eq!((u.itlb.unwrap().entries, u.dtlb.unwrap().ways()), (40, 40));
    assert_eq!(
        (u.l2tlb.unwrap().entries, u.l2tlb.unwrap().ways()),
        (512, 1)
    );
    let c = presets::c906();
    assert_eq!((c.itlb.unwrap().entries, c.dtlb.unwrap().entries), (10, 10));
    let j = c.l2tlb.unwrap();
    assert_eq!(
        (j.entries, j.ways(), j.replacement),
        (128, 2, Replacement::Fifo)
    );
    assert_eq!(presets::ideal().itlb.unwrap().kind, TlbKind::Ideal);
    assert_eq!(presets::none().dtlb.unwrap().kind, TlbKind::None);
}

#[test]
fn validation_errors() {
    use ConfigError::*;
    let e = err("[dtlb]\nentries = 48\nways = 5");
    assert!(
        matches!(
            e,
            EntriesNotMultipleOfWays {
                entries: 48,
                ways: 5,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("not a multiple"));
    assert!(matches!(
        err("[dtlb]\nentries = 24\nways = 3\nreplacement = \"plru\""),
        PlruWays { ways: 3, .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 40\nreplacement = \"plru\""),
        PlruWays { ways: 40, .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 8\nways = 0"),
        ZeroWays { .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 8\nways = 16"),
        WaysExceedEntries { .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 8\nsize = 3"),
        UnknownKey { .. }
    ));
    assert!(matches!(err("[l3tlb]\nentries = 8"), UnknownSection(_)));
    assert!(matches!(err("flush = true"), UnknownTopKey(_)));
    let e = err("[dtlb]\nentries = 8\nreplacement = \"mru\"");
    assert!(
        matches!(e, BadValue { .. }) && e.to_string().contains("mru"),
        "{e}"
    );
    assert!(matches!(
        err("[dtlb]\nentries = 8\nkind = \"perfect\""),
        BadValue { .. }
    ));
    assert!(matches!(err("[dtlb]\nentries = -1"), BadValue { .. }));
    assert!(matches!(err("[dtlb]\nentries = \"many\""), BadValue { .. }));
    assert!(matches!(
        err("[dtlb]\nentries = 8\npage_sizes = [\"8K\"]"),
        BadValue { .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 8\npage_sizes = []"),
        NoPageSizes { .. }
    ));
    assert!(matches!(
        err("[dtlb]\nentries = 8\nseed = 0\nreplacement = \"random\""),
        ZeroSeed { .. }
    ));
    assert!(matches!(err("[dtlb]\nways = 2"), MissingEntries { .. }));
    assert!(matches!(
        err(&format!("[dtlb]\nentries = {}", MAX_ENTRIES + 1)),
        TooManyEntries { .. }
    ));
    assert!(matches!(
        err("[tlb]\nentries = 8\n[itlb]\nentries = 8"),
        UnifiedAndSplit
    ));
    assert!(matches!(
        err("[walk_cache]\nentries = 8\npage_sizes = [\"4K\"]"),
        WalkCache4K
    ));
    assert!(matches!(err("[dtlb\nentries = 8"), Toml(_)));
    assert!(matches!(err("dtlb = 3"), BadValue { .. }));
    assert!(matches!(err("flush_on_satp_write = 1"), BadValue { .. }));
    let load = |o: &str| TlbConfig::load("rocket", &[o]).unwrap_err();
    assert!(matches!(load("dtlb.entries"), BadOverride(_)));
    assert!(matches!(load("entries=3"), BadOverride(_)));
    assert!(matches!(load("dtlb.color=red"), UnknownKey { .. }));
    assert!(matches!(load("l9.entries=3"), UnknownSection(_)));
    assert!(matches!(
        load("dtlb.ways=7"),
        EntriesNotMultipleOfWays { .. }
    ));
    assert!(matches!(
        TlbConfig::load::<&str>("pentium", &[]),
        Err(UnknownPreset(_))
    ));
    // The model refuses invalid configurations instead of panicking.
    let mut bad = presets::rocket();
    bad.dtlb = Some(StructConfig::fully_associative(8).with_ways(0));
    assert!(matches!(TlbModel::new(&bad), Err(ZeroWays { .. })));
}
