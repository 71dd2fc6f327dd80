//! One architectural access through the TLB model (DESIGN §4, the
//! protocol in [`super::tlb`]): untranslated accesses are counted as such;
//! translated ones make exactly one model lookup, use the cached entry on a
//! hit (stale entries included, as hardware would), and walk on a miss
//! through the page-walk cache. Then the PMP check of the physical access.
//!
//! # Exact statistics under the fast paths
//!
//! The interpreter's fast paths (the fetch page pointer and the host
//! translation cache) skip the model on repeated accesses to a page. They
//! only ever skip *hits on the slot the model returned for that page*, and
//! a repeated hit on one slot changes no replacement state (LRU and PLRU
//! re-mark the same way, FIFO and random ignore hits), so what they owe the
//! model is counters alone:
//! - fetches through the fast path are counted in bulk when the fetch page
//!   changes (`cycle - slow_steps - idle_cycles` is their running total);
//! - data hits are counted per run (a mode and ASID) as the difference of
//!   a running total of fast-path data accesses, which blocks add to when
//!   they are left (each block instruction knows how many loads and stores
//!   precede it, [`crate::cpu::decode::Insn::mems_before`]), so no counter
//!   is incremented per access; a run only starts or ends where that total
//!   is exact (outside blocks); and the replacement-state touches are
//!   deferred while the hits alternate between the run's last two slots
//!   (see below);
//! - with a unified L1, fetches and data share the array, so each data
//!   access first re-touches the fetch slot (the fetch of its own
//!   instruction) and then its own slot.
//!
//! Under every replacement policy the model has (LRU, tree PLRU, FIFO,
//! random), a hit only ever re-marks its way as most recent, so the state
//! after a sequence of hits depends only on the order of each slot's *last*
//! hit. A data run keeps the two most recent slots, `data_slot` and
//! `data_prev`. A run starts touched on its slot (by the lookup that
//! starts it, or at once); once it has a `data_prev`, the touches of
//! both are owed, in that order, and applied when the run ends, which it
//! does before any lookup, fill or flush of the model. A hit on
//! `data_prev` only swaps the two; a hit on a third slot applies
//! `data_prev`'s touch and shifts. Stack and data pages alternating thus
//! cost no touch at all, and a run of one slot none when it ends.
//!
//! A model eviction or flush of a slot drops the host entries and the fetch
//! page that refer to it. `tests/tlb_exact.rs` checks every counter against
//! a run with the fast paths off.

use super::host_tlb::UNTRANSLATED;
use super::pmp::AccessType;
use super::sv39::{self, pte, WalkFault, WalkParams};
use super::tlb::{FlushKind, Flushed, InsertResult, Lookup, Mode, Side, TlbEntry};
use crate::bus::Bus;
use crate::cpu::csr::mstatus;
use crate::cpu::trap::{cause, Trap};
use crate::cpu::{Hart, Priv};

/// `Translated::slot` for a translation the L1 does not hold (kind
/// `none`): the host cache must not remember it.
pub(crate) const NOT_CACHED: u32 = u32::MAX - 1;

/// The result of translating one access.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Translated {
    pub pa: u64,
    /// The L1 slot holding the translation, [`UNTRANSLATED`] or [`NOT_CACHED`].
    pub slot: u32,
}

/// Counts the fast paths owe the model (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct Accounting {
    /// Data side: the slot of the run's most recent hit, or
    /// [`UNTRANSLATED`] for a run of untranslated accesses (the state with
    /// no run on: its hits count as untranslated).
    data_slot: u32,
    /// Split L1s: the slot hit before `data_slot` in the run, or
    /// [`UNTRANSLATED`]. When there is one, its touch, then `data_slot`'s,
    /// are owed; otherwise `data_slot`'s was made when the run started.
    data_prev: u32,
    /// The run's mode and ASID (translated runs).
    data_mode: Mode,
    data_asid: u16,
    /// Data accesses through the host cache's fast path so far, the run's
    /// or not: incremented per access outside blocks, added per block when
    /// it is left (inside one it lags behind).
    fast_data: u64,
    /// `fast_data` when the run started, plus the accesses since that were
    /// counted in the model directly (unified L1): the run's hits are
    /// `fast_data - run_start`.
    run_start: u64,
    /// The fetch page run: whether one is active, its ITLB slot (or
    /// UNTRANSLATED), attribution, and the fast-fetch total at its start.
    fetch_active: bool,
    fetch_slot: u32,
    fetch_mode: Mode,
    fetch_asid: u16,
    fetch_start: u64,
}

