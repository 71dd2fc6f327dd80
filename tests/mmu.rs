//! The Sv39 MMU and the TLB model end to end (issue 3): the bare-metal
//! `vmtest` scenarios (guest-os/baremetal/vmtest) with TLB configurations
//! chosen so every count can be worked out by hand, asserted exactly from
//! `stats_json()`; `vmtest` against QEMU; Svade; validate mode with
//! `vmtest_stale` / `vmtest_fenced`.
//!
//! Each scenario starts with `sfence.vma x0, x0` and runs in its own ASID,
//! and its routines' only data accesses are their listed loads and stores
//! (M-mode driver accesses are untranslated), so `tlb.dtlb.by_asid[ASID]`
//! holds exactly the scenario's data accesses. A test runs a subset of the
//! scenarios by patching the program's `VMTEST_SELECT` word (bit n =
//! scenario n) after loading it. `ASIDS` (`flush_on_satp_write=false`) is
//! added where ASIDs matter: the rocket preset has none, so its satp.ASID
//! reads 0 and every satp write flushes.

use pagewalk::guest::{BAREMETAL_VMTEST, BAREMETAL_VMTEST_FENCED, BAREMETAL_VMTEST_STALE};
use pagewalk::machine::{AdUpdate, Config, Console, Machine, Outcome};
use pagewalk::mmu::tlb::config::DEFAULT_SEED;
use pagewalk::mmu::tlb::TlbConfig;
use serde_json::Value;
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

const ASIDS: &str = "flush_on_satp_write=false";
/// Data VA of page 0 in every scenario (vmtest's `DATA_VA`).
const DATA_VA: u64 = 0x4000_0000;

fn tlb(preset: &str, sets: &[&str]) -> TlbConfig {
    TlbConfig::load(preset, sets).unwrap_or_else(|e| panic!("{preset} {sets:?}: {e}"))
}

fn config(tlb: TlbConfig) -> Config {
    Config {
        tlb,
        console: Console::Capture { input: vec![] },
        max_instructions: Some(20_000_000),
        ..Config::default()
    }
}

struct Run {
    outcome: Outcome,
    output: String,
    stats: Value,
    machine: Machine,
}

/// The address of symbol `name` in `elf`.
fn symbol(elf: &[u8], name: &str) -> u64 {
    let e = goblin::elf::Elf::parse(elf).expect("parse ELF");
    e.syms
        .iter()
        .find(|s| e.strtab.get_at(s.st_name) == Some(name))
        .map(|s| s.st_value)
        .unwrap_or_else(|| panic!("no symbol {name}"))
}

/// Run `elf` with `cfg`; for vmtest, `scenarios` selects which run.
fn run_with(elf: &[u8], scenarios: Option<&[u32]>, cfg: Config) -> Run {
    let mut machine = Machine::new(cfg);
    machine.load_elf(elf).expect("load ELF");
    if let Some(list) = scenarios {
        let mask: u64 = list.iter().map(|n| 1u64 << n).sum();
        let addr = symbol(elf, "VMTEST_SELECT");
        machine
            .bus
            .write_bytes(addr, &mask.to_le_bytes())
            .expect("patch VMTEST_SELECT");
    }
    let outcome = machine.run();
    let output = String::from_utf8(machine.take_output()).expect("UTF-8 output");
    let stats = machine.stats_json();
    Run {
        outcome,
        output,
        stats,
        machine,
    }
}

/// vmtest's scenarios `scenarios` under `tlb`; they must pass.
fn vmtest(scenarios: &[u32], tlb: TlbConfig) -> Run {
    let r = run_with(BAREMETAL_VMTEST, Some(scenarios), config(tlb));
    assert_eq!(
        r.outcome,
        Outcome::Finisher { code: 0 },
        "vmtest {scenarios:?} failed:\n{}",
        r.output
    );
    r
}

/// The value at a dotted path (`tlb.dtlb.by_asid.1.misses`).
fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| {
        v.get(k)
            .unwrap_or_else(|| panic!("no key {path} in stats:\n{v:#}"))
    })
}

