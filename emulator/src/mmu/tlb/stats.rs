//! [`TlbStats`]: exact counters of the TLB model, serialisable to JSON
//! (`tlb.itlb.{accesses,hits,misses}`, ..., `walks.{total,4K,2M,1G,pte_reads}`;
//! the caller adds `instret` at the top level) and printable as a summary.

use super::array::FlushKind;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Privilege mode of a translated access (the effective mode: MPRV's MPP
/// for M-mode loads and stores, §3.1.6.3). M-mode without MPRV and Bare
/// are untranslated and never reach the TLB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// U-mode.
    User,
    /// S-mode.
    Supervisor,
}

/// Accesses, hits and misses (accesses = hits + misses).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub accesses: u64,
    pub hits: u64,
    pub misses: u64,
}

impl Counts {
    #[inline(always)]
    fn record(&mut self, hit: bool) {
        self.accesses += 1;
        self.hits += hit as u64;
        self.misses += !hit as u64;
    }

    /// hits / accesses, 0 when there were none.
    pub fn hit_rate(&self) -> f64 {
        if self.accesses == 0 {
            0.0
        } else {
            self.hits as f64 / self.accesses as f64
        }
    }
}

/// Per-ASID counts: a small vector searched from the last ASID used
/// (context switches are rare next to accesses); serialised as a map
/// sorted by ASID.
#[derive(Clone, Debug, Default)]
pub struct AsidCounts {
    entries: Vec<(u16, Counts)>,
    last: usize,
}

impl AsidCounts {
    #[inline(always)]
    fn get_mut(&mut self, asid: u16) -> &mut Counts {
        if self.entries.get(self.last).map(|e| e.0) != Some(asid) {
            self.last = match self.entries.iter().position(|e| e.0 == asid) {
                Some(i) => i,
                None => {
                    self.entries.push((asid, Counts::default()));
                    self.entries.len() - 1
                }
            };
        }
        &mut self.entries[self.last].1
    }

    /// Counts of `asid` (zero if it never accessed).
    pub fn get(&self, asid: u16) -> Counts {
        self.entries
            .iter()
            .find(|e| e.0 == asid)
            .map_or_else(Counts::default, |e| e.1)
    }

    /// As a sorted map.
    pub fn to_map(&self) -> BTreeMap<u16, Counts> {
        self.entries.iter().copied().collect()
    }
}

impl PartialEq for AsidCounts {
    fn eq(&self, other: &Self) -> bool {
        self.to_map() == other.to_map()
    }
}

impl Serialize for AsidCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let map = self.to_map();
        let mut m = s.serialize_map(Some(map.len()))?;
        for (k, v) in &map {
            m.serialize_entry(&k.to_string(), v)?;
        }
        m.end()
    }
}

/// Counters of one structure.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StructStats {
    #[serde(flatten)]
    pub total: Counts,
    /// U-mode accesses.
    #[serde(rename = "U")]
    pub user: Counts,
    /// S-mode accesses.
    #[serde(rename = "S")]
    pub supervisor: Counts,
    /// By the ASID of the access (`satp.ASID`).
    pub by_asid: AsidCounts,
}

impl StructStats {
    /// Count one lookup.
    #[inline(always)]
    pub fn record(&mut self, hit: bool, mode: Mode, asid: u16) {
        self.total.record(hit);
        match mode {
            Mode::User => self.user.record(hit),
            Mode::Supervisor => self.supervisor.record(hit),
        }
        self.by_asid.get_mut(asid).record(hit);
    }

    /// Count `n` lookups that all hit (accounted in bulk by the fast paths).
    pub fn record_hits(&mut self, n: u64, mode: Mode, asid: u16) {
        let add = |c: &mut Counts| {
            c.accesses += n;
            c.hits += n;
        };
        add(&mut self.total);
        match mode {
            Mode::User => add(&mut self.user),
            Mode::Supervisor => add(&mut self.supervisor),
        }
        add(self.by_asid.get_mut(asid));
    }
}

/// The structures' counters (`tlb.*` in JSON). With a unified L1, `itlb`
/// counts its fetch lookups and `dtlb` its data lookups.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StructureStats {
    pub itlb: StructStats,
    pub dtlb: StructStats,
    pub l2tlb: StructStats,
    pub walk_cache: StructStats,
}

/// Page-table walks (`walks.*` in JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WalkStats {
    /// Walks started (successful or not).
    pub total: u64,
    /// Successful walks ending in a 4 KiB leaf (level 0).
    #[serde(rename = "4K")]
    pub leaf_4k: u64,
    /// Successful walks ending in a 2 MiB leaf (level 1).
    #[serde(rename = "2M")]
    pub leaf_2m: u64,
    /// Successful walks ending in a 1 GiB leaf (level 2).
    #[serde(rename = "1G")]
    pub leaf_1g: u64,
    /// Walks that ended in a page or access fault.
    pub faulted: u64,
    /// PTE memory reads made by walks (8 bytes each).
    pub pte_reads: u64,
    /// Walks that started below the root thanks to the walk cache.
    pub walk_cache_hits: u64,
}

