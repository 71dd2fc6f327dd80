//! Reading a [`TlbConfig`] from TOML and applying `KEY=VALUE` overrides.
//!
//! ```toml
//! flush_on_satp_write = false   # optional, default false
//! [itlb]                        # or [tlb] for one unified L1
//! entries = 32                  # 0 (or no section) = absent
//! ways = 4                      # default: fully associative
//! replacement = "plru"          # lru (default) | plru | fifo | random
//! page_sizes = ["4K", "2M", "1G"]  # default: all
//! kind = "normal"               # normal (default) | ideal | none
//! seed = 1                      # random policy seed (optional)
//! [dtlb]
//! entries = 32
//! [l2tlb]
//! entries = 512
//! ways = 1
//! [walk_cache]
//! entries = 8
//! ```

use super::config::{ConfigError, Replacement, StructConfig, TlbConfig, TlbKind};
use super::entry::{PageSize, PageSizes};
use toml::Value;

const SECTIONS: [&str; 5] = ["itlb", "dtlb", "tlb", "l2tlb", "walk_cache"];

impl TlbConfig {
    /// A configuration with no structure at all (every access walks).
    pub const fn empty() -> TlbConfig {
        TlbConfig {
            itlb: None,
            dtlb: None,
            unified: None,
            l2tlb: None,
            walk_cache: None,
            flush_on_satp_write: false,
        }
    }

    /// Parse a TOML configuration (see the module docs); missing sections
    /// are absent structures. The result is validated.
    pub fn from_toml(text: &str) -> Result<TlbConfig, ConfigError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Toml(e.to_string().trim().to_string()))?;
        let mut cfg = TlbConfig::empty();
        for (name, value) in &table {
            match (name.as_str(), value) {
                ("flush_on_satp_write", v) => {
                    cfg.flush_on_satp_write = as_bool("", name, v)?;
                }
                (section, Value::Table(keys)) => {
                    let slot = cfg.section_mut(section)?;
                    let mut s = section_default(section);
                    let mut has_entries = false;
                    for (key, v) in keys {
                        has_entries |= key == "entries";
                        set_key(&mut s, section, key, v)?;
                    }
                    if !has_entries && s.kind == TlbKind::Normal {
                        return Err(ConfigError::MissingEntries {
                            section: section.into(),
                        });
                    }
                    *slot = Some(s);
                }
                (s, _) if SECTIONS.contains(&s) => {
                    return Err(ConfigError::BadValue {
                        section: s.into(),
                        key: String::new(),
                        expected: "a table",
                        got: value.to_string(),
                    })
                }
                (other, _) => return Err(ConfigError::UnknownTopKey(other.into())),
            }
        }
        cfg.finish()
    }

    /// Apply one override `SECTION.KEY=VALUE` (e.g. `dtlb.entries=64`,
    /// `dtlb.replacement=fifo`, `dtlb.page_sizes=4K,2M`) or
    /// `flush_on_satp_write=BOOL`. A section that does not exist yet is
    /// created with defaults (and stays absent until it has entries).
    /// Call [`Self::finish`] after the last override.
    pub fn apply_override(&mut self, spec: &str) -> Result<(), ConfigError> {
        let bad = || ConfigError::BadOverride(spec.to_string());
        let (path, raw) = spec.split_once('=').ok_or_else(bad)?;
        let (path, raw) = (path.trim(), raw.trim());
        let value = parse_override_value(raw);
        if path == "flush_on_satp_write" {
            self.flush_on_satp_write = as_bool("", path, &value)?;
            return Ok(());
        }
        let (section, key) = path.split_once('.').ok_or_else(bad)?;
        let slot = self.section_mut(section)?;
        let s = slot.get_or_insert_with(|| StructConfig {
            entries: 0,
            ..section_default(section)
        });
        set_key(s, section, key, &value)
    }

    /// Normalise (`entries = 0` → absent) and validate.
    pub fn finish(mut self) -> Result<TlbConfig, ConfigError> {
        self.normalise();
        self.validate()?;
        Ok(self)
    }

    /// `spec` is a preset name (`rocket`, `u74`, `c906`, `ideal`, `none`) or
    /// the path of a TOML file; then `overrides` are applied in order.
    pub fn load<S: AsRef<str>>(spec: &str, overrides: &[S]) -> Result<TlbConfig, ConfigError> {
        let mut cfg = match super::presets::by_name(spec) {
            Some(c) => c,
            None if spec.ends_with(".toml") || std::path::Path::new(spec).is_file() => {
                let text = std::fs::read_to_string(spec)
                    .map_err(|e| ConfigError::Toml(format!("{spec}: {e}")))?;
                TlbConfig::from_toml(&text)?
            }
            None => return Err(ConfigError::UnknownPreset(spec.into())),
        };
        for o in overrides {
            cfg.apply_override(o.as_ref())?;
        }
        cfg.finish()
    }

    fn section_mut(&mut self, section: &str) -> Result<&mut Option<StructConfig>, ConfigError> {
        Ok(match section {
            "itlb" => &mut self.itlb,
            "dtlb" => &mut self.dtlb,
            "tlb" => &mut self.unified,
            "l2tlb" => &mut self.l2tlb,
            "walk_cache" => &mut self.walk_cache,
            other => return Err(ConfigError::UnknownSection(other.into())),
        })
    }
}

