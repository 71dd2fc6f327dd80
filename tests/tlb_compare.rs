//! `pagewalk tlb-compare` through the whole CLI, on small sizes: the
//! analytic cases of the MMU issue (tests/mmu.rs checks them through
//! vmtest) exactly in results.csv — scan, cyclic, conflict, asid, global,
//! superpage — the ideal/none bounds, determinism, the fork workload under
//! the guest kernel, and one-line errors (exit 2) for bad flags.
//!
//! The scan workload (guest-os/workloads/src/tlb.rs) makes exactly
//! `8 * pages * reps` loads, 8 per page per pass, pages in ascending order.
//! Around it, tlbwork's S-mode code makes a fixed 30 data accesses to 3
//! pages of its own (its stack frame and the finisher's 1 GiB page): with
//! `--size 0` the DTLB sees 30 accesses and 3 misses.

use pagewalk::mmu::tlb::config::DEFAULT_SEED;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pagewalk");
/// tlbwork's own data accesses and the pages they touch (see above).
const OVERHEAD_ACCESSES: u64 = 30;
const OVERHEAD_PAGES: u64 = 3;

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pagewalk-tlbcmp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn compare(args: &[&str], out: &std::path::Path) -> Output {
    Command::new(BIN)
        .arg("tlb-compare")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run pagewalk")
}

/// Rows of results.csv as column → value maps.
fn rows(out: &std::path::Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(out.join("results.csv")).expect("results.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn n(row: &HashMap<String, String>, col: &str) -> u64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {}", row[col]))
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "status {:?}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Scan of `pages` pages, `reps` passes, on a fully associative LRU DTLB
/// of 64 entries (holds them all) and of 8 (a cyclic scan misses on every
/// page of every pass): (config, dtlb accesses, dtlb misses).
fn scan(pages: u64, reps: u64, name: &str) -> Vec<(String, u64, u64)> {
    let out = out_dir(name);
    let o = compare(
        &[
            "--workload",
            "scan",
            "--size",
            &pages.to_string(),
            "--reps",
            &reps.to_string(),
            "--grid",
            "dtlb.entries=64,8",
            "--grid",
            "dtlb.replacement=lru",
        ],
        &out,
    );
    ok(&o);
    let r = rows(&out)
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "ok");
            (
                r["config"].clone(),
                n(r, "dtlb_accesses"),
                n(r, "dtlb_misses"),
            )
        })
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    r
}

#[test]
fn scan_counts_are_exact() {
    let (pages, reps) = (16, 2);
    let r = scan(pages, reps, "scan");
    let configs: Vec<&str> = r.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        configs,
        [
            "rocket dtlb.entries=64;dtlb.replacement=lru",
            "rocket dtlb.entries=8;dtlb.replacement=lru",
            "ideal",
            "none"
        ]
    );
    let accesses = 8 * pages * reps + OVERHEAD_ACCESSES;
    for (_, a, _) in &r {
        assert_eq!(*a, accesses);
    }
    // 64 entries hold every page: one miss per page, N = 16 in all.
    assert_eq!(r[0].2, pages + OVERHEAD_PAGES);
    // 8 entries, cyclic over 16 pages: every pass misses every page; the
    // stack page, evicted by the scan, misses once more after it.
    assert_eq!(r[1].2, pages * reps + OVERHEAD_PAGES + 1);
    // ideal: first touch only; none: every access.
    assert_eq!(r[2].2, pages + OVERHEAD_PAGES);
    assert_eq!(r[3].2, accesses);
    // With no pages, only the overhead is left.
    let empty = scan(0, reps, "scan0");
    assert_eq!(
        (empty[0].1, empty[0].2),
        (OVERHEAD_ACCESSES, OVERHEAD_PAGES)
    );
    // One more pass: 8 N more accesses; N more misses with 8 entries, none
    // with 64.
    let more = scan(pages, reps + 1, "scan3");
    assert_eq!(more[0].1 - r[0].1, 8 * pages);
    assert_eq!(more[0].2, r[0].2);
    assert_eq!(more[1].2 - r[1].2, pages);
    // The MMU issue's scan, 6 pages x 3 passes: compulsory misses only,
    // one per page, on 64 entries and on 8 too. With 8, the 2 overhead
    // pages touched before the scan and its 6 pages fill the TLB exactly;
    // the stack is still there after it, and the finisher's page, the 9th,
    // is the last access (a compulsory miss that evicts nothing needed).
    let (pages, reps) = (6, 3);
    for (config, a, m) in scan(pages, reps, "scan6") {
        assert_eq!(a, 8 * pages * reps + OVERHEAD_ACCESSES, "{config}");
        let want = if config == "none" {
            a
        } else {
            pages + OVERHEAD_PAGES
        };
        assert_eq!(m, want, "{config}");
    }
}