/// `SFENCE.VMA` executions by kind (§4.2.1) and flushes implied by
/// `satp` writes (`flush_on_satp_write`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FlushStats {
    pub all: u64,
    pub asid: u64,
    pub addr: u64,
    pub addr_asid: u64,
    pub satp_write: u64,
}

/// Faults raised by translation, by `mcause`/`scause` code (§3.1.15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FaultStats {
    /// Cause 12, instruction page fault.
    pub fetch_page: u64,
    /// Cause 13, load page fault.
    pub load_page: u64,
    /// Cause 15, store/AMO page fault.
    pub store_page: u64,
    /// Cause 1, instruction access fault (PMP/PMA on a PTE or the target).
    pub fetch_access: u64,
    /// Cause 5, load access fault.
    pub load_access: u64,
    /// Cause 7, store/AMO access fault.
    pub store_access: u64,
}

impl FaultStats {
    /// Count a fault of exception code `cause`; other codes are ignored.
    pub fn record(&mut self, cause: u64) {
        match cause {
            12 => self.fetch_page += 1,
            13 => self.load_page += 1,
            15 => self.store_page += 1,
            1 => self.fetch_access += 1,
            5 => self.load_access += 1,
            7 => self.store_access += 1,
            _ => {}
        }
    }
}

/// Every counter of the TLB model.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TlbStats {
    pub tlb: StructureStats,
    pub walks: WalkStats,
    pub sfence: FlushStats,
    pub faults: FaultStats,
    /// Accesses not translated (M-mode without MPRV, or `satp` Bare):
    /// not TLB accesses.
    pub untranslated: u64,
}

impl TlbStats {
    /// Count a walk that started; see also [`Self::record_walk_end`].
    pub fn record_walk_start(&mut self, walk_cache_hit: bool) {
        self.walks.total += 1;
        self.walks.walk_cache_hits += walk_cache_hit as u64;
    }

    /// Count a walk's end: `leaf_level` 0..=2 of the leaf, or `None` if it
    /// faulted; `pte_reads` memory reads it made.
    pub fn record_walk_end(&mut self, leaf_level: Option<u8>, pte_reads: u32) {
        self.walks.pte_reads += pte_reads as u64;
        match leaf_level {
            Some(0) => self.walks.leaf_4k += 1,
            Some(1) => self.walks.leaf_2m += 1,
            Some(_) => self.walks.leaf_1g += 1,
            None => self.walks.faulted += 1,
        }
    }

    /// Count an `SFENCE.VMA` of `kind`.
    pub fn record_sfence(&mut self, kind: FlushKind) {
        match kind {
            FlushKind::All => self.sfence.all += 1,
            FlushKind::Asid(_) => self.sfence.asid += 1,
            FlushKind::Addr(_) => self.sfence.addr += 1,
            FlushKind::AddrAsid(..) => self.sfence.addr_asid += 1,
        }
    }

    /// The JSON object (add `instret` at the top level before writing).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("stats serialise")
    }

    /// A human-readable summary (several lines, ending in a newline).
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let line = |s: &mut String, name: &str, c: &StructStats| {
            let t = c.total;
            if t.accesses == 0 {
                return;
            }
            let _ = writeln!(
                s,
                "  {name:<10} {:>12} accesses {:>12} hits {:>10} misses  {:6.2}% hit  (U {} / S {} accesses, {} ASIDs)",
                t.accesses,
                t.hits,
                t.misses,
                100.0 * t.hit_rate(),
                c.user.accesses,
                c.supervisor.accesses,
                c.by_asid.entries.len()
            );
        };
        let _ = writeln!(s, "TLB model statistics");
        line(&mut s, "itlb", &self.tlb.itlb);
        line(&mut s, "dtlb", &self.tlb.dtlb);
        line(&mut s, "l2tlb", &self.tlb.l2tlb);
        line(&mut s, "walk_cache", &self.tlb.walk_cache);
        let w = &self.walks;
        let per_walk = if w.total == 0 {
            0.0
        } else {
            w.pte_reads as f64 / w.total as f64
        };
        let _ = writeln!(
            s,
            "  walks      {:>12} total (4K {}, 2M {}, 1G {}, faulted {}), {} PTE reads ({per_walk:.2}/walk), {} walk-cache hits",
            w.total, w.leaf_4k, w.leaf_2m, w.leaf_1g, w.faulted, w.pte_reads, w.walk_cache_hits
        );
        let f = &self.sfence;
        let _ = writeln!(
            s,
            "  sfence.vma all {}, asid {}, addr {}, addr+asid {}; satp-write flushes {}",
            f.all, f.asid, f.addr, f.addr_asid, f.satp_write
        );
        let p = &self.faults;
        let _ = writeln!(
            s,
            "  faults     page: fetch {} load {} store {}; access: fetch {} load {} store {}",
            p.fetch_page, p.load_page, p.store_page, p.fetch_access, p.load_access, p.store_access
        );
        let _ = writeln!(s, "  untranslated accesses {}", self.untranslated);
        s
    }
}
