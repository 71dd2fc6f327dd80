//! One row per workload × configuration, and the files made from them:
//! `results.csv`, `results.json`, `results.md`. Floats are printed with a
//! fixed number of decimals, so the same runs give the same bytes.

use super::grid::TlbChoice;
use crate::machine::Outcome;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Counts of one TLB structure.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Tlb {
    pub accesses: u64,
    pub misses: u64,
}

impl Tlb {
    /// Hits / accesses; `None` when the structure saw no access.
    pub fn hit_rate(&self) -> Option<f64> {
        (self.accesses > 0).then(|| (self.accesses - self.misses) as f64 / self.accesses as f64)
    }

    /// Misses per thousand instructions.
    pub fn mpki(&self, instret: u64) -> f64 {
        if instret == 0 {
            0.0
        } else {
            self.misses as f64 * 1000.0 / instret as f64
        }
    }
}

/// One workload × configuration run.
#[derive(Clone, Debug)]
pub struct Row {
    pub workload: String,
    pub config: String,
    pub base: String,
    pub overrides: String,
    pub dtlb_entries: u32,
    /// `ok`, or what went wrong.
    pub status: String,
    pub instret: u64,
    pub cycles: u64,
    pub itlb: Tlb,
    pub dtlb: Tlb,
    pub l2tlb: Tlb,
    pub walks: u64,
    /// Walks that ended at a 4 KiB, 2 MiB and 1 GiB leaf.
    pub walks_by_size: [u64; 3],
    pub pte_reads: u64,
    /// Cycles stalled on TLB misses and walks (`stalls.tlb`; 0 without
    /// the timing model).
    pub walk_cycles: u64,
}

