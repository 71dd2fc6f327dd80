//! [`TlbModel`]: the configured structures together (L1 I/D or unified,
//! optional L2 TLB and page-walk cache) with exact statistics. This is
//! what a hart owns; see the module docs of [`super`] for the protocol.

use super::array::{FlushKind, InsertResult, TlbArray};
use super::config::{ConfigError, StructConfig, TlbConfig, TlbKind};
use super::entry::{Hit, TlbEntry};
use super::pwc::{PageWalkCache, PwcHit};
use super::stats::{Mode, StructStats, TlbStats};

/// Which L1 an access uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// Instruction fetch: the ITLB.
    Fetch,
    /// Load, store or AMO: the DTLB.
    Data,
}

/// Result of [`TlbModel::lookup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// L1 hit. `hit.slot` may be remembered and later accounted with
    /// [`TlbModel::account_l1_hit`] while it stays valid.
    L1Hit(Hit),
    /// L1 miss, L2 hit; the entry was refilled into the L1 (`l1` says
    /// where and what it evicted).
    L2Hit {
        entry: TlbEntry,
        l1: Option<InsertResult>,
    },
    /// Missed everywhere: walk, then [`TlbModel::fill`].
    Miss,
}

/// L1 slots invalidated by a flush, per L1 array ([`TlbModel::l1_index`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flushed {
    pub l1: [Vec<u32>; 2],
}

/// The TLB model of one hart.
#[derive(Clone, Debug)]
pub struct TlbModel {
    cfg: TlbConfig,
    /// [itlb, dtlb], or [unified] alone.
    l1: Vec<TlbArray>,
    l2: Option<TlbArray>,
    pwc: Option<PageWalkCache>,
    /// Every counter; read it at exit, or reset it.
    pub stats: TlbStats,
}