impl Default for Accounting {
    fn default() -> Self {
        Accounting {
            data_slot: UNTRANSLATED,
            data_prev: UNTRANSLATED,
            data_mode: Mode::Supervisor,
            data_asid: 0,
            fast_data: 0,
            run_start: 0,
            fetch_active: false,
            fetch_slot: UNTRANSLATED,
            fetch_mode: Mode::Supervisor,
            fetch_asid: 0,
            fetch_start: 0,
        }
    }
}

/// A TLB hit whose cached entry disagrees with the page table in memory
/// (`--validate-tlb`): the guest changed a PTE without `sfence.vma`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub pc: u64,
    pub va: u64,
    pub asid: u16,
    /// The PTE the TLB entry was filled from.
    pub cached_pte: u64,
    /// What a walk of the tables now in memory finds (None: it faults).
    pub current_pte: Option<u64>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stale TLB entry: pc {:#x} va {:#x} asid {}: cached pte {:#018x}, page table now has ",
            self.pc, self.va, self.asid, self.cached_pte
        )?;
        match self.current_pte {
            Some(p) => write!(f, "{p:#018x} (missing sfence.vma?)"),
            None => write!(f, "no valid mapping (missing sfence.vma?)"),
        }
    }
}

/// PTE bits that affect translation (everything but RSW, which hardware
/// ignores and kernels change freely).
const PTE_COMPARED: u64 = !pte::RSW;

fn mode_of(prv: Priv) -> Mode {
    if prv == Priv::U {
        Mode::User
    } else {
        Mode::Supervisor
    }
}

fn fault_causes(access: AccessType) -> (u64, u64) {
    match access {
        AccessType::Fetch => (
            cause::INSTRUCTION_PAGE_FAULT,
            cause::INSTRUCTION_ACCESS_FAULT,
        ),
        AccessType::Load => (cause::LOAD_PAGE_FAULT, cause::LOAD_ACCESS_FAULT),
        AccessType::Store => (cause::STORE_PAGE_FAULT, cause::STORE_ACCESS_FAULT),
    }
}

impl Hart {
    /// The ASID translations are tagged with: `satp.ASID`, or 0 on a model
    /// without ASIDs (`flush_on_satp_write`).
    pub(crate) fn asid(&self) -> u16 {
        if self.tlb.config().flush_on_satp_write {
            0
        } else {
            ((self.csr.satp >> sv39::SATP_ASID_SHIFT) & sv39::SATP_ASID_MASK) as u16
        }
    }

    fn unified(&self) -> bool {
        self.tlb.l1_index(Side::Fetch) == self.tlb.l1_index(Side::Data)
    }

