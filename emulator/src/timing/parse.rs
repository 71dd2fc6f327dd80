//! Timing configuration from TOML and `KEY=VALUE` overrides. Every key is
//! `SECTION.KEY` (or a top-level key); a TOML file may start from a
//! preset with `preset = "u74"` (default `rocket`) and changes what it
//! names:
//!
//! ```toml
//! preset = "rocket"
//! clock_hz = 1_000_000_000
//! memory_latency = 80
//! [issue]            # cycles in the issue stage, per class
//! system = 3
//! [latency]          # result latency, per class (alu, branch, jal, jalr,
//! mul = 9            # load, store, amo, mul, div, divw, fadd, fmul, fma,
//!                    # fdiv, fsqrt, fcvt, fmv, fload, fstore, csr, system)
//! [muldiv]
//! mul_pipelined = false
//! div_base = 1
//! div_bits_per_cycle = 1
//! div_early_out = true
//! [branch]
//! kind = "gshare"    # or "bimodal"
//! entries = 512
//! counter_bits = 2
//! history_bits = 8
//! btb_entries = 32
//! mispredict_penalty = 3
//! [l1i]              # also [l1d], [l2] (size = 0: no L2)
//! size = "16K"       # bytes, or with a K/M suffix
//! ways = 4
//! line = 64
//! hit_latency = 2
//! [tlb]
//! l2_hit_latency = 3
//! walk_base = 0
//! pte_via_l1d = true
//! ```
//!
//! Overrides use the same names: `--model-set l1d.size=64K
//! --model-set branch.kind=bimodal --model-set latency.mul=4`.

use super::class::InsnClass;
use super::config::{ConfigError, PredictorKind, TimingConfig};
use toml::Value;

