//! Page-walk cache: non-leaf Sv39 PTEs (§4.4.1) seen during walks, so a
//! later walk of a nearby address can start below the root.
//!
//! A non-leaf PTE read at level L (2 = root table, 1 = middle table)
//! governs a VA region of 2^(12 + 9L) bytes: 1 GiB for a root entry,
//! 2 MiB for a level-1 entry. The cache stores it as a [`TlbEntry`] whose
//! `size` is that region (1G or 2M) and whose `level` is L, tagged by ASID
//! and the global bit like a TLB entry, in a [`TlbArray`] of its own.

use super::array::{FlushKind, InsertResult, TlbArray};
use super::config::StructConfig;
use super::entry::{PageSize, TlbEntry};

/// A cached non-leaf PTE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PwcHit {
    /// Level of the table holding the PTE (1 or 2).
    pub level: u8,
    /// The non-leaf PTE; its PPN is the next table (at `level - 1`).
    pub pte: u64,
    /// Slot in the cache.
    pub slot: u32,
}

impl PwcHit {
    /// Level at which the walk resumes: the table the PTE points to.
    pub fn next_level(&self) -> u8 {
        self.level - 1
    }

    /// Physical address of the next table (§4.3.2 step 4: `a = pte.ppn × PAGESIZE`).
    pub fn next_table(&self) -> u64 {
        ((self.pte >> 10) & ((1 << 44) - 1)) << 12
    }

    /// PTE reads a walk resuming from this entry skips (3 - next level - 1).
    pub fn reads_saved(&self) -> u8 {
        3 - self.level
    }
}

/// The page-walk cache.
#[derive(Clone, Debug)]
pub struct PageWalkCache {
    array: TlbArray,
}

impl PageWalkCache {
    /// An empty cache; `cfg.page_sizes` picks the levels held (2M = level 1,
    /// 1G = level 2) and must be valid for `[walk_cache]`.
    pub fn new(cfg: StructConfig) -> PageWalkCache {
        PageWalkCache {
            array: TlbArray::new(cfg),
        }
    }

    /// The deepest cached non-leaf PTE on the walk path of `va` for `asid`
    /// (level 1 before level 2), updating replacement state on a hit.
    pub fn lookup(&mut self, va: u64, asid: u16) -> Option<PwcHit> {
        self.array.lookup(va, asid).map(|h| PwcHit {
            level: h.entry.level,
            pte: h.entry.pte,
            slot: h.slot,
        })
    }

    /// Record the non-leaf `pte` read at `level` (1 or 2) while walking
    /// `va` for `asid`; `global` is the OR of the G bits from the root down
    /// to and including this PTE. Other levels are ignored.
    pub fn insert(
        &mut self,
        va: u64,
        asid: u16,
        pte: u64,
        level: u8,
        global: bool,
    ) -> Option<InsertResult> {
        let size = match level {
            1 => PageSize::Size2M,
            2 => PageSize::Size1G,
            _ => return None,
        };
        if !self.array.page_sizes().contains(size) {
            return None;
        }
        let entry = TlbEntry {
            vpn: size.vpn(va),
            size,
            asid,
            global: global || pte & (1 << 5) != 0,
            pte,
            level,
        };
        self.array.insert(va, entry)
    }

    /// Apply an `SFENCE.VMA` (§4.2.1). Fences with rs1 = x0 order every
    /// level of the page table, so they remove cached non-leaf PTEs (all,
    /// or the ASID's non-global ones); fences with rs1 ≠ x0 order only the
    /// leaf PTE of that address, so the walk cache is left alone (as in
    /// Rocket's PTW, which clears its PTE cache only when rs1 = x0).
    pub fn flush(&mut self, kind: FlushKind) -> Vec<u32> {
        match kind {
            FlushKind::All | FlushKind::Asid(_) => self.array.flush(kind),
            FlushKind::Addr(_) | FlushKind::AddrAsid(..) => Vec::new(),
        }
    }

    /// The underlying structure (for iteration and validation).
    pub fn array(&self) -> &TlbArray {
        &self.array
    }
}
