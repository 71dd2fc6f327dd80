//! Timing model configuration. Parsing (TOML and `KEY=VALUE` overrides)
//! is in [`super::parse`], the presets in [`super::presets`].

use super::class::InsnClass;

/// Largest cache accepted (bytes), so a typo cannot allocate gigabytes.
pub const MAX_CACHE_BYTES: u32 = 1 << 28;
/// Largest predictor / BTB table accepted (entries).
pub const MAX_TABLE_ENTRIES: u32 = 1 << 24;

/// One cache level: `size` bytes in `size / (ways * line)` sets, true LRU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    /// Capacity in bytes; 0 = absent (only allowed for `l2`).
    pub size: u32,
    pub ways: u32,
    /// Line size in bytes (power of two).
    pub line: u32,
    /// L1D: load-to-use latency of a hit (a dependent instruction right
    /// after a load waits `hit_latency - 1` cycles). L1I: hidden by the
    /// fetch pipeline, not charged. L2: added to an L1 miss that hits L2.
    pub hit_latency: u32,
}

impl CacheConfig {
    pub const ABSENT: CacheConfig = CacheConfig {
        size: 0,
        ways: 1,
        line: 64,
        hit_latency: 0,
    };

    /// Number of sets.
    pub fn sets(&self) -> u32 {
        self.size / (self.ways.max(1) * self.line.max(1))
    }

    fn validate(&self, section: &str, optional: bool) -> Result<(), ConfigError> {
        let bad = |why: String| {
            Err(ConfigError::Invalid {
                section: section.into(),
                why,
            })
        };
        if self.size == 0 {
            return if optional {
                Ok(())
            } else {
                bad("size must be nonzero".into())
            };
        }
        if self.size > MAX_CACHE_BYTES {
            return bad(format!("size {} exceeds {MAX_CACHE_BYTES}", self.size));
        }
        if self.line < 4 || !self.line.is_power_of_two() {
            return bad(format!("line = {} is not a power of two >= 4", self.line));
        }
        if self.ways == 0 {
            return bad("ways must be at least 1".into());
        }
        let set_bytes = self.ways as u64 * self.line as u64;
        if !(self.size as u64).is_multiple_of(set_bytes) || !self.sets().is_power_of_two() {
            return bad(format!(
                "size = {} is not a power-of-two number of sets of {} ways x {} bytes",
                self.size, self.ways, self.line
            ));
        }
        Ok(())
    }
}

/// Direction predictor kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PredictorKind {
    /// Saturating counters indexed by pc.
    Bimodal,
    /// Counters indexed by pc XOR global history.
    Gshare,
}

impl PredictorKind {
    pub const fn name(self) -> &'static str {
        match self {
            PredictorKind::Bimodal => "bimodal",
            PredictorKind::Gshare => "gshare",
        }
    }
}

/// Branch prediction: direction predictor plus a direct-mapped BTB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BranchConfig {
    pub kind: PredictorKind,
    /// Counter table entries (power of two).
    pub entries: u32,
    /// Counter width: 1 or 2 bits (initialised to weakly not-taken).
    pub counter_bits: u32,
    /// Global history bits (gshare), at most 32.
    pub history_bits: u32,
    /// BTB entries (power of two; direct mapped, tagged by the full pc).
    pub btb_entries: u32,
    /// Cycles lost on a mispredicted direction or target.
    pub mispredict_penalty: u32,
}

/// Integer multiply/divide unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MulDivConfig {
    /// A new mul may issue every cycle (else the unit is busy until the
    /// result is ready). Divides are never pipelined.
    pub mul_pipelined: bool,
    /// Divide latency = `div_base + ceil(iterations / div_bits_per_cycle)`.
    pub div_base: u32,
    pub div_bits_per_cycle: u32,
    /// Early out: iterations = `bitlen(|dividend|) - bitlen(|divisor|) + 1`
    /// clamped to 1..=width (operands as unsigned magnitudes; divisor 0
    /// = 1 iteration); else always `width` (64, or 32 for the W forms).
    pub div_early_out: bool,
}

