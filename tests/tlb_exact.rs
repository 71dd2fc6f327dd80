//! Exact statistics whatever the fast paths (DESIGN §4, issue 3): every
//! program runs under many TLB configurations twice, with the
//! interpreter's fast paths (fetch page pointer, host translation cache) on
//! and off, and the whole `stats_json()` (every counter, per structure,
//! mode and ASID, walks, fences, faults, instret, cycles), the outcome and
//! the console output must be identical. A failure lists the differing keys.
//!
//! Programs: `vmtest` (all MMU scenarios: S/U, ASIDs, global pages,
//! superpages, faults), `vmtest_stale` (a stale TLB hit), `compute` (M-mode,
//! untranslated) and `compute_vm` (S-mode under Sv39), both cut at a few
//! million instructions to keep the slow-path runs short, and a few of our
//! ISA tests.

use pagewalk::guest::{
    isa_test, BAREMETAL_COMPUTE, BAREMETAL_COMPUTE_VM, BAREMETAL_VMTEST, BAREMETAL_VMTEST_STALE,
};
use pagewalk::machine::{AdUpdate, Config, Console, Machine, Outcome};
use pagewalk::mmu::tlb::TlbConfig;
use serde_json::Value;
use std::collections::BTreeMap;

/// (name, preset, overrides, A/D mode).
type Setup = (
    &'static str,
    &'static str,
    &'static [&'static str],
    AdUpdate,
);

const HW: AdUpdate = AdUpdate::Hardware;

const SETUPS: &[Setup] = &[
    ("rocket", "rocket", &[], HW),
    ("rocket+asids", "rocket", &["flush_on_satp_write=false"], HW),
    ("u74", "u74", &[], HW),
    ("c906", "c906", &[], HW),
    ("ideal", "ideal", &[], HW),
    ("none", "none", &[], HW),
    (
        "unified 4-entry LRU",
        "rocket",
        &[
            "itlb.entries=0",
            "dtlb.entries=0",
            "tlb.entries=4",
            "tlb.replacement=lru",
        ],
        HW,
    ),
    (
        "unified 8-entry PLRU + L2",
        "rocket",
        &[
            "itlb.entries=0",
            "dtlb.entries=0",
            "tlb.entries=8",
            "tlb.replacement=plru",
            "l2tlb.entries=32",
            "l2tlb.ways=4",
            "flush_on_satp_write=false",
        ],
        HW,
    ),
    (
        "fifo dtlb",
        "rocket",
        &[
            "dtlb.entries=8",
            "dtlb.replacement=fifo",
            "flush_on_satp_write=false",
        ],
        HW,
    ),
    (
        "random i/dtlb",
        "rocket",
        &[
            "itlb.entries=2",
            "itlb.replacement=random",
            "dtlb.entries=8",
            "dtlb.replacement=random",
        ],
        HW,
    ),
    (
        "direct-mapped",
        "rocket",
        &[
            "itlb.entries=2",
            "itlb.ways=1",
            "dtlb.entries=8",
            "dtlb.ways=1",
            "flush_on_satp_write=false",
        ],
        HW,
    ),
    (
        "small L1 + L2",
        "rocket",
        &[
            "itlb.entries=2",
            "dtlb.entries=4",
            "l2tlb.entries=16",
            "l2tlb.ways=4",
            "flush_on_satp_write=false",
        ],
        HW,
    ),
    ("4K-only dtlb", "rocket", &["dtlb.page_sizes=4K"], HW),
    ("svade", "rocket", &[], AdUpdate::Fault),
    ("svade c906", "c906", &[], AdUpdate::Fault),
];

struct Result {
    outcome: Outcome,
    output: Vec<u8>,
    stats: Value,
}

fn run(elf: &[u8], setup: &Setup, fast_paths: bool, limit: u64) -> Result {
    let (_, preset, sets, ad) = *setup;
    let tlb = TlbConfig::load(preset, sets).unwrap_or_else(|e| panic!("{preset} {sets:?}: {e}"));
    let mut m = Machine::new(Config {
        tlb,
        ad_update: ad,
        fast_paths,
        console: Console::Capture { input: vec![] },
        max_instructions: Some(limit),
        ..Config::default()
    });
    m.load_elf(elf).expect("load ELF");
    let outcome = m.run();
    Result {
        outcome,
        output: m.take_output(),
        stats: m.stats_json(),
    }
}

