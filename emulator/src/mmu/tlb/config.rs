//! TLB model configuration: which structures exist and how each is
//! organised. Parsing (TOML and `KEY=VALUE` overrides) is in
//! [`super::parse`], the named presets in [`super::presets`].

use super::entry::PageSizes;
use std::fmt;

/// Largest `entries` accepted, so a typo cannot allocate gigabytes.
pub const MAX_ENTRIES: u32 = 1 << 20;

/// What kind of structure it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlbKind {
    /// A real TLB of `entries` entries in `entries / ways` sets.
    Normal,
    /// Unbounded: misses only on the first touch of a page (and after a
    /// flush removed it). An upper bound on any real TLB.
    Ideal,
    /// Holds nothing: every access misses and walks. A lower bound.
    None,
}

/// Victim choice when a set is full (invalid ways are always filled first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replacement {
    /// True least-recently-used (hits and fills update the order).
    Lru,
    /// Tree pseudo-LRU: `ways - 1` bits per set; `ways` a power of two.
    Plru,
    /// First in, first out: evicts the way filled longest ago; hits do not
    /// change the order.
    Fifo,
    /// Uniform over the ways, from a xorshift64* generator with a fixed
    /// per-structure seed, so runs are deterministic.
    Random,
}

impl Replacement {
    /// The configuration name.
    pub const fn name(self) -> &'static str {
        match self {
            Replacement::Lru => "lru",
            Replacement::Plru => "plru",
            Replacement::Fifo => "fifo",
            Replacement::Random => "random",
        }
    }
}

impl TlbKind {
    /// The configuration name.
    pub const fn name(self) -> &'static str {
        match self {
            TlbKind::Normal => "normal",
            TlbKind::Ideal => "ideal",
            TlbKind::None => "none",
        }
    }
}

/// One structure (an L1 TLB, the L2 TLB or the page-walk cache).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructConfig {
    pub kind: TlbKind,
    /// Number of entries (ignored unless `kind` is `Normal`).
    pub entries: u32,
    /// Associativity; `None` = fully associative (`ways = entries`).
    /// 1 = direct mapped.
    pub ways: Option<u32>,
    pub replacement: Replacement,
    /// Page sizes the structure holds. A leaf of a size it does not hold
    /// is cached as the largest held fragment containing the address (the
    /// 4 KiB fragment for a 4K-only structure). For the page-walk cache the
    /// sizes name the region a non-leaf PTE covers: 2M = level-1 PTEs
    /// (pointing to a leaf table), 1G = level-2 (root) PTEs.
    pub page_sizes: PageSizes,
    /// Seed of the `random` policy's generator (nonzero).
    pub seed: u64,
}

impl StructConfig {
    /// A normal fully-associative LRU structure of `entries` entries that
    /// holds every page size.
    pub const fn fully_associative(entries: u32) -> StructConfig {
        StructConfig {
            kind: TlbKind::Normal,
            entries,
            ways: None,
            replacement: Replacement::Lru,
            page_sizes: PageSizes::ALL,
            seed: DEFAULT_SEED,
        }
    }

    /// A structure of `kind` (`Ideal` or `None`) holding every size.
    pub const fn special(kind: TlbKind) -> StructConfig {
        StructConfig {
            kind,
            entries: 0,
            ways: None,
            replacement: Replacement::Lru,
            page_sizes: PageSizes::ALL,
            seed: DEFAULT_SEED,
        }
    }

    /// With `ways` ways.
    pub const fn with_ways(mut self, ways: u32) -> StructConfig {
        self.ways = Some(ways);
        self
    }

    /// With `replacement`.
    pub const fn with_replacement(mut self, replacement: Replacement) -> StructConfig {
        self.replacement = replacement;
        self
    }

    /// With `page_sizes`.
    pub const fn with_page_sizes(mut self, page_sizes: PageSizes) -> StructConfig {
        self.page_sizes = page_sizes;
        self
    }

    /// Associativity after defaulting (fully associative = `entries`).
    pub fn ways(&self) -> u32 {
        self.ways.unwrap_or(self.entries)
    }

    /// Number of sets (`entries / ways`), 1 for `Ideal`/`None`.
    pub fn sets(&self) -> u32 {
        match self.kind {
            TlbKind::Normal if self.ways() > 0 => self.entries / self.ways(),
            _ => 1,
        }
    }

    /// Check the organisation; `section` names it in errors.
    pub fn validate(&self, section: &str) -> Result<(), ConfigError> {
        let s = || section.to_string();
        if self.page_sizes.is_empty() {
            return Err(ConfigError::NoPageSizes { section: s() });
        }
        if self.seed == 0 {
            return Err(ConfigError::ZeroSeed { section: s() });
        }
        if self.kind != TlbKind::Normal {
            return Ok(());
        }
        if self.entries > MAX_ENTRIES {
            return Err(ConfigError::TooManyEntries {
                section: s(),
                entries: self.entries,
            });
        }
        let ways = self.ways();
        if ways == 0 {
            return Err(ConfigError::ZeroWays { section: s() });
        }
        if ways > self.entries {
            return Err(ConfigError::WaysExceedEntries {
                section: s(),
                entries: self.entries,
                ways,
            });
        }
        if !self.entries.is_multiple_of(ways) {
            return Err(ConfigError::EntriesNotMultipleOfWays {
                section: s(),
                entries: self.entries,
                ways,
            });
        }
        if self.replacement == Replacement::Plru && !ways.is_power_of_two() {
            return Err(ConfigError::PlruWays { section: s(), ways });
        }
        Ok(())
    }
}