    /// Translate one access of `size` bytes (within one page) at `va` with
    /// effective privilege `prv` (§4.3.2), then check PMP (§3.7).
    pub(crate) fn translate(
        &mut self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        access: AccessType,
        prv: Priv,
    ) -> Result<Translated, Trap> {
        let (page_fault, access_fault) = fault_causes(access);
        let satp = self.csr.satp;
        if prv == Priv::M || satp >> 60 != sv39::SATP_MODE_SV39 {
            self.tlb.stats.untranslated += 1;
            if !self.pmp_ok(va, size, access, prv) {
                return Err(Trap::new(access_fault, va));
            }
            return Ok(Translated {
                pa: va,
                slot: UNTRANSLATED,
            });
        }
        let side = if access == AccessType::Fetch {
            Side::Fetch
        } else {
            Side::Data
        };
        let mode = mode_of(prv);
        let asid = self.asid();
        if side == Side::Data && self.unified() {
            self.touch_fetch_slot();
        }
        if side == Side::Data {
            self.end_data_run();
        }
        let (cached, slot) = match self.tlb.lookup(side, va, asid, mode) {
            Lookup::L1Hit(hit) => (Some(hit.entry), Some(hit.slot)),
            Lookup::L2Hit { entry, l1 } => {
                let slot = l1.as_ref().map(|r| r.slot);
                self.after_l1_insert(side, l1);
                (Some(entry), slot)
            }
            Lookup::Miss => (None, None),
        };
        let s = self.csr.mstatus;
        let (sum, mxr) = (s & mstatus::SUM != 0, s & mstatus::MXR != 0);
        let mut use_cached = None;
        if let Some(e) = cached {
            if self.validate_tlb {
                self.validate_entry(bus, va, asid, e.pte, access, prv);
            }
            if !sv39::leaf_allows(e.pte, access, prv, sum, mxr) {
                // A hit with insufficient permission faults without a walk.
                self.tlb.stats.faults.record(page_fault);
                return Err(Trap::new(page_fault, va));
            }
            // A and D must be set before the entry may be used (Svadu sets
            // them through a walk; Svade faults there).
            let needs_ad =
                e.pte & pte::A == 0 || (access == AccessType::Store && e.pte & pte::D == 0);
            if !needs_ad {
                use_cached = Some(e);
            }
        }
        let (pa, slot) = match use_cached {
            Some(e) => (e.pa(va), slot),
            None => {
                let (pa, ins) = self.walk_and_fill(bus, va, access, prv, side, asid, mode)?;
                (pa, ins.map(|r| r.slot))
            }
        };
        if !self.pmp_ok(pa, size, access, prv) {
            return Err(Trap::new(access_fault, va));
        }
        let slot = slot.unwrap_or(NOT_CACHED);
        if side == Side::Data && !self.unified() && slot != NOT_CACHED {
            // This access starts a new run of hits on its slot.
            self.acct.data_slot = slot;
            self.acct.data_mode = mode;
            self.acct.data_asid = asid;
        }
        Ok(Translated { pa, slot })
    }

    /// Walk the page table for `va` (starting from the page-walk cache) and
    /// fill the TLB; counts the walk, its PTE reads and any page fault.
    #[allow(clippy::too_many_arguments)]
    fn walk_and_fill(
        &mut self,
        bus: &mut Bus,
        va: u64,
        access: AccessType,
        prv: Priv,
        side: Side,
        asid: u16,
        mode: Mode,
    ) -> Result<(u64, Option<InsertResult>), Trap> {
        let (page_fault, access_fault) = fault_causes(access);
        let pwc = self.tlb.walk_cache_lookup(va, asid, mode);
        self.tlb.stats.record_walk_start(pwc.is_some());
        let s = self.csr.mstatus;
        let params = WalkParams {
            satp: self.csr.satp,
            access,
            prv,
            sum: s & mstatus::SUM != 0,
            mxr: s & mstatus::MXR != 0,
            ad_hw: self.ad_hw,
            start: pwc.map(|h| (h.next_table(), h.next_level() as u32)),
            probe: false,
        };
        let walk = sv39::walk_traced(bus, &self.csr.pmp, va, params);
        if self.timing.is_some() {
            self.last_walk = (walk.pte_addrs, walk.pte_reads.min(3) as u8);
        }
        let mut global = false;
        for &(level, _, p) in &walk.nonleaf[..walk.nonleaf_count] {
            global |= p & pte::G != 0;
            self.tlb
                .walk_cache_insert(va, asid, p, level as u8, p & pte::G != 0);
        }
        match walk.result {
            Ok(t) => {
                self.tlb
                    .stats
                    .record_walk_end(Some(t.level as u8), walk.pte_reads);
                let global =
                    global || t.pte & pte::G != 0 || pwc.is_some_and(|h| h.pte & pte::G != 0);
                let entry = TlbEntry::from_leaf(va, asid, t.pte, t.level as u8, global);
                let ins = self.tlb.fill(side, va, entry);
                self.after_l1_insert(side, ins);
                Ok((t.pa, ins))
            }
            Err(f) => {
                self.tlb.stats.record_walk_end(None, walk.pte_reads);
                match f {
                    WalkFault::Page => {
                        self.tlb.stats.faults.record(page_fault);
                        Err(Trap::new(page_fault, va))
                    }
                    WalkFault::Access => Err(Trap::new(access_fault, va)),
                }
            }
        }
    }