impl TimingConfig {
    /// Parse a TOML configuration (see the module docs), validated.
    pub fn from_toml(text: &str) -> Result<TimingConfig, ConfigError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Toml(e.to_string().trim().to_string()))?;
        let base = match table.get("preset") {
            None => "rocket",
            Some(Value::String(s)) => s.as_str(),
            Some(v) => return Err(bad("preset", "a preset name", v)),
        };
        let mut cfg =
            super::presets::by_name(base).ok_or_else(|| ConfigError::UnknownPreset(base.into()))?;
        for (name, value) in &table {
            match value {
                _ if name == "preset" => {}
                Value::Table(keys) => {
                    for (key, v) in keys {
                        cfg.set(&format!("{name}.{key}"), v)?;
                    }
                }
                v => cfg.set(name, v)?,
            }
        }
        cfg.validate()?;
        Ok(cfg)
    }

    /// Apply one `KEY=VALUE` override (not validated: call
    /// [`TimingConfig::validate`] after the last one).
    pub fn apply_override(&mut self, spec: &str) -> Result<(), ConfigError> {
        let (key, raw) = spec
            .split_once('=')
            .ok_or_else(|| ConfigError::BadOverride(spec.to_string()))?;
        let raw = raw.trim();
        let value = raw
            .parse::<Value>()
            .unwrap_or_else(|_| Value::String(raw.to_string()));
        self.set(key.trim(), &value)
    }

    /// `spec` is a preset name (`rocket`, `u74`, `c906`), `none`
    /// (functional mode: `Ok(None)`) or the path of a TOML file; then
    /// `overrides` are applied in order and the result validated.
    pub fn load<S: AsRef<str>>(
        spec: &str,
        overrides: &[S],
    ) -> Result<Option<TimingConfig>, ConfigError> {
        if spec == "none" {
            return if overrides.is_empty() {
                Ok(None)
            } else {
                Err(ConfigError::OverridesWithNone)
            };
        }
        let mut cfg = match super::presets::by_name(spec) {
            Some(c) => c,
            None if spec.ends_with(".toml") || std::path::Path::new(spec).is_file() => {
                let text = std::fs::read_to_string(spec)
                    .map_err(|e| ConfigError::Toml(format!("{spec}: {e}")))?;
                TimingConfig::from_toml(&text)?
            }
            None => return Err(ConfigError::UnknownPreset(spec.into())),
        };
        for o in overrides {
            cfg.apply_override(o.as_ref())?;
        }
        cfg.validate()?;
        Ok(Some(cfg))
    }

    /// Set one parameter by its `SECTION.KEY` name.
    pub fn set(&mut self, key: &str, v: &Value) -> Result<(), ConfigError> {
        let unknown = || ConfigError::UnknownKey(key.to_string());
        let (section, field) = key.split_once('.').unwrap_or(("", key));
        match (section, field) {
            ("", "clock_hz") => self.clock_hz = as_u64(key, v)?,
            ("", "memory_latency") => self.memory_latency = as_u32(key, v)?,
            ("issue" | "latency", class) => {
                let c = InsnClass::from_name(class).ok_or_else(unknown)?;
                let n = as_u32(key, v)?;
                if section == "issue" {
                    self.issue[c as usize] = n;
                } else {
                    self.latency[c as usize] = n;
                }
            }
            ("muldiv", "mul_pipelined") => self.muldiv.mul_pipelined = as_bool(key, v)?,
            ("muldiv", "div_base") => self.muldiv.div_base = as_u32(key, v)?,
            ("muldiv", "div_bits_per_cycle") => self.muldiv.div_bits_per_cycle = as_u32(key, v)?,
            ("muldiv", "div_early_out") => self.muldiv.div_early_out = as_bool(key, v)?,
            ("branch", "kind") => {
                self.branch.kind = match v.as_str() {
                    Some("bimodal") => PredictorKind::Bimodal,
                    Some("gshare") => PredictorKind::Gshare,
                    _ => return Err(bad(key, "bimodal or gshare", v)),
                }
            }
            ("branch", "entries") => self.branch.entries = as_u32(key, v)?,
            ("branch", "counter_bits") => self.branch.counter_bits = as_u32(key, v)?,
            ("branch", "history_bits") => self.branch.history_bits = as_u32(key, v)?,
            ("branch", "btb_entries") => self.branch.btb_entries = as_u32(key, v)?,
            ("branch", "mispredict_penalty") => self.branch.mispredict_penalty = as_u32(key, v)?,
            ("l1i" | "l1d" | "l2", f) => {
                let c = match section {
                    "l1i" => &mut self.l1i,
                    "l1d" => &mut self.l1d,
                    _ => &mut self.l2,
                };
                match f {
                    "size" => c.size = as_size(key, v)?,
                    "ways" => c.ways = as_u32(key, v)?,
                    "line" => c.line = as_size(key, v)?,
                    "hit_latency" => c.hit_latency = as_u32(key, v)?,
                    _ => return Err(unknown()),
                }
            }
            ("tlb", "l2_hit_latency") => self.tlb.l2_hit_latency = as_u32(key, v)?,
            ("tlb", "walk_base") => self.tlb.walk_base = as_u32(key, v)?,
            ("tlb", "pte_via_l1d") => self.tlb.pte_via_l1d = as_bool(key, v)?,
            _ => return Err(unknown()),
        }
        Ok(())
    }
}

fn bad(key: &str, expected: &'static str, v: &Value) -> ConfigError {
    ConfigError::BadValue {
        key: key.into(),
        expected,
        got: match v {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        },
    }
}

fn as_bool(key: &str, v: &Value) -> Result<bool, ConfigError> {
    v.as_bool().ok_or_else(|| bad(key, "true or false", v))
}

fn as_u64(key: &str, v: &Value) -> Result<u64, ConfigError> {
    v.as_integer()
        .and_then(|i| u64::try_from(i).ok())
        .ok_or_else(|| bad(key, "a non-negative integer", v))
}

fn as_u32(key: &str, v: &Value) -> Result<u32, ConfigError> {
    v.as_integer()
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| bad(key, "a non-negative 32-bit integer", v))
}

/// Bytes: an integer or a string with a K or M suffix (`"32K"`, `2M`).
fn as_size(key: &str, v: &Value) -> Result<u32, ConfigError> {
    const EXPECTED: &str = "a size in bytes (e.g. 32768, 32K, 2M)";
    if let Some(i) = v.as_integer() {
        return u32::try_from(i).map_err(|_| bad(key, EXPECTED, v));
    }
    let s = v.as_str().ok_or_else(|| bad(key, EXPECTED, v))?.trim();
    let (digits, mult) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1u64 << 20),
        _ => (s, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| bad(key, EXPECTED, v))
}