/// Default seed of the `random` policy.
pub const DEFAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// The whole TLB model: split (`itlb` + `dtlb`) or `unified` L1, optional
/// L2 TLB and page-walk cache. An absent L1 behaves like kind `none`
/// (every access walks); an absent L2 or walk cache is simply skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlbConfig {
    /// L1 instruction TLB (`[itlb]`), used when `unified` is `None`.
    pub itlb: Option<StructConfig>,
    /// L1 data TLB (`[dtlb]`), used when `unified` is `None`.
    pub dtlb: Option<StructConfig>,
    /// One L1 TLB for fetches and data (`[tlb]`); excludes itlb/dtlb.
    pub unified: Option<StructConfig>,
    /// Shared second-level TLB (`[l2tlb]`), looked up on an L1 miss.
    pub l2tlb: Option<StructConfig>,
    /// Page-walk cache of non-leaf PTEs (`[walk_cache]`).
    pub walk_cache: Option<StructConfig>,
    /// Flush every structure on a `satp` write: models hardware without
    /// ASIDs, where software's context-switch fence is implied.
    pub flush_on_satp_write: bool,
}

impl TlbConfig {
    /// Check every structure and the split/unified choice.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.unified.is_some() && (self.itlb.is_some() || self.dtlb.is_some()) {
            return Err(ConfigError::UnifiedAndSplit);
        }
        for (name, s) in self.structures() {
            if let Some(s) = s {
                s.validate(name)?;
            }
        }
        if let Some(w) = &self.walk_cache {
            if w.page_sizes.contains(super::entry::PageSize::Size4K) {
                return Err(ConfigError::WalkCache4K);
            }
        }
        Ok(())
    }

    /// The structures by section name.
    pub fn structures(&self) -> [(&'static str, Option<&StructConfig>); 5] {
        [
            ("itlb", self.itlb.as_ref()),
            ("dtlb", self.dtlb.as_ref()),
            ("tlb", self.unified.as_ref()),
            ("l2tlb", self.l2tlb.as_ref()),
            ("walk_cache", self.walk_cache.as_ref()),
        ]
    }

    /// Drop structures configured with `entries = 0` (kind normal): they
    /// are absent.
    pub fn normalise(&mut self) {
        for s in [
            &mut self.itlb,
            &mut self.dtlb,
            &mut self.unified,
            &mut self.l2tlb,
            &mut self.walk_cache,
        ] {
            if matches!(s, Some(c) if c.kind == TlbKind::Normal && c.entries == 0) {
                *s = None;
            }
        }
    }
}

impl Default for TlbConfig {
    /// The `rocket` preset.
    fn default() -> Self {
        super::presets::rocket()
    }
}

/// Why a configuration was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("TLB config is not valid TOML: {0}")]
    Toml(String),
    #[error("unknown TLB config section [{0}] (expected itlb, dtlb, tlb, l2tlb, walk_cache)")]
    UnknownSection(String),
    #[error("unknown key `{key}` in [{section}] (expected entries, ways, replacement, page_sizes, kind, seed)")]
    UnknownKey { section: String, key: String },
    #[error("unknown top-level TLB config key `{0}` (expected flush_on_satp_write or a section)")]
    UnknownTopKey(String),
    #[error("[{section}] {key}: expected {expected}, got `{got}`")]
    BadValue {
        section: String,
        key: String,
        expected: &'static str,
        got: String,
    },
    #[error("[{section}] missing `entries`")]
    MissingEntries { section: String },
    #[error("[{section}] ways must be at least 1")]
    ZeroWays { section: String },
    #[error("[{section}] ways = {ways} exceeds entries = {entries}")]
    WaysExceedEntries {
        section: String,
        entries: u32,
        ways: u32,
    },
    #[error("[{section}] entries = {entries} is not a multiple of ways = {ways}")]
    EntriesNotMultipleOfWays {
        section: String,
        entries: u32,
        ways: u32,
    },
    #[error("[{section}] plru needs a power-of-two number of ways, got {ways}")]
    PlruWays { section: String, ways: u32 },
    #[error("[{section}] entries = {entries} exceeds the maximum {max}", max = MAX_ENTRIES)]
    TooManyEntries { section: String, entries: u32 },
    #[error("[{section}] page_sizes is empty")]
    NoPageSizes { section: String },
    #[error("[{section}] seed must be nonzero")]
    ZeroSeed { section: String },
    #[error("[walk_cache] cannot hold 4K: it caches non-leaf PTEs (2M = level 1, 1G = level 2)")]
    WalkCache4K,
    #[error("a unified [tlb] excludes [itlb] and [dtlb]")]
    UnifiedAndSplit,
    #[error("bad TLB override `{0}`: expected SECTION.KEY=VALUE or flush_on_satp_write=BOOL")]
    BadOverride(String),
    #[error("unknown TLB preset `{0}` (expected rocket, u74, c906, ideal, none)")]
    UnknownPreset(String),
}

impl fmt::Display for StructConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TlbKind::Normal => {
                let ways = self.ways();
                let org = if ways == self.entries {
                    "fully associative".to_string()
                } else if ways == 1 {
                    "direct mapped".to_string()
                } else {
                    format!("{ways}-way")
                };
                write!(
                    f,
                    "{} entries, {org}, {}",
                    self.entries,
                    self.replacement.name()
                )?;
            }
            k => write!(f, "{}", k.name())?,
        }
        let sizes: Vec<_> = self.page_sizes.iter().map(|s| s.name()).collect();
        write!(f, ", pages {}", sizes.join("/"))
    }
}