impl TlbModel {
    /// Build the structures of `cfg` (validated first; an absent L1 is a
    /// kind-`none` structure: every access misses and walks).
    pub fn new(cfg: &TlbConfig) -> Result<TlbModel, ConfigError> {
        let mut cfg = cfg.clone();
        cfg.normalise();
        cfg.validate()?;
        let absent = StructConfig::special(TlbKind::None);
        let l1 = match cfg.unified {
            Some(u) => vec![TlbArray::new(u)],
            None => vec![
                TlbArray::new(cfg.itlb.unwrap_or(absent)),
                TlbArray::new(cfg.dtlb.unwrap_or(absent)),
            ],
        };
        Ok(TlbModel {
            l2: cfg.l2tlb.map(TlbArray::new),
            pwc: cfg.walk_cache.map(PageWalkCache::new),
            l1,
            cfg,
            stats: TlbStats::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TlbConfig {
        &self.cfg
    }

    /// Index of the L1 array `side` uses (0 for both when unified).
    pub fn l1_index(&self, side: Side) -> usize {
        (side == Side::Data && self.l1.len() == 2) as usize
    }

    /// The L1 array `side` uses.
    pub fn l1(&self, side: Side) -> &TlbArray {
        &self.l1[self.l1_index(side)]
    }

    /// The L2 TLB, if configured.
    pub fn l2(&self) -> Option<&TlbArray> {
        self.l2.as_ref()
    }

    /// The page-walk cache, if configured.
    pub fn walk_cache(&self) -> Option<&PageWalkCache> {
        self.pwc.as_ref()
    }

    fn l1_stats(&mut self, side: Side) -> &mut StructStats {
        match side {
            Side::Fetch => &mut self.stats.tlb.itlb,
            Side::Data => &mut self.stats.tlb.dtlb,
        }
    }

    /// One architectural translated access: exactly one call per access
    /// (not per retry; a fetch crossing a page is two accesses). Counts an
    /// L1 access, and on an L1 miss an L2 access; an L2 hit refills the L1.
    pub fn lookup(&mut self, side: Side, va: u64, asid: u16, mode: Mode) -> Lookup {
        let i = self.l1_index(side);
        if let Some(hit) = self.l1[i].lookup(va, asid) {
            self.l1_stats(side).record(true, mode, asid);
            return Lookup::L1Hit(hit);
        }
        self.l1_stats(side).record(false, mode, asid);
        let Some(l2) = self.l2.as_mut() else {
            return Lookup::Miss;
        };
        let hit = l2.lookup(va, asid);
        self.stats.tlb.l2tlb.record(hit.is_some(), mode, asid);
        match hit {
            Some(h) => Lookup::L2Hit {
                entry: h.entry,
                l1: self.l1[i].insert(va, h.entry),
            },
            None => Lookup::Miss,
        }
    }

    /// Account an L1 hit on `slot` (remembered from an earlier
    /// [`Lookup::L1Hit`] and still valid) without searching: identical in
    /// effect, statistics included, to the `lookup` that would return it.
    #[inline(always)]
    pub fn account_l1_hit(&mut self, side: Side, slot: u32, asid: u16, mode: Mode) {
        let i = self.l1_index(side);
        self.l1[i].touch(slot);
        self.l1_stats(side).record(true, mode, asid);
    }

    /// The replacement-state update of a hit on `slot`, without counting
    /// it (the access was counted elsewhere, e.g. in bulk).
    #[inline(always)]
    pub fn touch_l1(&mut self, side: Side, slot: u32) {
        let i = self.l1_index(side);
        self.l1[i].touch(slot);
    }

    /// [`TlbModel::touch_l1`] when `side`'s L1 is one set under a packed
    /// PLRU tree (the common fully-associative case), done in line;
    /// false, doing nothing, otherwise.
    #[inline(always)]
    pub fn touch_l1_packed(&mut self, side: Side, slot: u32) -> bool {
        let i = self.l1_index(side);
        self.l1[i].touch_packed(slot)
    }

    /// After a successful walk of `va`: cache the leaf in the L2 (if any)
    /// and in `side`'s L1. Returns the L1 insertion.
    pub fn fill(&mut self, side: Side, va: u64, entry: TlbEntry) -> Option<InsertResult> {
        if let Some(l2) = self.l2.as_mut() {
            l2.insert(va, entry);
        }
        let i = self.l1_index(side);
        self.l1[i].insert(va, entry)
    }

    /// Start of a walk: the deepest cached non-leaf PTE for `va` (counted
    /// as a walk-cache access), `None` without a walk cache or on a miss.
    pub fn walk_cache_lookup(&mut self, va: u64, asid: u16, mode: Mode) -> Option<PwcHit> {
        let pwc = self.pwc.as_mut()?;
        let hit = pwc.lookup(va, asid);
        self.stats.tlb.walk_cache.record(hit.is_some(), mode, asid);
        hit
    }

    /// Record a non-leaf PTE read during a walk (see [`PageWalkCache::insert`]).
    pub fn walk_cache_insert(&mut self, va: u64, asid: u16, pte: u64, level: u8, global: bool) {
        if let Some(p) = self.pwc.as_mut() {
            p.insert(va, asid, pte, level, global);
        }
    }

    /// Execute `SFENCE.VMA` (§4.2.1) on every structure and count it.
    pub fn sfence(&mut self, kind: FlushKind) -> Flushed {
        self.stats.record_sfence(kind);
        self.flush(kind)
    }

    /// A write to `satp`: with `flush_on_satp_write` every structure is
    /// flushed (counted as a satp-write flush), otherwise nothing happens.
    pub fn satp_written(&mut self) -> Flushed {
        if !self.cfg.flush_on_satp_write {
            return Flushed::default();
        }
        self.stats.sfence.satp_write += 1;
        self.flush(FlushKind::All)
    }

    fn flush(&mut self, kind: FlushKind) -> Flushed {
        let mut out = Flushed::default();
        for (i, a) in self.l1.iter_mut().enumerate() {
            out.l1[i] = a.flush(kind);
        }
        if let Some(l2) = self.l2.as_mut() {
            l2.flush(kind);
        }
        if let Some(p) = self.pwc.as_mut() {
            p.flush(kind);
        }
        out
    }
}
