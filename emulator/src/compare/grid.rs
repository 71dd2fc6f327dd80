//! TLB configurations to compare: `--tlb PRESET|FILE` entries, the
//! cartesian product of the `--grid KEY=V1,V2,...` axes applied as
//! overrides on `--base`, and always the `ideal` and `none` bounds.

use crate::mmu::tlb::TlbConfig;

/// One TLB configuration of a comparison.
#[derive(Clone, Debug)]
pub struct TlbChoice {
    /// The preset or file it starts from.
    pub base: String,
    /// `KEY=VALUE` overrides, in grid order.
    pub overrides: Vec<String>,
    pub config: TlbConfig,
}

impl TlbChoice {
    /// `base` alone, or `base key=v;key=v`.
    pub fn name(&self) -> String {
        if self.overrides.is_empty() {
            self.base.clone()
        } else {
            format!("{} {}", self.base, self.overrides.join(";"))
        }
    }

    /// Whether this is one of the `ideal`/`none` bounds.
    pub fn is_bound(&self) -> bool {
        self.overrides.is_empty() && (self.base == "ideal" || self.base == "none")
    }

    /// Entries of the L1 data TLB (or of a unified L1), 0 if absent.
    pub fn dtlb_entries(&self) -> u32 {
        self.config
            .dtlb
            .as_ref()
            .or(self.config.unified.as_ref())
            .map_or(0, |s| s.entries)
    }
}

/// A `--grid` axis: `KEY=V1,V2,...`.
pub fn parse_axis(s: &str) -> Result<(String, Vec<String>), String> {
    let (key, values) = s
        .split_once('=')
        .ok_or_else(|| format!("--grid {s}: expected KEY=V1,V2,... (e.g. dtlb.entries=8,16,32)"))?;
    let key = key.trim();
    let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
    if key.is_empty() || values.iter().any(|v| v.is_empty()) {
        return Err(format!(
            "--grid {s}: expected KEY=V1,V2,... with no empty key or value"
        ));
    }
    Ok((key.to_string(), values))
}

/// Every configuration, in order: the `--tlb` ones, the grid points (the
/// first axis varying slowest), then `ideal` and `none` unless given.
/// With neither `--tlb` nor `--grid`: rocket, u74, c906.
pub fn configurations(
    tlbs: &[String],
    base: &str,
    grid: &[String],
) -> Result<Vec<TlbChoice>, String> {
    let load = |spec: &str, overrides: Vec<String>| -> Result<TlbChoice, String> {
        let config = TlbConfig::load(spec, &overrides).map_err(|e| {
            if overrides.is_empty() {
                format!("--tlb {spec}: {e}")
            } else {
                format!("--grid on {spec} ({}): {e}", overrides.join(" "))
            }
        })?;
        Ok(TlbChoice {
            base: spec.to_string(),
            overrides,
            config,
        })
    };
    let axes = grid
        .iter()
        .map(|g| parse_axis(g))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    let defaults = ["rocket", "u74", "c906"].map(String::from);
    let tlbs: &[String] = if tlbs.is_empty() && axes.is_empty() {
        &defaults
    } else {
        tlbs
    };
    for t in tlbs {
        out.push(load(t, Vec::new())?);
    }
    if !axes.is_empty() {
        let mut points: Vec<Vec<String>> = vec![Vec::new()];
        for (key, values) in &axes {
            points = points
                .into_iter()
                .flat_map(|p| {
                    values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.push(format!("{key}={v}"));
                        q
                    })
                })
                .collect();
        }
        for p in points {
            out.push(load(base, p)?);
        }
    }
    for bound in ["ideal", "none"] {
        if !out
            .iter()
            .any(|c| c.base == bound && c.overrides.is_empty())
        {
            out.push(load(bound, Vec::new())?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_a_cartesian_product_plus_bounds() {
        let c = configurations(
            &[],
            "rocket",
            &[
                "dtlb.entries=8,16".into(),
                "dtlb.replacement=lru,fifo".into(),
            ],
        )
        .unwrap();
        let names: Vec<String> = c.iter().map(|c| c.name()).collect();
        assert_eq!(
            names,
            [
                "rocket dtlb.entries=8;dtlb.replacement=lru",
                "rocket dtlb.entries=8;dtlb.replacement=fifo",
                "rocket dtlb.entries=16;dtlb.replacement=lru",
                "rocket dtlb.entries=16;dtlb.replacement=fifo",
                "ideal",
                "none"
            ]
        );
        assert_eq!(c[2].dtlb_entries(), 16);
        assert!(parse_axis("dtlb.entries").is_err());
        assert!(parse_axis("dtlb.entries=8,,16").is_err());
    }
}