    /// `--validate-tlb`: compare a cached leaf PTE with what the tables in
    /// memory now give, without side effects; remember the first mismatch.
    fn validate_entry(
        &mut self,
        bus: &mut Bus,
        va: u64,
        asid: u16,
        cached_pte: u64,
        access: AccessType,
        prv: Priv,
    ) {
        let params = WalkParams {
            satp: self.csr.satp,
            access,
            prv,
            sum: true,
            mxr: true,
            ad_hw: true,
            start: None,
            probe: true,
        };
        let now = sv39::walk_traced(bus, &self.csr.pmp, va, params);
        let current = match now.result {
            Ok(t) => Some(t.pte),
            // Permission failures still found a leaf: compare the bits.
            Err(_) => now.leaf,
        };
        if current.map(|p| p & PTE_COMPARED) != Some(cached_pte & PTE_COMPARED) {
            self.tlb_mismatches += 1;
            if self.first_mismatch.is_none() {
                self.first_mismatch = Some(Mismatch {
                    pc: self.pc,
                    va,
                    asid,
                    cached_pte,
                    current_pte: current,
                });
            }
        }
    }

    /// The model (re)filled an L1 slot: forget fast-path state that
    /// referred to what the slot held.
    fn after_l1_insert(&mut self, side: Side, ins: Option<InsertResult>) {
        if let Some(r) = ins {
            let array = self.tlb.l1_index(side);
            self.forget_l1_slot(array, r.slot);
        }
    }

    /// L1 array `array`'s `slot` no longer holds what the fast paths think.
    fn forget_l1_slot(&mut self, array: usize, slot: u32) {
        if array == self.tlb.l1_index(Side::Data) {
            // Runs end before anything changes the model's L1 (`translate`,
            // `sfence_vma`, `satp_written`).
            debug_assert!(self.acct.data_slot != slot && self.acct.data_prev != slot);
            self.host_tlb.drop_slot(slot);
        }
        if array == self.tlb.l1_index(Side::Fetch) {
            self.forget_fetch_pages();
            if self.acct.fetch_slot == slot {
                // The fetch page's entry is gone: the next fetch must look up.
                self.reset_fetch();
            }
        }
    }

    fn forget_flushed(&mut self, flushed: Flushed) {
        for (array, slots) in flushed.l1.iter().enumerate() {
            for &slot in slots {
                self.forget_l1_slot(array, slot);
            }
        }
    }

    /// `SFENCE.VMA` with `rs1`/`rs2` values (None for x0), §4.2.1.
    pub(crate) fn sfence_vma(&mut self, addr: Option<u64>, asid: Option<u64>) {
        let mask = if self.tlb.config().flush_on_satp_write {
            0
        } else {
            sv39::SATP_ASID_MASK
        };
        let kind = match (addr, asid) {
            (None, None) => FlushKind::All,
            (None, Some(a)) => FlushKind::Asid((a & mask) as u16),
            (Some(v), None) => FlushKind::Addr(v),
            (Some(v), Some(a)) => FlushKind::AddrAsid(v, (a & mask) as u16),
        };
        // The owed touches reach the model before the flush, as they would
        // have without the fast paths.
        self.end_data_run();
        let flushed = self.tlb.sfence(kind);
        self.forget_flushed(flushed);
        self.flush_host_tlb();
    }

    /// A write to `satp`: the model flushes if it has no ASIDs.
    pub(crate) fn satp_written(&mut self) {
        self.end_data_run();
        let flushed = self.tlb.satp_written();
        self.forget_flushed(flushed);
        self.flush_host_tlb();
    }

    /// Fetches that took the fast path so far.
    #[inline]
    fn fast_fetches(&self) -> u64 {
        // `cycle` counts one per instruction attempted plus WFI sleep; the
        // timing model's extra cycles are kept apart in `stall_cycles`.
        self.cycle - self.slow_steps - self.idle_cycles
    }