fn section_default(section: &str) -> StructConfig {
    let s = StructConfig::fully_associative(0);
    if section == "walk_cache" {
        s.with_page_sizes(PageSizes::SUPER)
    } else {
        s
    }
}

/// An override value: TOML if it parses (`64`, `true`, `"fifo"`,
/// `["4K"]`), else the raw text as a string (`fifo`, `4K,2M`).
fn parse_override_value(raw: &str) -> Value {
    raw.parse::<Value>()
        .unwrap_or_else(|_| Value::String(raw.to_string()))
}

fn bad(section: &str, key: &str, expected: &'static str, v: &Value) -> ConfigError {
    ConfigError::BadValue {
        section: section.into(),
        key: key.into(),
        expected,
        got: match v {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        },
    }
}

fn as_bool(section: &str, key: &str, v: &Value) -> Result<bool, ConfigError> {
    v.as_bool()
        .ok_or_else(|| bad(section, key, "true or false", v))
}

fn as_u32(section: &str, key: &str, v: &Value) -> Result<u32, ConfigError> {
    v.as_integer()
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| bad(section, key, "a non-negative integer", v))
}

fn set_key(s: &mut StructConfig, section: &str, key: &str, v: &Value) -> Result<(), ConfigError> {
    match key {
        "entries" => s.entries = as_u32(section, key, v)?,
        "ways" => s.ways = Some(as_u32(section, key, v)?),
        "replacement" => {
            s.replacement = match v.as_str() {
                Some("lru") => Replacement::Lru,
                Some("plru") => Replacement::Plru,
                Some("fifo") => Replacement::Fifo,
                Some("random") => Replacement::Random,
                _ => return Err(bad(section, key, "lru, plru, fifo or random", v)),
            }
        }
        "kind" => {
            s.kind = match v.as_str() {
                Some("normal") => TlbKind::Normal,
                Some("ideal") => TlbKind::Ideal,
                Some("none") => TlbKind::None,
                _ => return Err(bad(section, key, "normal, ideal or none", v)),
            }
        }
        "page_sizes" => s.page_sizes = page_sizes(section, v)?,
        "seed" => {
            s.seed = v
                .as_integer()
                .map(|i| i as u64)
                .ok_or_else(|| bad(section, key, "an integer", v))?
        }
        _ => {
            return Err(ConfigError::UnknownKey {
                section: section.into(),
                key: key.into(),
            })
        }
    }
    Ok(())
}

fn page_sizes(section: &str, v: &Value) -> Result<PageSizes, ConfigError> {
    const EXPECTED: &str = "a list of 4K, 2M, 1G";
    let names: Vec<String> = match v {
        Value::String(s) => s.split(',').map(|p| p.trim().to_string()).collect(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad(section, "page_sizes", EXPECTED, v))?,
        _ => return Err(bad(section, "page_sizes", EXPECTED, v)),
    };
    let mut set = PageSizes::EMPTY;
    for n in &names {
        let size = PageSize::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(n))
            .ok_or_else(|| bad(section, "page_sizes", EXPECTED, &Value::String(n.clone())))?;
        set = set.with(size);
    }
    Ok(set)
}
