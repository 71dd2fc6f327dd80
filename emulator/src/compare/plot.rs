//! `hit-rate.svg` (DTLB hit rate against DTLB entries) and `cpi.svg` (CPI
//! against DTLB entries): one line per workload, or per workload and the
//! grid's other overrides when the grid has more than the entries axis.
//! The `ideal` and `none` bounds have no entry count and are left out.

use super::grid::TlbChoice;
use super::report::Row;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Series name → points (entries, value), in row order.
type Series = Vec<(String, Vec<(f64, f64)>)>;

fn series(rows: &[Row], value: impl Fn(&Row) -> Option<f64>) -> Series {
    let mut out: Series = Vec::new();
    for r in rows {
        if r.status != "ok" || r.dtlb_entries == 0 {
            continue;
        }
        if r.overrides.is_empty() && (r.base == "ideal" || r.base == "none") {
            continue;
        }
        let Some(v) = value(r) else { continue };
        let rest: Vec<&str> = r
            .overrides
            .split(';')
            .filter(|o| !o.is_empty() && !o.starts_with("dtlb.entries="))
            .collect();
        let name = if rest.is_empty() {
            r.workload.clone()
        } else {
            format!("{} ({})", r.workload, rest.join(" "))
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, pts)) => pts.push((r.dtlb_entries as f64, v)),
            None => out.push((name, vec![(r.dtlb_entries as f64, v)])),
        }
    }
    for (_, pts) in &mut out {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        // One point per x: the first configuration with that entry count.
        let mut seen = BTreeMap::new();
        pts.retain(|p| seen.insert(p.0.to_bits(), ()).is_none());
    }
    out
}

fn draw(path: &Path, title: &str, y_label: &str, data: &Series) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, pts) in data {
        for &(x, y) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (1.0, 2.0, 0.0, 1.0);
    }
    if x1 - x0 < 1.0 {
        x1 = x0 + 1.0;
    }
    let pad = ((y1 - y0) * 0.05).max(1e-3);
    let (y0, y1) = (y0 - pad, y1 + pad);
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x0.log2()..x1.log2() + 1e-3).step(1.0), y0..y1)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("DTLB entries")
        .y_desc(y_label)
        .x_label_formatter(&|x| format!("{}", x.exp2().round()))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, (name, pts)) in data.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|&(x, y)| (x.log2(), y)),
                color.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Write hit-rate.svg and cpi.svg into `dir`.
pub fn write_all(dir: &Path, rows: &[Row], _configs: &[TlbChoice]) -> Result<(), String> {
    draw(
        &dir.join("hit-rate.svg"),
        "DTLB hit rate",
        "hit rate",
        &series(rows, |r| r.dtlb.hit_rate()),
    )?;
    draw(
        &dir.join("cpi.svg"),
        "Cycles per instruction",
        "CPI",
        &series(rows, |r| Some(r.cpi())),
    )
}