    /// A fetch page run starts: the fast path will fetch from the page the
    /// last (slow) fetch translated, whose L1 slot is `slot`.
    pub(crate) fn start_fetch_run(&mut self, slot: u32) {
        self.end_fetch_run();
        self.acct.fetch_active = true;
        self.acct.fetch_slot = slot;
        self.acct.fetch_mode = mode_of(self.prv);
        self.acct.fetch_asid = self.asid();
        self.acct.fetch_start = self.fast_fetches();
    }

    /// Count the fast fetches of the current run so far; the run goes on.
    fn count_fetch_run(&mut self) {
        if !self.acct.fetch_active {
            return;
        }
        let now = self.fast_fetches();
        let n = now - self.acct.fetch_start;
        self.acct.fetch_start = now;
        if n == 0 {
            return;
        }
        match self.acct.fetch_slot {
            UNTRANSLATED => self.tlb.stats.untranslated += n,
            _ => {
                let (mode, asid) = (self.acct.fetch_mode, self.acct.fetch_asid);
                self.tlb.stats.tlb.itlb.record_hits(n, mode, asid);
            }
        }
    }

    /// Count the fast fetches of the current run and end it.
    pub(crate) fn end_fetch_run(&mut self) {
        self.count_fetch_run();
        self.acct.fetch_active = false;
    }

    /// Count the pending hits of the data run, apply its owed touches
    /// (`data_prev`'s, then `data_slot`'s) and end it. Only where
    /// `fast_data` is exact: outside blocks.
    pub(crate) fn end_data_run(&mut self) {
        let (slot, prev) = (self.acct.data_slot, self.acct.data_prev);
        let hits = self.acct.fast_data - self.acct.run_start;
        self.acct.run_start = self.acct.fast_data;
        if slot == UNTRANSLATED {
            self.tlb.stats.untranslated += hits;
            return;
        }
        if prev != UNTRANSLATED {
            // With no `data_prev`, `data_slot` was touched when the run
            // started and nothing since.
            self.tlb.touch_l1(Side::Data, prev);
            self.tlb.touch_l1(Side::Data, slot);
        }
        if hits > 0 {
            let (mode, asid) = (self.acct.data_mode, self.acct.data_asid);
            self.tlb.stats.tlb.dtlb.record_hits(hits, mode, asid);
        }
        self.acct.data_slot = UNTRANSLATED;
        self.acct.data_prev = UNTRANSLATED;
    }

    /// A block was left after `n` of its loads and stores went through the
    /// host cache's fast path (none of them counted yet).
    #[inline(always)]
    pub(crate) fn add_block_data_hits(&mut self, n: u64) {
        self.acct.fast_data += n;
    }

    /// Unified L1: the fetch of the current instruction came through the
    /// fast path; apply its replacement-state touch now, before a data access.
    fn touch_fetch_slot(&mut self) {
        if self.fetch_page_active() && self.acct.fetch_slot < NOT_CACHED {
            self.tlb.touch_l1(Side::Fetch, self.acct.fetch_slot);
        }
    }

    /// A data access hit the host cache on an entry for `slot`: account
    /// the model hit it stands for (see the module docs). In a block
    /// (`BLOCK`) the hit is counted when the block is left, and false asks
    /// for the access to run outside the block, without effects, when it
    /// would start a run; outside a block it is counted now.
    #[inline(always)]
    pub(crate) fn account_data_hit<const BLOCK: bool>(&mut self, slot: u32) -> bool {
        if slot == self.acct.data_slot {
        } else if slot == self.acct.data_prev {
            self.acct.data_prev = self.acct.data_slot;
            self.acct.data_slot = slot;
        } else if !self.account_data_hit_slow(slot, BLOCK) {
            return false;
        }
        if !BLOCK {
            self.acct.fast_data += 1;
        }
        true
    }