fn num(v: &Value, path: &str) -> u64 {
    get(v, path).as_u64().expect("a number")
}

/// `[accesses, hits, misses]` at `path`.
fn counts(v: &Value, path: &str) -> [u64; 3] {
    let c = get(v, path);
    ["accesses", "hits", "misses"].map(|k| c[k].as_u64().expect("a count"))
}

/// The ASIDs a structure saw.
fn asids(v: &Value, structure: &str) -> Vec<String> {
    let m = get(v, &format!("tlb.{structure}.by_asid"));
    m.as_object().expect("a map").keys().cloned().collect()
}

// ---- S1: a scan of N = 6 pages, k = 3 loads each (U mode, ASID 1) ----

/// On a fully-associative LRU TLB with at least N entries each page misses
/// once: N misses among N*k accesses. The U-mode code is one page: one ITLB
/// miss, and the routine executes 1 + 6 * (2 + 3 * 8 + 4) + 2 = 183
/// instructions (the `ecall` fetch included), all ITLB lookups.
#[test]
fn scan_misses_once_per_page() {
    for entries in ["6", "8", "32"] {
        let e = format!("dtlb.entries={entries}");
        let t = tlb(
            "rocket",
            &[&e, "dtlb.replacement=lru", ASIDS, "walk_cache.entries=0"],
        );
        let s = vmtest(&[1], t).stats;
        assert_eq!(counts(&s, "tlb.dtlb.by_asid.1"), [18, 12, 6], "{e}");
        assert_eq!(counts(&s, "tlb.dtlb.U"), [18, 12, 6], "{e}");
        assert_eq!(counts(&s, "tlb.dtlb"), [18, 12, 6], "{e}");
        assert_eq!(num(&s, "tlb.dtlb.S.accesses"), 0);
        assert_eq!(counts(&s, "tlb.itlb.by_asid.1"), [183, 182, 1]);
        // 6 data walks and 1 code walk, 3 PTE reads each without a walk cache.
        assert_eq!(num(&s, "walks.total"), 7);
        assert_eq!(num(&s, "walks.4K"), 7);
        assert_eq!(num(&s, "walks.pte_reads"), 21);
        assert_eq!(num(&s, "walks.walk_cache_hits"), 0);
    }
    // With Rocket's 8-entry walk cache of non-leaf PTEs: the code walk and
    // the first data walk (another gigabyte) read 3 PTEs, the other 5 data
    // walks start from the cached level-1 PTE of the data region: 1 read.
    let s = vmtest(&[1], tlb("rocket", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.1"), [18, 12, 6]);
    assert_eq!(num(&s, "walks.pte_reads"), 3 + 3 + 5);
    assert_eq!(num(&s, "walks.walk_cache_hits"), 5);
    // The ideal TLB misses only on first touches.
    let s = vmtest(&[1], tlb("ideal", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.1"), [18, 12, 6]);
    // The `none` TLB walks on every access.
    let s = vmtest(&[1], tlb("none", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.1"), [18, 0, 18]);
    assert_eq!(num(&s, "walks.total"), 18 + 183);
}

// ---- S2: cyclic over E + 1 = 9 pages, 4 rounds, on an E = 8 DTLB (S mode) ----

/// Reference model of one fully-associative set (independent of the
/// emulator's): fills take the lowest free way, then the policy's victim.
fn simulate(policy: &str, ways: usize, seq: &[u64]) -> u64 {
    let mut slots: Vec<Option<u64>> = vec![None; ways];
    let mut recency: Vec<usize> = Vec::new(); // most recent first
    let mut tree = vec![0u8; ways]; // PLRU node bits, root = 1
    let mut rng = DEFAULT_SEED;
    let mut hits = 0;
    let touch_tree = |tree: &mut Vec<u8>, way: usize| {
        let mut node = ways + way;
        while node > 1 {
            tree[node / 2] = node.is_multiple_of(2) as u8;
            node /= 2;
        }
    };
    for &page in seq {
        if let Some(w) = slots.iter().position(|s| *s == Some(page)) {
            hits += 1;
            match policy {
                "lru" => {
                    recency.retain(|&x| x != w);
                    recency.insert(0, w);
                }
                "plru" => touch_tree(&mut tree, w),
                _ => {}
            }
            continue;
        }
        let w = match slots.iter().position(|s| s.is_none()) {
            Some(w) => w,
            None => match policy {
                "lru" | "fifo" => *recency.last().unwrap(),
                "plru" => {
                    let mut node = 1;
                    while node < ways {
                        node = 2 * node + tree[node] as usize;
                    }
                    node - ways
                }
                "random" => {
                    // xorshift64* (Vigna), the model's documented generator.
                    rng ^= rng >> 12;
                    rng ^= rng << 25;
                    rng ^= rng >> 27;
                    (rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as usize % ways
                }
                p => panic!("{p}"),
            },
        };
        slots[w] = Some(page);
        recency.retain(|&x| x != w);
        recency.insert(0, w);
        touch_tree(&mut tree, w);
    }
    hits
}

/// 36 accesses (4 rounds x 9 pages) on an 8-entry fully-associative DTLB:
/// - LRU: the page needed next is always the least recently used one, so
///   every access misses (36 misses).
/// - FIFO: the same here, the oldest fill is the page needed next (36).
/// - tree-PLRU: 28 misses, 8 hits. Round 1 fills ways 0..7, page 8 evicts
///   way 0 (page 0); the tree then points away from the last-touched ways
///   and evicts pages 4, 6, 8, 2 in round 2 (hits on 1, 2, 3, 5, 7), 4, 5,
///   6, 7, 8, 0 in round 3 (hits on 0, 1, 3), and every page in round 4.
/// - random (xorshift64* from the fixed default seed, one draw per
///   eviction; the DTLB evicts nothing before this scenario): 13 misses,
///   23 hits — random keeps some of the 8 resident pages across the
///   cycle where LRU/FIFO always evict the next one needed.
///
/// With 9 entries everything fits: 9 misses.
/// The reference model above reproduces each number.
#[test]
fn cyclic_e_plus_one() {
    let seq: Vec<u64> = (0..4).flat_map(|_| 0..9).collect();
    for (policy, hits) in [("lru", 0), ("fifo", 0), ("plru", 8), ("random", 23)] {
        assert_eq!(simulate(policy, 8, &seq), hits, "reference model, {policy}");
        let r = format!("dtlb.replacement={policy}");
        let s = vmtest(&[2], tlb("rocket", &["dtlb.entries=8", &r, ASIDS])).stats;
        assert_eq!(
            counts(&s, "tlb.dtlb.by_asid.2"),
            [36, hits, 36 - hits],
            "{policy}"
        );
        assert_eq!(counts(&s, "tlb.dtlb.S"), [36, hits, 36 - hits], "{policy}");
        assert_eq!(num(&s, "tlb.dtlb.U.accesses"), 0);
    }
    assert!(simulate("random", 8, &seq) > 0);
    let s = vmtest(
        &[2],
        tlb("rocket", &["dtlb.entries=9", "dtlb.replacement=lru", ASIDS]),
    )
    .stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.2"), [36, 27, 9]);
}

// ---- S3: direct-mapped conflict pairs (U mode, ASIDs 3 and 31) ----

/// Pages 0 and 8 of the data region have VPNs 0x40000 and 0x40008: the same
/// set of an 8-set direct-mapped DTLB (`dtlb.ways=1`), so alternating them
/// 10 times misses on all 20 accesses. Pages 0 and 1 (ASID 31) sit in sets
/// 0 and 1: 2 misses. Fully associative, the conflict pair misses twice.
#[test]
fn direct_mapped_conflict_pairs() {
    let s = vmtest(
        &[3],
        tlb("rocket", &["dtlb.entries=8", "dtlb.ways=1", ASIDS]),
    )
    .stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.3"), [20, 0, 20]);
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.31"), [20, 18, 2]);
    let s = vmtest(
        &[3],
        tlb("rocket", &["dtlb.entries=8", "dtlb.replacement=lru", ASIDS]),
    )
    .stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.3"), [20, 18, 2]);
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.31"), [20, 18, 2]);
}

// ---- S4: two ASIDs alternating without a flush (U mode, ASIDs 10, 11) ----

/// Each of the 10 entries into U mode writes `satp` (the other space), with
/// no `sfence.vma`. With ASID-tagged entries only the first access of each
/// ASID misses: 5 accesses, 1 miss each (and one ITLB miss each for the
/// code page). The rocket preset has no ASIDs: each of the 11 satp writes
/// (the driver's initial `csrw satp, zero` and the 10 switches) flushes,
/// all accesses are tagged ASID 0, and all 10 miss.
#[test]
fn asids_alternate_without_flush() {
    let s = vmtest(&[4], tlb("rocket", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.10"), [5, 4, 1]);
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.11"), [5, 4, 1]);
    assert_eq!(num(&s, "tlb.itlb.by_asid.10.misses"), 1);
    assert_eq!(num(&s, "tlb.itlb.by_asid.11.misses"), 1);
    assert_eq!(num(&s, "sfence.satp_write"), 0);
    assert_eq!(num(&s, "sfence.all"), 1);

    let s = vmtest(&[4], tlb("rocket", &[])).stats;
    assert_eq!(asids(&s, "dtlb"), ["0"]);
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.0"), [10, 0, 10]);
    assert_eq!(num(&s, "tlb.itlb.by_asid.0.misses"), 10);
    assert_eq!(num(&s, "sfence.satp_write"), 11);
}

// ---- S5: a global entry survives an ASID-specific fence (ASID 12) ----

/// Page 0 (G = 1) is loaded from U mode, page 1 (G = 0) from S mode; then
/// `sfence.vma x0, 12`, then both again. The fence removes only non-global
/// entries of ASID 12: U (the global page) misses once and then hits, S
/// (the non-global page) misses both times. Without ASIDs (rocket) the
/// fence's rs2 is taken as ASID 0, the only tag in use, with the same result.
#[test]
fn global_entry_survives_asid_fence() {
    for sets in [&[ASIDS][..], &[][..]] {
        let s = vmtest(&[5], tlb("rocket", sets)).stats;
        assert_eq!(counts(&s, "tlb.dtlb.U"), [2, 1, 1], "{sets:?}");
        assert_eq!(counts(&s, "tlb.dtlb.S"), [2, 0, 2], "{sets:?}");
        let asid = if sets.is_empty() { "0" } else { "12" };
        assert_eq!(counts(&s, &format!("tlb.dtlb.by_asid.{asid}")), [4, 1, 3]);
        assert_eq!(num(&s, "sfence.asid"), 1);
        assert_eq!(num(&s, "sfence.all"), 1);
    }
}

// ---- S6: superpages (U mode, ASID 6) ----

/// 4 loads at different offsets of a 2 MiB leaf, then of a 1 GiB leaf: on
/// a DTLB holding all sizes, one miss (and one walk) per superpage. The
/// code page is the only 4 KiB walk. A DTLB holding only 4 KiB entries
/// caches each load's 4 KiB fragment (all 8 loads are in different 4 KiB
/// pages): 8 misses, 8 superpage walks; `none` walks on every access.
#[test]
fn superpage_walks() {
    let s = vmtest(&[6], tlb("rocket", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.6"), [8, 6, 2]);
    assert_eq!(num(&s, "walks.2M"), 1);
    assert_eq!(num(&s, "walks.1G"), 1);
    assert_eq!(num(&s, "walks.4K"), 1);
    assert_eq!(num(&s, "walks.total"), 3);

    let s = vmtest(&[6], tlb("rocket", &["dtlb.page_sizes=4K", ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.6"), [8, 0, 8]);
    assert_eq!(num(&s, "walks.2M"), 4);
    assert_eq!(num(&s, "walks.1G"), 4);

    let s = vmtest(&[6], tlb("none", &[ASIDS])).stats;
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.6"), [8, 0, 8]);
    assert_eq!(num(&s, "walks.2M"), 4);
    assert_eq!(num(&s, "walks.1G"), 4);
}

// ---- S7: page faults (ASID 7) ----

/// U: load then store to a read-only page (the store hits the entry the
/// load filled and faults without a walk: cause 15), load of an S page
/// (walk, cause 13), fetch from a non-executable page (ITLB walk, cause
/// 12). S: load of a U page with SUM = 0 (hits the read-only page's entry,
/// cause 13), fetch from the U code page (hits the ITLB entry, cause 12).
/// DTLB: U 3 accesses (1 hit), S 1 access (a hit); 2 walks fault. With
/// `none` every one of the 5 faulting accesses walks.
#[test]
fn page_faults() {
    let s = vmtest(&[7], tlb("rocket", &[ASIDS])).stats;
    let f = get(&s, "faults");
    assert_eq!(f["store_page"], 1);
    assert_eq!(f["load_page"], 2);
    assert_eq!(f["fetch_page"], 2);
    for k in ["store_access", "load_access", "fetch_access"] {
        assert_eq!(f[k], 0, "{k}");
    }
    assert_eq!(counts(&s, "tlb.dtlb.by_asid.7"), [4, 2, 2]);
    assert_eq!(counts(&s, "tlb.dtlb.U"), [3, 1, 2]);
    assert_eq!(counts(&s, "tlb.dtlb.S"), [1, 1, 0]);
    assert_eq!(num(&s, "walks.faulted"), 2);

    let s = vmtest(&[7], tlb("none", &[ASIDS])).stats;
    assert_eq!(num(&s, "walks.faulted"), 5);
    assert_eq!(num(&s, "faults.load_page"), 2);
}

// ---- the whole program ----

/// All scenarios with the default (rocket) model: the fence and satp-write
/// counts follow from the program (8 full fences: one per scenario plus
/// one before S3's second part; 18 satp writes: the initial one, one per
/// scenario part, 10 in S4), and validate mode finds nothing stale.
#[test]
fn vmtest_whole_run() {
    let mut cfg = config(tlb("rocket", &[]));
    cfg.validate_tlb = true;
    let r = run_with(BAREMETAL_VMTEST, None, cfg);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.output);
    assert!(r.output.ends_with("vmtest: all checks passed\n"));
    assert_eq!(r.output.lines().count(), 15, "{}", r.output);
    let s = r.stats;
    assert_eq!(num(&s, "sfence.all"), 8);
    assert_eq!(num(&s, "sfence.asid"), 1);
    assert_eq!(num(&s, "sfence.satp_write"), 18);
    assert_eq!(num(&s, "walks.2M"), 1);
    assert_eq!(num(&s, "walks.1G"), 1);
    assert_eq!(num(&s, "tlb_mismatches"), 0);
    assert!(r.machine.hart.first_mismatch.is_none());
}

/// vmtest prints the same bytes on QEMU and on pagewalk (checksums of
/// every value read, every fault's cause/tval/epc), and so does
/// vmtest_fenced. vmtest_stale only has to pass on QEMU: which frame its
/// unfenced load reads is implementation-defined (QEMU 7.2 reads the new
/// one, pagewalk's TLB the old one).
#[test]
fn vmtest_matches_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    for (name, elf) in [
        ("vmtest", BAREMETAL_VMTEST),
        ("vmtest_fenced", BAREMETAL_VMTEST_FENCED),
        ("vmtest_stale", BAREMETAL_VMTEST_STALE),
    ] {
        let q = qemu::run(elf, name, Duration::from_secs(20));
        assert_eq!(q.status, Some(0), "{name} on QEMU; stderr: {}", q.stderr);
        if name == "vmtest_stale" {
            continue;
        }
        let ours = run_with(elf, None, config(tlb("rocket", &[])));
        assert!(
            q.stdout == ours.output.as_bytes(),
            "{name}: QEMU and pagewalk output differ\n--- QEMU:\n{}\n--- pagewalk:\n{}",
            String::from_utf8_lossy(&q.stdout),
            ours.output
        );
    }
}

/// Svade (`--ad-update fault`): vmtest writes every leaf with A set (and D
/// when writable), so no access needs an A/D update and the program runs
/// exactly as with hardware A/D updates: same output, same statistics.
#[test]
fn svade_runs_vmtest_unchanged() {
    for t in [tlb("rocket", &[]), tlb("c906", &[]), tlb("none", &[ASIDS])] {
        let hw = run_with(BAREMETAL_VMTEST, None, config(t.clone()));
        let mut cfg = config(t);
        cfg.ad_update = AdUpdate::Fault;
        let svade = run_with(BAREMETAL_VMTEST, None, cfg);
        assert_eq!(svade.outcome, Outcome::Finisher { code: 0 });
        assert_eq!(svade.output, hw.output);
        assert_eq!(svade.stats, hw.stats);
    }
}

// ---- validate mode: a PTE changed with and without sfence.vma ----

/// The values the stale programs print: (pc, old PTE, new PTE).
fn stale_report(output: &str) -> (u64, u64, u64) {
    let line = output
        .lines()
        .find(|l| l.starts_with("pc "))
        .unwrap_or_else(|| panic!("no report line in:\n{output}"));
    let w: Vec<&str> = line.split_whitespace().collect();
    let hex = |s: &str| {
        u64::from_str_radix(s.trim_end_matches(',').trim_start_matches("0x"), 16).unwrap()
    };
    // pc 0x.. va 0x.. asid 20: old pte 0x.., new pte 0x..
    assert_eq!(hex(w[3]), DATA_VA);
    assert_eq!(w[5], "20:");
    (hex(w[1]), hex(w[8]), hex(w[11]))
}

fn stale_run(elf: &[u8], tlb: TlbConfig, validate: bool) -> Run {
    let mut cfg = config(tlb);
    cfg.validate_tlb = validate;
    let r = run_with(elf, None, cfg);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.output);
    r
}

/// With `sfence.vma va, asid` after the remap: validate mode reports
/// nothing, and the second load reads the new frame.
#[test]
fn validate_fenced_is_clean() {
    for t in [tlb("rocket", &[]), tlb("rocket", &[ASIDS])] {
        let r = stale_run(BAREMETAL_VMTEST_FENCED, t, true);
        assert!(r.output.contains("(new frame)"), "{}", r.output);
        assert_eq!(num(&r.stats, "tlb_mismatches"), 0);
        assert!(r.machine.hart.first_mismatch.is_none());
        assert_eq!(num(&r.stats, "sfence.addr_asid"), 1);
    }
}

/// Without the fence, pagewalk's DTLB still holds the old translation and
/// (legally) uses it: the second load reads the old frame, with or without
/// validate mode. Validate mode reports exactly that hit: the load's pc,
/// the VA, ASID 20 (0 on rocket, which has no ASIDs), the cached PTE and
/// the one now in memory.
#[test]
fn validate_catches_missing_fence() {
    for (sets, asid) in [(&[ASIDS][..], 20), (&[][..], 0)] {
        let r = stale_run(BAREMETAL_VMTEST_STALE, tlb("rocket", sets), false);
        assert!(r.output.contains("(old frame)\nPASS"), "{}", r.output);
        assert_eq!(num(&r.stats, "tlb_mismatches"), 0);

        let r = stale_run(BAREMETAL_VMTEST_STALE, tlb("rocket", sets), true);
        assert!(r.output.contains("(old frame)\nPASS"), "{}", r.output);
        assert_eq!(num(&r.stats, "tlb_mismatches"), 1);
        let (pc, old, new) = stale_report(&r.output);
        let m = r.machine.hart.first_mismatch.clone().expect("a mismatch");
        assert_eq!(m.pc, pc);
        assert_eq!(m.va, DATA_VA);
        assert_eq!(m.asid, asid);
        assert_eq!(m.cached_pte, old);
        assert_eq!(m.current_pte, Some(new));
    }
    // A TLB that caches nothing walks again and reads the new frame.
    let r = stale_run(BAREMETAL_VMTEST_STALE, tlb("none", &[]), true);
    assert!(r.output.contains("(new frame)"), "{}", r.output);
    assert_eq!(num(&r.stats, "tlb_mismatches"), 0);
}
