//! The host-speed translation cache: the emulator's own, invisible to the
//! guest and separate from the architectural TLB model ([`super::tlb`]).
//!
//! It maps a virtual page to the DRAM offset of its physical page, per
//! effective privilege (indexed by the MPP encoding 0..=3) and access kind.
//! An entry exists only for a page that lies wholly in DRAM, is fully
//! permitted by PMP, and, when translated, is held in an L1 slot of the TLB
//! model (the entry remembers the slot so hits can be counted without a
//! search). Write entries also require the D bit and no HTIF mailbox.

use crate::bus::DRAM_BASE;

/// Entries per privilege mode and access kind.
pub const HOST_TLB_ENTRIES: usize = 256;

/// `HostEntry::slot` of an untranslated page (M-mode, or `satp` Bare).
pub const UNTRANSLATED: u32 = u32::MAX;

#[derive(Clone, Copy)]
pub(crate) struct HostEntry {
    /// Virtual page number, or `u64::MAX` when empty.
    pub vpn: u64,
    /// Byte offset of the page in host DRAM.
    pub off: usize,
    /// Data-side L1 slot of the TLB model holding the translation, or
    /// [`UNTRANSLATED`].
    pub slot: u32,
    /// Write entries: the page holds decoded code, so stores must tell the
    /// decode cache.
    pub code: bool,
}

pub(crate) const EMPTY: HostEntry = HostEntry {
    vpn: u64::MAX,
    off: 0,
    slot: UNTRANSLATED,
    code: false,
};

/// Read or write table.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Read = 0,
    Write = 1,
}

/// The host cache of one hart.
pub struct HostTlb {
    /// `[table][privilege][index]`.
    pub(crate) entries: Box<[[[HostEntry; HOST_TLB_ENTRIES]; 4]; 2]>,
    /// Per data-side L1 slot: the host entries that refer to it, as
    /// `(table * 4 + privilege) * HOST_TLB_ENTRIES + index`.
    by_slot: Vec<Vec<u16>>,
    /// Off while tracing, validating, or measuring without fast paths: every
    /// access then takes the full path.
    pub enabled: bool,
}

impl Default for HostTlb {
    fn default() -> Self {
        Self::new()
    }
}

impl HostTlb {
    pub fn new() -> HostTlb {
        HostTlb {
            entries: Box::new([[[EMPTY; HOST_TLB_ENTRIES]; 4]; 2]),
            by_slot: Vec::new(),
            enabled: true,
        }
    }

    /// The entry for `vpn` in `table` at privilege index `prv`.
    #[inline(always)]
    pub(crate) fn get(&self, table: Table, prv: usize, vpn: u64) -> HostEntry {
        self.entries[table as usize][prv & 3][(vpn as usize) % HOST_TLB_ENTRIES]
    }

    /// Install an entry.
    pub(crate) fn fill(&mut self, table: Table, prv: usize, e: HostEntry) {
        let idx = (e.vpn as usize) % HOST_TLB_ENTRIES;
        self.entries[table as usize][prv & 3][idx] = e;
        if e.slot != UNTRANSLATED {
            let s = e.slot as usize;
            if self.by_slot.len() <= s {
                self.by_slot.resize(s + 1, Vec::new());
            }
            let id = ((table as usize * 4 + (prv & 3)) * HOST_TLB_ENTRIES + idx) as u16;
            if !self.by_slot[s].contains(&id) {
                self.by_slot[s].push(id);
            }
        }
    }

    /// The model no longer holds `slot` (evicted or flushed): drop the host
    /// entries that refer to it.
    pub(crate) fn drop_slot(&mut self, slot: u32) {
        let Some(ids) = self.by_slot.get_mut(slot as usize) else {
            return;
        };
        for id in ids.drain(..) {
            let id = id as usize;
            let (t, rest) = (id / (4 * HOST_TLB_ENTRIES), id % (4 * HOST_TLB_ENTRIES));
            let e = &mut self.entries[t][rest / HOST_TLB_ENTRIES][rest % HOST_TLB_ENTRIES];
            if e.slot == slot {
                *e = EMPTY;
            }
        }
    }

    /// Drop every entry.
    pub fn flush(&mut self) {
        for table in self.entries.iter_mut() {
            for set in table.iter_mut() {
                *set = [EMPTY; HOST_TLB_ENTRIES];
            }
        }
        self.by_slot.iter_mut().for_each(Vec::clear);
    }

    /// Drop write entries that point at the physical page `pa_page`.
    pub fn drop_write_page(&mut self, pa_page: u64) {
        let off = pa_page.wrapping_sub(DRAM_BASE) as usize;
        for set in self.entries[Table::Write as usize].iter_mut() {
            for e in set.iter_mut() {
                if e.vpn != u64::MAX && e.off == off {
                    *e = EMPTY;
                }
            }
        }
    }
}