    /// A data hit on neither of the run's two slots: with split L1s, a third
    /// slot of the same run (`data_prev`'s touch is applied, the slots
    /// shift), or the first hit of a run (false in a block, where the run's
    /// count is not exact); with a unified L1, the hit is counted in the
    /// model at once, after the fetch slot's touch, and left out of the run.
    #[inline(never)]
    fn account_data_hit_slow(&mut self, slot: u32, in_block: bool) -> bool {
        if self.unified() {
            // No translated run is ever on (`translate`): `data_slot` is
            // UNTRANSLATED, so `slot` is not.
            self.touch_fetch_slot();
            let (mode, asid) = (mode_of(self.data_priv), self.asid());
            self.tlb.account_l1_hit(Side::Data, slot, asid, mode);
            self.acct.run_start += 1;
            return true;
        }
        if self.acct.data_slot != UNTRANSLATED && slot != UNTRANSLATED {
            // A run is on, so the mode and ASID are still the run's: a
            // change of either ends it (`update_data_priv`, a satp write
            // flushes the host cache).
            let prev = self.acct.data_prev;
            if prev != UNTRANSLATED {
                self.tlb.touch_l1(Side::Data, prev);
            }
            self.acct.data_prev = self.acct.data_slot;
            self.acct.data_slot = slot;
            return true;
        }
        if in_block {
            // `fast_data` lags by the accesses made earlier in this block
            // run. (There are none today: a block's accesses share one
            // privilege and satp, so the first of them starts the run; this
            // keeps the count exact without relying on that.)
            return false;
        }
        // The hit starts a run (of untranslated accesses, or on `slot`,
        // touched now as the run's first).
        self.end_data_run();
        if slot != UNTRANSLATED {
            self.tlb.touch_l1(Side::Data, slot);
        }
        self.acct.data_mode = mode_of(self.data_priv);
        self.acct.data_asid = self.asid();
        self.acct.data_slot = slot;
        true
    }

    /// Add everything the fast paths owe to the statistics (before reading
    /// them).
    pub fn settle_tlb_stats(&mut self) {
        self.count_fetch_run();
        self.end_data_run();
    }
}

#[cfg(test)]
mod tests {
    use super::super::pmp::{A_NAPOT, R, W, X};
    use crate::bus::{Bus, DRAM_BASE};
    use crate::cpu::csr::mstatus;
    use crate::cpu::trap::cause;
    use crate::cpu::Hart;
    use crate::devices::ConsoleSink;

    const ROOT: u64 = DRAM_BASE + 0x10_0000;
    const USER_VA: u64 = 0x1000; // in the U gigapage at VA 0
    const SUPER_VA: u64 = 0x4000_1000; // in the S gigapage at VA 1 GiB

    /// A hart in M-mode with Sv39 on: VA 0..1 GiB is a U gigapage and VA
    /// 1..2 GiB an S gigapage, both onto DRAM; PMP open.
    fn setup() -> (Hart, Bus) {
        let mut bus = Bus::new(4 << 20, 1, ConsoleSink::Buffer(Vec::new()), 100);
        let leaf = |flags: u64| ((DRAM_BASE >> 12) << 10) | flags;
        let (v, r, w, u, a, d) = (1, 2, 4, 16, 64, 128);
        bus.write_bytes(ROOT, &leaf(v | r | w | u | a | d).to_le_bytes())
            .unwrap();
        bus.write_bytes(ROOT + 8, &leaf(v | r | w | a | d).to_le_bytes())
            .unwrap();
        bus.write_bytes(DRAM_BASE + 0x1000, &0x1234u64.to_le_bytes())
            .unwrap();
        let mut hart = Hart::new(0, DRAM_BASE);
        hart.csr.pmp.write_addr(0, u64::MAX);
        hart.csr.pmp.write_cfg(0, (A_NAPOT | R | W | X) as u64);
        hart.csr.satp = (8 << 60) | (ROOT >> 12);
        (hart, bus)
    }

    fn mprv(hart: &mut Hart, mpp: u64, sum: bool) {
        let mut s = hart.csr.mstatus & !(mstatus::MPP | mstatus::SUM);
        s |= mstatus::MPRV | (mpp << mstatus::MPP_SHIFT);
        if sum {
            s |= mstatus::SUM;
        }
        hart.write_mstatus(s);
    }

    #[test]
    fn m_mode_without_mprv_is_untranslated() {
        let (mut hart, mut bus) = setup();
        // VA 0x1000 is PA 0x1000 in M-mode: no memory there.
        let e = hart.load::<8, false, false>(&mut bus, USER_VA).unwrap_err();
        assert_eq!(e.cause, cause::LOAD_ACCESS_FAULT);
        assert_eq!(hart.tlb.stats.untranslated, 1);
    }