/// Every leaf of `v` by dotted path.
fn flatten(v: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(v, &p, out);
            }
        }
        _ => {
            out.insert(prefix.to_string(), v.clone());
        }
    }
}

/// The keys whose values differ, as "key: fast != slow" lines.
fn diff(fast: &Value, slow: &Value) -> Vec<String> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(fast, "", &mut a);
    flatten(slow, "", &mut b);
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            let show = |v: Option<&Value>| v.map_or("(absent)".to_string(), |v| v.to_string());
            format!("  {k}: fast {} != slow {}", show(a.get(k)), show(b.get(k)))
        })
        .collect()
}

/// Run `elf` under every setup with and without fast paths (setups in
/// parallel); all must agree. `expect` checks the fast run's outcome.
fn check_program(name: &str, elf: &[u8], limit: u64, expect: fn(&Outcome) -> bool) {
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = SETUPS
            .iter()
            .map(|setup| {
                s.spawn(move || {
                    let fast = run(elf, setup, true, limit);
                    let slow = run(elf, setup, false, limit);
                    let mut errs = Vec::new();
                    if !expect(&fast.outcome) {
                        errs.push(format!("  unexpected outcome {:?}", fast.outcome));
                    }
                    if fast.outcome != slow.outcome {
                        errs.push(format!(
                            "  outcome: fast {:?} != slow {:?}",
                            fast.outcome, slow.outcome
                        ));
                    }
                    if fast.output != slow.output {
                        errs.push("  console output differs".to_string());
                    }
                    errs.extend(diff(&fast.stats, &slow.stats));
                    if errs.is_empty() {
                        None
                    } else {
                        Some(format!("{name} under {}:\n{}", setup.0, errs.join("\n")))
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("worker"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "statistics differ with fast paths off:\n{}",
        failures.join("\n")
    );
}

fn passed(o: &Outcome) -> bool {
    o.passed()
}

fn limited(o: &Outcome) -> bool {
    *o == Outcome::InstructionLimit
}

#[test]
fn vmtest_counts_do_not_depend_on_fast_paths() {
    check_program("vmtest", BAREMETAL_VMTEST, 10_000_000, passed);
}

#[test]
fn vmtest_stale_counts_do_not_depend_on_fast_paths() {
    check_program("vmtest_stale", BAREMETAL_VMTEST_STALE, 10_000_000, passed);
}

#[test]
fn compute_counts_do_not_depend_on_fast_paths() {
    check_program("compute", BAREMETAL_COMPUTE, 1_500_000, limited);
}

#[test]
fn compute_vm_counts_do_not_depend_on_fast_paths() {
    check_program("compute_vm", BAREMETAL_COMPUTE_VM, 2_000_000, limited);
}

#[test]
fn isa_test_counts_do_not_depend_on_fast_paths() {
    for name in [
        "atomics",
        "compressed",
        "csr_access",
        "faults",
        "misaligned",
        "traps",
    ] {
        let elf = isa_test(name).unwrap_or_else(|| panic!("no ISA test {name}"));
        check_program(name, elf, 10_000_000, passed);
    }
}

/// The comparison itself notices a difference (guards against comparing a
/// run with itself).
#[test]
fn diff_reports_differing_keys() {
    let a =
        serde_json::json!({"tlb": {"dtlb": {"hits": 1, "by_asid": {"3": {"hits": 1}}}}, "x": 2});
    let b = serde_json::json!({"tlb": {"dtlb": {"hits": 2, "by_asid": {}}}, "x": 2});
    assert_eq!(
        diff(&a, &b),
        [
            "  tlb.dtlb.by_asid.3.hits: fast 1 != slow (absent)",
            "  tlb.dtlb.hits: fast 1 != slow 2"
        ]
    );
}
