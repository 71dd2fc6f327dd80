//! Timing statistics: cycles, instret, CPI, stall cycles by cause, cache
//! and branch counters. JSON: `{"cycles", "instret", "cpi", "stalls":
//! {"icache", "dcache", "tlb", "branch", "muldiv", "load_use", "fp",
//! "other"}, "cache": {"l1i"|"l1d"|"l2": {"accesses", "misses"}},
//! "branch": {...}}`.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

/// Stall cycles by cause. `icache`, `dcache`, `tlb` (L2-TLB hits and
/// walks), `branch` (mispredictions) and `muldiv` (waiting for a mul/div
/// result or for the busy unit) are the headline causes; `load_use`
/// (waiting for a load hit's data), `fp` (waiting for an FP result) and
/// `other` (CSR results) complete the sum, so
/// `cycles = Σ issue cycles + Σ stalls`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stalls {
    pub icache: u64,
    pub dcache: u64,
    pub tlb: u64,
    pub branch: u64,
    pub muldiv: u64,
    pub load_use: u64,
    pub fp: u64,
    pub other: u64,
}

impl Stalls {
    /// Sum over every cause.
    pub fn total(&self) -> u64 {
        self.icache
            + self.dcache
            + self.tlb
            + self.branch
            + self.muldiv
            + self.load_use
            + self.fp
            + self.other
    }
}

/// Accesses and misses of one cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheCounts {
    pub accesses: u64,
    pub misses: u64,
}

impl CacheCounts {
    /// Misses / accesses (0 when never accessed).
    pub fn miss_rate(&self) -> f64 {
        if self.accesses == 0 {
            0.0
        } else {
            self.misses as f64 / self.accesses as f64
        }
    }
}

/// Per-cache counters. `l1d` includes PTE reads of page walks when they
/// go through the D-cache; `l2` counts L1 misses (and PTE reads that
/// bypass the L1D).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub l1i: CacheCounts,
    pub l1d: CacheCounts,
    pub l2: CacheCounts,
}

/// Control-flow prediction counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BranchStats {
    /// Conditional branches, and those mispredicted.
    pub branches: u64,
    pub mispredicts: u64,
    /// jal/jalr, and those whose target the BTB did not predict.
    pub jumps: u64,
    pub jump_mispredicts: u64,
}

/// Everything the model counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimingStats {
    pub cycles: u64,
    pub instret: u64,
    pub stalls: Stalls,
    pub cache: CacheStats,
    pub branch: BranchStats,
}

impl TimingStats {
    /// Cycles per instruction (0 before the first instruction).
    pub fn cpi(&self) -> f64 {
        if self.instret == 0 {
            0.0
        } else {
            self.cycles as f64 / self.instret as f64
        }
    }

    /// The JSON object (see the module docs).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for TimingStats {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TimingStats", 6)?;
        st.serialize_field("cycles", &self.cycles)?;
        st.serialize_field("instret", &self.instret)?;
        st.serialize_field("cpi", &self.cpi())?;
        st.serialize_field("stalls", &self.stalls)?;
        st.serialize_field("cache", &self.cache)?;
        st.serialize_field("branch", &self.branch)?;
        st.end()
    }
}

impl fmt::Display for TimingStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stalls;
        writeln!(
            f,
            "timing: {} cycles, {} instructions, CPI {:.3}",
            self.cycles,
            self.instret,
            self.cpi()
        )?;
        writeln!(
            f,
            "  stalls: icache {} dcache {} tlb {} branch {} muldiv {} load-use {} fp {} other {}",
            s.icache, s.dcache, s.tlb, s.branch, s.muldiv, s.load_use, s.fp, s.other
        )?;
        for (name, c) in [
            ("l1i", self.cache.l1i),
            ("l1d", self.cache.l1d),
            ("l2", self.cache.l2),
        ] {
            writeln!(
                f,
                "  {name}: {} accesses, {} misses ({:.2}%)",
                c.accesses,
                c.misses,
                100.0 * c.miss_rate()
            )?;
        }
        let b = &self.branch;
        write!(
            f,
            "  branches: {} ({} mispredicted), jumps: {} ({} mispredicted)",
            b.branches, b.mispredicts, b.jumps, b.jump_mispredicts
        )
    }
}