    #[test]
    fn mprv_translates_loads_and_stores_with_mpp() {
        let (mut hart, mut bus) = setup();
        mprv(&mut hart, 0, false); // MPP = U
        assert_eq!(hart.load::<8, false, false>(&mut bus, USER_VA), Ok(0x1234));
        let e = hart
            .load::<8, false, false>(&mut bus, SUPER_VA)
            .unwrap_err();
        assert_eq!((e.cause, e.tval), (cause::LOAD_PAGE_FAULT, SUPER_VA));
        mprv(&mut hart, 1, false); // MPP = S, SUM = 0: U pages are off limits
        assert_eq!(hart.load::<8, false, false>(&mut bus, SUPER_VA), Ok(0x1234));
        let e = hart
            .store::<8, false, false>(&mut bus, USER_VA, 5)
            .unwrap_err();
        assert_eq!((e.cause, e.tval), (cause::STORE_PAGE_FAULT, USER_VA));
        mprv(&mut hart, 1, true); // SUM = 1
        assert_eq!(hart.store::<8, false, false>(&mut bus, USER_VA, 5), Ok(()));
        assert_eq!(hart.load::<8, false, false>(&mut bus, SUPER_VA), Ok(5));
        // The accesses were counted by mode: U (MPP = U) and S.
        let d = &hart.tlb.stats.tlb.dtlb;
        assert_eq!((d.user.accesses, d.supervisor.accesses), (2, 4));
    }

    /// The hits a data run defers (two pages alternating) reach the
    /// replacement state in the order they happened: with a 2-entry LRU
    /// DTLB, after A, B, A, B, A a third page evicts B, not A, and the
    /// counts are those of the run with the fast paths off.
    #[test]
    fn deferred_touches_keep_the_order_of_hits() {
        let run = |fast_paths: bool| {
            let (mut hart, mut bus) = setup();
            let cfg = crate::mmu::tlb::TlbConfig::load(
                "rocket",
                &["dtlb.entries=2", "dtlb.replacement=lru"],
            )
            .unwrap();
            hart.tlb = crate::mmu::tlb::TlbModel::new(&cfg).unwrap();
            hart.host_tlb.enabled = fast_paths;
            // Gigapages 2, 3 and 4 (S, onto DRAM) are the pages A, B, C.
            let leaf = ((DRAM_BASE >> 12) << 10) | 0xc7; // V R W A D
            for g in 2..5u64 {
                bus.write_bytes(ROOT + 8 * g, &leaf.to_le_bytes()).unwrap();
            }
            mprv(&mut hart, 1, false);
            // Different host-cache rows (page numbers differ mod 256).
            let va = |g: u64| (g << 30) + (g << 12);
            let (a, b, c) = (va(2), va(3), va(4));
            for v in [a, b, a, b, a, b, a, c] {
                hart.load::<8, false, false>(&mut bus, v).unwrap();
            }
            let before = hart.tlb.stats.tlb.dtlb.total.misses;
            hart.load::<8, false, false>(&mut bus, a).unwrap();
            let a_missed = hart.tlb.stats.tlb.dtlb.total.misses - before;
            hart.load::<8, false, false>(&mut bus, b).unwrap();
            hart.settle_tlb_stats();
            let d = &hart.tlb.stats.tlb.dtlb.total;
            (a_missed, d.accesses, d.hits, d.misses)
        };
        let fast = run(true);
        assert_eq!(fast, (0, 10, 6, 4), "A stays, B was the victim of C");
        assert_eq!(fast, run(false));
    }

    #[test]
    fn mprv_does_not_affect_fetches() {
        let (mut hart, mut bus) = setup();
        mprv(&mut hart, 0, false);
        // Fetches stay in M-mode, untranslated: the hart runs from DRAM.
        bus.write_bytes(DRAM_BASE, &0x0000_0013u32.to_le_bytes())
            .unwrap(); // nop
        hart.run(&mut bus, 1);
        assert_eq!(hart.pc, DRAM_BASE + 4);
        assert_eq!(hart.tlb.stats.tlb.itlb.total.accesses, 0);
    }
}