// ---- the MMU scenarios (guest-os/baremetal/tlbwork/src/vm.rs) ----
//
// Each starts from a flushed TLB (`sfence.vma x0, x0`) and between that
// fence and its end makes no data access but its loads. tlbwork's own few
// accesses around it (before the fence, and after it the checksum word
// and the finisher store) are the same for every --reps; with --reps 0
// the kernel makes no load at all. So a run minus the same run with
// --reps 0 leaves exactly the kernel's loop, in every configuration.

/// The counts of one results.csv row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    dtlb_accesses: u64,
    dtlb_misses: u64,
    itlb_misses: u64,
    walks: u64,
    walks_4k: u64,
    walks_2m: u64,
    walks_1g: u64,
    pte_reads: u64,
}

impl Counts {
    fn of(r: &HashMap<String, String>) -> Counts {
        Counts {
            dtlb_accesses: n(r, "dtlb_accesses"),
            dtlb_misses: n(r, "dtlb_misses"),
            itlb_misses: n(r, "itlb_misses"),
            walks: n(r, "walks"),
            walks_4k: n(r, "walks_4k"),
            walks_2m: n(r, "walks_2m"),
            walks_1g: n(r, "walks_1g"),
            pte_reads: n(r, "pte_reads"),
        }
    }

    fn minus(self, o: Counts) -> Counts {
        Counts {
            dtlb_accesses: self.dtlb_accesses - o.dtlb_accesses,
            dtlb_misses: self.dtlb_misses - o.dtlb_misses,
            itlb_misses: self.itlb_misses - o.itlb_misses,
            walks: self.walks - o.walks,
            walks_4k: self.walks_4k - o.walks_4k,
            walks_2m: self.walks_2m - o.walks_2m,
            walks_1g: self.walks_1g - o.walks_1g,
            pte_reads: self.pte_reads - o.pte_reads,
        }
    }

    /// (DTLB accesses, hits, misses), as tests/mmu.rs writes them.
    fn dtlb(&self) -> [u64; 3] {
        [
            self.dtlb_accesses,
            self.dtlb_accesses - self.dtlb_misses,
            self.dtlb_misses,
        ]
    }
}

/// `workload` with `--size pages --reps reps` under `configs` (--tlb and
/// --grid flags): per configuration, in results.csv order, the counts.
fn counts(workload: &str, pages: u64, reps: u64, configs: &[&str]) -> Vec<(String, Counts)> {
    let out = out_dir(&format!("{workload}-{pages}-{reps}"));
    let (p, r) = (pages.to_string(), reps.to_string());
    let mut args = vec!["--workload", workload, "--size", &p, "--reps", &r];
    args.extend(configs);
    ok(&compare(&args, &out));
    let rows = rows(&out)
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "ok", "{workload} {}", r["config"]);
            (r["config"].clone(), Counts::of(r))
        })
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    rows
}

/// The counts of the kernel's loop alone: `counts(...)` minus the same
/// with `--reps 0`. Checks first that the overhead is the same in every
/// configuration but `none` (where every access misses): tlbwork's
/// pages, each missing once.
fn loop_counts(workload: &str, pages: u64, reps: u64, configs: &[&str]) -> Vec<(String, Counts)> {
    let all = counts(workload, pages, reps, configs);
    let base = counts(workload, pages, 0, configs);
    let ideal = base.iter().find(|(c, _)| c == "ideal").expect("ideal").1;
    for (c, o) in &base {
        assert_eq!(o.dtlb_accesses, ideal.dtlb_accesses, "{workload} {c}");
        let misses = if c == "none" {
            o.dtlb_accesses
        } else {
            ideal.dtlb_misses
        };
        assert_eq!(o.dtlb_misses, misses, "overhead of {workload} under {c}");
    }
    assert_eq!(
        all.iter().map(|r| &r.0).collect::<Vec<_>>(),
        base.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    all.iter()
        .zip(&base)
        .map(|((c, a), (_, b))| (c.clone(), a.minus(*b)))
        .collect()
}

fn find<'a>(rows: &'a [(String, Counts)], config: &str) -> &'a Counts {
    &rows
        .iter()
        .find(|r| r.0 == config)
        .unwrap_or_else(|| panic!("no row {config} in {rows:?}"))
        .1
}