/// TLB-miss costs (the TLB structures themselves are the MMU's model).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbTiming {
    /// Cycles for an L1 TLB miss that hits the L2 TLB.
    pub l2_hit_latency: u32,
    /// Fixed cycles per page walk on top of its PTE reads.
    pub walk_base: u32,
    /// PTE reads go through the L1 D-cache (else straight to L2/memory).
    pub pte_via_l1d: bool,
}

/// The whole model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimingConfig {
    /// Preset it came from (informational).
    pub name: String,
    /// Core clock in Hz: mtime advances `cycles * timebase / clock_hz`.
    pub clock_hz: u64,
    /// Cycles an instruction of each class occupies the issue stage
    /// (`[issue]`, indexed by `InsnClass as usize`).
    pub issue: [u32; InsnClass::COUNT],
    /// Cycles from issue until its result can be used (`[latency]`).
    /// Loads use `l1d.hit_latency` instead; divides use `[muldiv]`.
    pub latency: [u32; InsnClass::COUNT],
    pub muldiv: MulDivConfig,
    pub branch: BranchConfig,
    pub l1i: CacheConfig,
    pub l1d: CacheConfig,
    /// Unified L2; `size = 0` = absent.
    pub l2: CacheConfig,
    /// Cycles to memory behind the last cache level.
    pub memory_latency: u32,
    pub tlb: TlbTiming,
}

impl TimingConfig {
    /// Check every parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |section: &str, why: String| {
            Err(ConfigError::Invalid {
                section: section.into(),
                why,
            })
        };
        if self.clock_hz == 0 {
            return bad("", "clock_hz must be nonzero".into());
        }
        self.l1i.validate("l1i", false)?;
        self.l1d.validate("l1d", false)?;
        self.l2.validate("l2", true)?;
        let b = &self.branch;
        if b.entries == 0 || !b.entries.is_power_of_two() || b.entries > MAX_TABLE_ENTRIES {
            return bad(
                "branch",
                format!("entries = {} is not a power of two in 1..=2^24", b.entries),
            );
        }
        if b.btb_entries == 0
            || !b.btb_entries.is_power_of_two()
            || b.btb_entries > MAX_TABLE_ENTRIES
        {
            return bad(
                "branch",
                format!(
                    "btb_entries = {} is not a power of two in 1..=2^24",
                    b.btb_entries
                ),
            );
        }
        if !(1..=2).contains(&b.counter_bits) {
            return bad(
                "branch",
                format!("counter_bits = {} (expected 1 or 2)", b.counter_bits),
            );
        }
        if b.history_bits > 32 {
            return bad(
                "branch",
                format!("history_bits = {} exceeds 32", b.history_bits),
            );
        }
        if self.muldiv.div_bits_per_cycle == 0 {
            return bad("muldiv", "div_bits_per_cycle must be at least 1".into());
        }
        for c in InsnClass::ALL {
            if self.issue[c as usize] == 0 {
                return bad("issue", format!("{} must be at least 1", c.name()));
            }
        }
        Ok(())
    }

    /// Physical-memory cost of an L1 miss: L2 hit latency, plus the memory
    /// latency if L2 misses too (or memory alone without an L2).
    pub fn l2_present(&self) -> bool {
        self.l2.size != 0
    }
}

/// Why a configuration was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("timing config is not valid TOML: {0}")]
    Toml(String),
    #[error("unknown timing model `{0}` (expected rocket, u74, c906, none, or a .toml file)")]
    UnknownPreset(String),
    #[error("unknown timing config key `{0}`")]
    UnknownKey(String),
    #[error("timing config {key}: expected {expected}, got `{got}`")]
    BadValue {
        key: String,
        expected: &'static str,
        got: String,
    },
    #[error("bad timing override `{0}`: expected KEY=VALUE, e.g. l1d.size=65536")]
    BadOverride(String),
    #[error("timing config [{section}]: {why}")]
    Invalid { section: String, why: String },
    #[error("--model none (functional) takes no --model-set overrides")]
    OverridesWithNone,
}