fn num(v: &Value, path: &str) -> u64 {
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

impl Row {
    pub fn new(workload: &str, c: &TlbChoice, r: Result<(Outcome, Value), String>) -> Row {
        let (status, stats) = match r {
            Ok((o, s)) if o.passed() => ("ok".to_string(), s),
            Ok((o, s)) => (o.to_string(), s),
            Err(e) => (e, Value::Null),
        };
        let tlb = |name: &str| Tlb {
            accesses: num(&stats, &format!("tlb.{name}.accesses")),
            misses: num(&stats, &format!("tlb.{name}.misses")),
        };
        Row {
            workload: workload.to_string(),
            config: c.name(),
            base: c.base.clone(),
            overrides: c.overrides.join(";"),
            dtlb_entries: c.dtlb_entries(),
            status,
            instret: num(&stats, "instret"),
            cycles: num(&stats, "cycles"),
            itlb: tlb("itlb"),
            dtlb: tlb("dtlb"),
            l2tlb: tlb("l2tlb"),
            walks: num(&stats, "walks.total"),
            walks_by_size: ["4K", "2M", "1G"].map(|s| num(&stats, &format!("walks.{s}"))),
            pte_reads: num(&stats, "walks.pte_reads"),
            walk_cycles: num(&stats, "stalls.tlb"),
        }
    }

    pub fn cpi(&self) -> f64 {
        if self.instret == 0 {
            0.0
        } else {
            self.cycles as f64 / self.instret as f64
        }
    }

    /// Share of cycles spent on TLB misses and walks.
    pub fn walk_share(&self) -> f64 {
        if self.cycles == 0 {
            0.0
        } else {
            self.walk_cycles as f64 / self.cycles as f64
        }
    }
}

/// The CSV columns, in order.
pub const COLUMNS: &[&str] = &[
    "workload",
    "config",
    "base",
    "overrides",
    "status",
    "instret",
    "cycles",
    "cpi",
    "itlb_accesses",
    "itlb_misses",
    "itlb_hit_rate",
    "itlb_mpki",
    "dtlb_accesses",
    "dtlb_misses",
    "dtlb_hit_rate",
    "dtlb_mpki",
    "l2tlb_accesses",
    "l2tlb_misses",
    "l2tlb_hit_rate",
    "l2tlb_mpki",
    "walks",
    "walks_4k",
    "walks_2m",
    "walks_1g",
    "pte_reads",
    "walk_cycles",
    "walk_share",
];

fn rate(r: Option<f64>) -> String {
    r.map_or(String::new(), |r| format!("{r:.6}"))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The rows as CSV (header line first).
pub fn csv(rows: &[Row]) -> String {
    let mut out = COLUMNS.join(",") + "\n";
    for r in rows {
        let mut f = vec![
            csv_field(&r.workload),
            csv_field(&r.config),
            csv_field(&r.base),
            csv_field(&r.overrides),
            csv_field(&r.status),
            r.instret.to_string(),
            r.cycles.to_string(),
            format!("{:.4}", r.cpi()),
        ];
        for t in [&r.itlb, &r.dtlb, &r.l2tlb] {
            f.push(t.accesses.to_string());
            f.push(t.misses.to_string());
            f.push(rate(t.hit_rate()));
            f.push(format!("{:.4}", t.mpki(r.instret)));
        }
        f.push(r.walks.to_string());
        f.extend(r.walks_by_size.iter().map(u64::to_string));
        f.push(r.pte_reads.to_string());
        f.push(r.walk_cycles.to_string());
        f.push(format!("{:.6}", r.walk_share()));
        out += &f.join(",");
        out.push('\n');
    }
    out
}

/// The rows as a JSON array of objects (the CSV columns; rates rounded the
/// same way, `null` for a structure that saw no access).
pub fn json(rows: &[Row]) -> String {
    let round = |x: f64, d: i32| {
        let p = 10f64.powi(d);
        (x * p).round() / p
    };
    let v: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut o = serde_json::json!({
                "workload": r.workload,
                "config": r.config,
                "base": r.base,
                "overrides": r.overrides,
                "status": r.status,
                "instret": r.instret,
                "cycles": r.cycles,
                "cpi": round(r.cpi(), 4),
                "walks": r.walks,
                "walks_4k": r.walks_by_size[0],
                "walks_2m": r.walks_by_size[1],
                "walks_1g": r.walks_by_size[2],
                "pte_reads": r.pte_reads,
                "walk_cycles": r.walk_cycles,
                "walk_share": round(r.walk_share(), 6),
            });
            for (name, t) in [("itlb", &r.itlb), ("dtlb", &r.dtlb), ("l2tlb", &r.l2tlb)] {
                o[format!("{name}_accesses")] = t.accesses.into();
                o[format!("{name}_misses")] = t.misses.into();
                o[format!("{name}_hit_rate")] = t.hit_rate().map(|h| round(h, 6)).into();
                o[format!("{name}_mpki")] = round(t.mpki(r.instret), 4).into();
            }
            o
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON serialises") + "\n"
}

/// A readable Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let pct = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{:.2}%", r * 100.0));
    let mut out = String::from(
        "| workload | config | instret | CPI | ITLB hit | DTLB hit | DTLB MPKI | L2 TLB hit | walks | walk share |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let status = if r.status == "ok" {
            String::new()
        } else {
            format!(" ({})", r.status)
        };
        out += &format!(
            "| {}{} | {} | {} | {:.3} | {} | {} | {:.2} | {} | {} | {:.1}% |\n",
            r.workload,
            status,
            r.config,
            r.instret,
            r.cpi(),
            pct(r.itlb.hit_rate()),
            pct(r.dtlb.hit_rate()),
            r.dtlb.mpki(r.instret),
            pct(r.l2tlb.hit_rate()),
            r.walks,
            r.walk_share() * 100.0
        );
    }
    out
}

/// Write results.csv, results.json and results.md into `dir`.
pub fn write_all(dir: &Path, rows: &[Row]) -> Result<(), String> {
    for (file, text) in [
        ("results.csv", csv(rows)),
        ("results.json", json(rows)),
        ("results.md", markdown(rows)),
    ] {
        let p = dir.join(file);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}
