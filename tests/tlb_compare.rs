//! `pagewalk tlb-compare` through the whole CLI, on small sizes: the
//! analytic scan counts in results.csv, the ideal/none bounds, determinism,
//! and one-line errors (exit 2) for bad flags.
//!
//! The scan workload (guest-os/workloads/src/tlb.rs) makes exactly
//! `8 * pages * reps` loads, 8 per page per pass, pages in ascending order.
//! Around it, tlbwork's S-mode code makes a fixed 30 data accesses to 3
//! pages of its own (its stack frame and the finisher's 1 GiB page): with
//! `--size 0` the DTLB sees 30 accesses and 3 misses.

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
    // --out below a regular file cannot be created.
    let file = out_dir("bad-file");
    std::fs::write(&file, b"x").unwrap();
    bad(&["--workload", "scan"], &file.join("sub"), "--out");
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir_all(&out);
}