/// Reference model of one TLB (independent of the emulator's), as in
/// tests/mmu.rs: `sets` sets of `ways` ways, set = page % sets; fills take
/// the lowest free way, else the policy's victim. Returns the misses of
/// `seq` from an empty TLB.
fn simulate(policy: &str, sets: usize, ways: usize, seq: &[u64]) -> u64 {
    let mut slots = vec![vec![None::<u64>; ways]; sets];
    let mut order = vec![Vec::<usize>::new(); sets]; // most recent first
    let mut tree = vec![vec![0u8; ways]; sets]; // PLRU node bits, root 1
    let mut rng = DEFAULT_SEED;
    let mut misses = 0;
    let touch = |t: &mut Vec<u8>, way: usize| {
        let mut node = ways + way;
        while node > 1 {
            t[node / 2] = u8::from(node.is_multiple_of(2));
            node /= 2;
        }
    };
    for &page in seq {
        let s = page as usize % sets;
        if let Some(w) = slots[s].iter().position(|x| *x == Some(page)) {
            match policy {
                "lru" => {
                    order[s].retain(|&x| x != w);
                    order[s].insert(0, w);
                }
                "plru" => touch(&mut tree[s], w),
                _ => {}
            }
            continue;
        }
        misses += 1;
        let w = match slots[s].iter().position(|x| x.is_none()) {
            Some(w) => w,
            None => match policy {
                "lru" | "fifo" => *order[s].last().unwrap(),
                "plru" => {
                    let mut node = 1;
                    while node < ways {
                        node = 2 * node + tree[s][node] as usize;
                    }
                    node - ways
                }
                "random" => {
                    // xorshift64* from the model's fixed default seed.
                    rng ^= rng >> 12;
                    rng ^= rng << 25;
                    rng ^= rng >> 27;
                    (rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as usize % ways
                }
                p => panic!("{p}"),
            },
        };
        slots[s][w] = Some(page);
        order[s].retain(|&x| x != w);
        order[s].insert(0, w);
        touch(&mut tree[s], w);
    }
    misses
}

/// The MMU issue's E + 1 case: 9 pages, 4 passes, one load per page, on a
/// fully-associative 8-entry DTLB (36 loads):
/// - LRU: the page needed next is always the least recently used: every
///   load misses, 36.
/// - FIFO: the oldest fill is the page needed next: 36.
/// - tree-PLRU: 28. Pass 1 fills the 8 ways and page 8 evicts page 0;
///   from then on the tree points away from the ways just touched, so
///   pass 2 misses on pages 0, 4, 6 and 8, pass 3 on 2, 4, 5, 6, 7 and 8,
///   pass 4 on all 9: 9 + 4 + 6 + 9.
/// - random (xorshift64* from the fixed default seed, one draw per
///   eviction, none before the loop): 13.
/// - ideal (holds all 9): 9; none: 36.
///
/// The reference model reproduces each number.
#[test]
fn cyclic_e_plus_one_through_the_cli() {
    let (pages, reps) = (9, 4);
    let seq: Vec<u64> = (0..reps).flat_map(|_| 0..pages).collect();
    let r = loop_counts(
        "cyclic",
        pages,
        reps,
        &[
            "--grid",
            "dtlb.entries=8",
            "--grid",
            "dtlb.replacement=lru,fifo,plru,random",
        ],
    );
    for (policy, misses) in [("lru", 36), ("fifo", 36), ("plru", 28), ("random", 13)] {
        assert_eq!(simulate(policy, 1, 8, &seq), misses, "model, {policy}");
        let c = find(
            &r,
            &format!("rocket dtlb.entries=8;dtlb.replacement={policy}"),
        );
        assert_eq!(c.dtlb(), [36, 36 - misses, misses], "{policy}");
        // No L2 TLB: one walk per DTLB miss (ITLB walks aside).
        assert_eq!(c.walks - c.itlb_misses, misses, "{policy}");
    }
    assert_eq!(find(&r, "ideal").dtlb(), [36, 27, 9]);
    assert_eq!(find(&r, "none").dtlb(), [36, 0, 36]);
    // The rocket preset (32 entries) holds all 9 pages: 9 misses. Its
    // 8-entry walk cache makes them cheap: the ITLB's walk of the code
    // page right after the fence cached the root entry of the DRAM
    // gigabyte, so the first data walk reads 2 PTEs (the level-1 entry of
    // the region's 2 MiB, then the leaf) and the other 8 only the leaf.
    let r = loop_counts("cyclic", pages, reps, &["--tlb", "rocket"]);
    let c = find(&r, "rocket");
    assert_eq!(c.dtlb(), [36, 27, 9]);
    assert_eq!((c.itlb_misses, c.walks, c.pte_reads), (0, 9, 2 + 8));
}

/// Pages 0 and 8 of the region (VPNs 0x80400 and 0x80408) fall in the
/// same set of an 8-set direct-mapped DTLB (`dtlb.ways=1`): alternated 10
/// times, all 20 loads miss. Pages 0 and 1 (--size 2) sit in sets 0 and 1:
/// 2 misses. Fully associative (8 ways), both pairs miss twice.
#[test]
fn conflict_pairs_through_the_cli() {
    let grid = ["--grid", "dtlb.entries=8", "--grid", "dtlb.ways=1,8"];
    let direct = "rocket dtlb.entries=8;dtlb.ways=1";
    let full = "rocket dtlb.entries=8;dtlb.ways=8";
    let r = loop_counts("conflict", 9, 10, &grid);
    assert_eq!(simulate("lru", 8, 1, &[0x80400, 0x80408].repeat(10)), 20);
    assert_eq!(simulate("lru", 8, 1, &[0x80400, 0x80401].repeat(10)), 2);
    assert_eq!(find(&r, direct).dtlb(), [20, 0, 20]);
    assert_eq!(find(&r, full).dtlb(), [20, 18, 2]);
    let r = loop_counts("conflict", 2, 10, &grid);
    assert_eq!(find(&r, direct).dtlb(), [20, 18, 2]);
    assert_eq!(find(&r, full).dtlb(), [20, 18, 2]);
}

/// Two address spaces, ASIDs 1 and 2, switched by `satp` writes only: 5
/// rounds of one load in each (10 loads). With ASID-tagged entries
/// (c906, rocket with flush_on_satp_write=false, ideal) only the first
/// load of each ASID misses: 2. The rocket and u74 presets have no ASID
/// bits: each satp write flushes, and all 10 miss. With 4 pages per space
/// and 3 rounds (24 loads) the 8 pages fit in every TLB here: 8 misses
/// with ASIDs, 24 without.
#[test]
fn asids_through_the_cli() {
    let configs = [
        "--tlb",
        "rocket",
        "--tlb",
        "u74",
        "--tlb",
        "c906",
        "--grid",
        "flush_on_satp_write=false",
    ];
    for (pages, reps) in [(1, 5), (4, 3)] {
        let loads = 2 * pages * reps;
        let r = loop_counts("asid", pages, reps, &configs);
        for (config, misses) in [
            ("rocket", loads),
            ("u74", loads),
            ("c906", 2 * pages),
            ("rocket flush_on_satp_write=false", 2 * pages),
            ("ideal", 2 * pages),
            ("none", loads),
        ] {
            let c = find(&r, config);
            assert_eq!(c.dtlb(), [loads, loads - misses, misses], "{config}");
        }
    }
}

/// Pages 0 and 1 global, pages 2 and 3 not; 3 rounds over the four with
/// `sfence.vma x0, ASID` between rounds (12 loads). The fence removes only
/// the non-global entries: the global pages miss once each, the others in
/// every round, 2 + 2 * 3 = 8 misses. The same with and without ASIDs
/// (without, the fence's ASID is 0, the only tag in use), and on ideal.
#[test]
fn global_pages_survive_an_asid_fence_through_the_cli() {
    let (pages, reps) = (2, 3);
    let r = loop_counts(
        "global",
        pages,
        reps,
        &[
            "--tlb",
            "rocket",
            "--tlb",
            "c906",
            "--grid",
            "flush_on_satp_write=false",
        ],
    );
    let loads = 2 * pages * reps;
    let misses = pages + pages * reps;
    for config in [
        "rocket",
        "c906",
        "rocket flush_on_satp_write=false",
        "ideal",
    ] {
        let c = find(&r, config);
        assert_eq!(c.dtlb(), [loads, loads - misses, misses], "{config}");
    }
    assert_eq!(find(&r, "none").dtlb(), [loads, 0, loads]);
}

/// 2 rounds of one load in each of 4 pages of a 2 MiB leaf, then of a
/// 1 GiB leaf (16 loads). Without a walk cache a 2 MiB walk reads 2 PTEs
/// (root, level 1) and a 1 GiB walk 1 (the root entry is the leaf):
/// - a DTLB holding every size (c906, ideal): one miss, one walk per
///   superpage: 2 misses, walks_2m 1, walks_1g 1, 3 PTE reads;
/// - a DTLB holding only 4 KiB entries (rocket, dtlb.page_sizes=4K)
///   caches each load's 4 KiB fragment: 8 misses in round 1, 8 hits in
///   round 2; 4 walks of each size, 4 * 2 + 4 * 1 = 12 PTE reads;
/// - none: all 16 walk, 8 * 2 + 8 = 24 PTE reads;
/// - the rocket preset (8-entry walk cache): 2 misses, but 2 PTE reads:
///   the ITLB's walk of the code page right after the fence cached the
///   root entry of the DRAM gigabyte, where the 2 MiB leaf is, so its
///   walk reads only the leaf.
///
/// The code is mapped with 4 KiB pages, so ITLB walks are 4 KiB walks:
/// walks_4k counts them alone, 3 PTE reads each without a walk cache.
#[test]
fn superpage_walks_through_the_cli() {
    let (pages, reps) = (4, 2);
    let r = loop_counts(
        "superpage",
        pages,
        reps,
        &[
            "--tlb",
            "rocket",
            "--tlb",
            "c906",
            "--grid",
            "walk_cache.entries=0",
            "--grid",
            "dtlb.page_sizes=4K",
        ],
    );
    let loads = 2 * pages * reps;
    // (config, DTLB misses, 2 MiB walks, 1 GiB walks, data PTE reads)
    for (config, misses, w2m, w1g, reads) in [
        ("c906", 2, 1, 1, 3),
        ("ideal", 2, 1, 1, 3),
        (
            "rocket walk_cache.entries=0;dtlb.page_sizes=4K",
            2 * pages,
            pages,
            pages,
            3 * pages,
        ),
        ("none", loads, loads / 2, loads / 2, 3 * loads / 2),
    ] {
        let c = find(&r, config);
        assert_eq!(c.dtlb(), [loads, loads - misses, misses], "{config}");
        assert_eq!((c.walks_2m, c.walks_1g), (w2m, w1g), "{config}");
        assert_eq!(c.walks_4k, c.itlb_misses, "{config}");
        assert_eq!(c.pte_reads - 3 * c.itlb_misses, reads, "{config}");
    }
    let c = find(&r, "rocket");
    assert_eq!(c.dtlb(), [loads, loads - 2, 2]);
    assert_eq!((c.walks_2m, c.walks_1g), (1, 1));
    assert_eq!((c.itlb_misses, c.pte_reads), (0, 1 + 1));
}

#[test]
fn bounds_order_every_configuration_and_runs_are_deterministic() {
    let args = [
        "--workload",
        "scan",
        "--workload",
        "random",
        "--workload",
        "stride",
        "--workload",
        "chase",
        "--workload",
        "matmul",
        "--workload",
        "matmul-blocked",
        "--size",
        "16",
        "--reps",
        "1",
        "--tlb",
        "u74",
        "--tlb",
        "c906",
        "--grid",
        "dtlb.entries=4,16",
        "--grid",
        "dtlb.replacement=lru,fifo,random",
    ];
    let (a, b) = (out_dir("det-a"), out_dir("det-b"));
    ok(&compare(&args, &a));
    ok(&compare(&args, &b));
    let csv_a = std::fs::read(a.join("results.csv")).unwrap();
    assert_eq!(csv_a, std::fs::read(b.join("results.csv")).unwrap());
    for f in ["results.json", "results.md", "hit-rate.svg", "cpi.svg"] {
        assert!(a.join(f).is_file(), "{f}");
    }
    let rows = rows(&a);
    assert_eq!(rows.len(), 6 * (2 + 6 + 2));
    let rate = |r: &HashMap<String, String>| -> f64 { r["dtlb_hit_rate"].parse().unwrap() };
    for w in [
        "scan",
        "random",
        "stride",
        "chase",
        "matmul",
        "matmul-blocked",
    ] {
        let of: Vec<_> = rows.iter().filter(|r| r["workload"] == w).collect();
        let ideal = of.iter().find(|r| r["config"] == "ideal").unwrap();
        let none = of.iter().find(|r| r["config"] == "none").unwrap();
        assert_eq!(rate(none), 0.0);
        for r in &of {
            assert_eq!(r["status"], "ok");
            assert!(
                rate(ideal) >= rate(r) && rate(r) >= rate(none),
                "{w} {}",
                r["config"]
            );
            assert!(n(ideal, "dtlb_misses") <= n(r, "dtlb_misses"));
        }
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// A bad flag: exit status 2 and one line on stderr.
#[test]
fn fork_under_the_guest_kernel_runs_the_same_instructions_whatever_the_tlb() {
    // The fork-heavy workload boots the guest kernel, which forks children
    // that write copy-on-write pages. The TLB model only observes: every
    // configuration retires the same instructions, the bounds order the
    // hit rates and the walks, and the Rocket TLB, which the kernel's
    // `sfence.vma` flushes, walks more than the ideal one. (About 7 s;
    // the swap workload, 37 s, is left to `make` runs by hand.)
    let out = out_dir("fork");
    ok(&compare(&["--workload", "fork", "--tlb", "rocket"], &out));
    let rows = rows(&out);
    assert_eq!(rows.len(), 3);
    let get = |c: &str| rows.iter().find(|r| r["config"] == c).unwrap();
    let (rocket, ideal, none) = (get("rocket"), get("ideal"), get("none"));
    for r in [rocket, ideal, none] {
        assert_eq!(r["status"], "ok");
        assert_eq!(n(r, "instret"), n(rocket, "instret"), "{}", r["config"]);
    }
    assert!(n(rocket, "instret") > 10_000_000);
    let rate = |r: &HashMap<String, String>| -> f64 { r["dtlb_hit_rate"].parse().unwrap() };
    assert!(rate(ideal) >= rate(rocket) && rate(rocket) > rate(none));
    assert_eq!(rate(none), 0.0);
    assert!(n(none, "walks") > n(rocket, "walks") && n(rocket, "walks") > n(ideal, "walks"));
    let _ = std::fs::remove_dir_all(&out);
}

fn bad(args: &[&str], out: &std::path::Path, expect: &str) {
    let o = compare(args, out);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(expect), "{args:?}: {err}");
}

#[test]
fn bad_flags_are_one_line_errors() {
    let out = out_dir("bad");
    bad(
        &["--workload", "no-such-workload"],
        &out,
        "not a built-in workload",
    );
    bad(&["--grid", "dtlb.entries"], &out, "expected KEY=V1,V2");
    bad(
        &["--grid", "dtlb.entries=8,,16"],
        &out,
        "expected KEY=V1,V2",
    );
    bad(&["--grid", "dtlb.bogus=1"], &out, "--grid");
    bad(&["--tlb", "no-such-preset"], &out, "--tlb");
    bad(
        &["--workload", "asid", "--size", "257"],
        &out,
        "asid takes at most 256 pages",
    );
    // --out below a regular file cannot be created.
    let file = out_dir("bad-file");
    std::fs::write(&file, b"x").unwrap();
    bad(&["--workload", "scan"], &file.join("sub"), "--out");
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir_all(&out);
}

/// The host's table of built-in tlbwork workloads uses the guest's
/// workload numbers (guest-os/workloads/src/tlb.rs).
#[test]
fn builtin_workload_numbers_match_the_guest() {
    use workloads::tlb;
    let want = [
        ("scan", tlb::SCAN),
        ("random", tlb::RANDOM),
        ("stride", tlb::STRIDE),
        ("chase", tlb::CHASE),
        ("matmul", tlb::MATMUL),
        ("matmul-blocked", tlb::MATMUL_BLOCKED),
        ("cyclic", tlb::CYCLIC),
        ("conflict", tlb::CONFLICT),
        ("asid", tlb::ASID),
        ("global", tlb::GLOBAL),
        ("superpage", tlb::SUPERPAGE),
    ];
    let got: Vec<(&str, u64)> = pagewalk::compare::TLBWORK
        .iter()
        .map(|b| (b.name, b.select))
        .collect();
    assert_eq!(got, want);
    assert_eq!(tlb::LAST, tlb::SUPERPAGE);
}
