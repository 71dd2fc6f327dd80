//! Loads and stores of a hart: the fast path through the host translation
//! cache (with the TLB model's hit counted, see [`super::translate`]), and
//! the slow path that translates, performs device accesses and fills the
//! host cache. Misaligned accesses are done in hardware (Zicclsm); one that
//! crosses a page makes one translation per page.

use super::host_tlb::{HostEntry, Table};
use super::pmp::AccessType;
use super::translate::{Translated, NOT_CACHED};
use crate::bus::{Bus, DRAM_BASE};
use crate::cpu::trap::{cause, Trap, NEEDS_SLOW_FETCH};
use crate::cpu::{Hart, Priv};

/// Read `N` little-endian bytes of DRAM at `off`.
///
/// # Safety
/// `off + N <= dram.len()`.
#[inline(always)]
unsafe fn read_le<const N: usize>(dram: &[u8], off: usize) -> u64 {
    debug_assert!(off + N <= dram.len());
    // SAFETY: in bounds by the caller's guarantee; unaligned reads are fine.
    unsafe {
        let p = dram.as_ptr().add(off);
        match N {
            1 => *p as u64,
            2 => u16::from_le(std::ptr::read_unaligned(p as *const u16)) as u64,
            4 => u32::from_le(std::ptr::read_unaligned(p as *const u32)) as u64,
            _ => u64::from_le(std::ptr::read_unaligned(p as *const u64)),
        }
    }
}

/// Write the low `N` bytes of `v` little-endian to DRAM at `off`.
///
/// # Safety
/// `off + N <= dram.len()`.
#[inline(always)]
unsafe fn write_le<const N: usize>(dram: &mut [u8], off: usize, v: u64) {
    debug_assert!(off + N <= dram.len());
    // SAFETY: in bounds by the caller's guarantee.
    unsafe {
        let p = dram.as_mut_ptr().add(off);
        match N {
            1 => *p = v as u8,
            2 => std::ptr::write_unaligned(p as *mut u16, (v as u16).to_le()),
            4 => std::ptr::write_unaligned(p as *mut u32, (v as u32).to_le()),
            _ => std::ptr::write_unaligned(p as *mut u64, v.to_le()),
        }
    }
}

impl Hart {
    /// Drop all cached translations (satp, sfence.vma, PMP, mstatus changes).
    pub(crate) fn flush_host_tlb(&mut self) {
        self.end_data_run();
        self.host_tlb.flush();
        self.forget_fetch_pages();
        self.reset_fetch();
    }

    /// PMP check for a physical access.
    #[inline]
    pub(crate) fn pmp_ok(&self, pa: u64, size: u64, access: AccessType, prv: Priv) -> bool {
        self.csr.pmp.check(pa, size, access, prv)
    }

    /// Whether the fetch fast path may keep pointing at the current page.
    pub(crate) fn fetch_page_cacheable(&self) -> bool {
        self.host_tlb.enabled
    }

    /// Translate an instruction fetch of `size` bytes at `va`.
    pub(crate) fn translate_fetch(
        &mut self,
        bus: &mut Bus,
        va: u64,
        size: u64,
    ) -> Result<Translated, Trap> {
        self.translate(bus, va, size, AccessType::Fetch, self.prv)
    }

    /// Translate a data access of `size` bytes at `va` (within one page).
    pub(crate) fn translate_data(
        &mut self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        access: AccessType,
    ) -> Result<Translated, Trap> {
        let t = self.translate(bus, va, size, access, self.data_priv)?;
        self.last_data_pa = t.pa;
        Ok(t)
    }

    /// Load `N` bytes (1, 2, 4, 8) at `va`, zero-extended. Misaligned
    /// accesses are performed in hardware (Zicclsm). In a block (`BLOCK`),
    /// only the host cache's fast path is taken: anything else (or a hit
    /// that would start a TLB-model hit run, see [`super::translate`])
    /// returns the [`NEEDS_SLOW_FETCH`] sentinel without effects, and the
    /// instruction runs again outside the block. With `TIMED`, the fast path also
    /// records the physical address in `last_data_pa` (the slow path always
    /// does).
    #[inline(always)]
    pub(crate) fn load<const N: usize, const BLOCK: bool, const TIMED: bool>(
        &mut self,
        bus: &mut Bus,
        va: u64,
    ) -> Result<u64, Trap> {
        let vpn = va >> 12;
        let e = self.host_tlb.get(Table::Read, self.data_priv as usize, vpn);
        let po = (va & 0xfff) as usize;
        if e.vpn == vpn && po + N <= 4096 && self.account_data_hit::<BLOCK>(e.slot) {
            if TIMED {
                self.last_data_pa = DRAM_BASE + (e.off + po) as u64;
            }
            // SAFETY: host-TLB entries are filled only for 4 KiB pages lying
            // wholly inside this bus's DRAM (`fill_host_tlb`, and
            // `Hart::bind` flushes them when the hart meets another bus),
            // and `po + N <= 4096`.
            return Ok(unsafe { read_le::<N>(&bus.dram, e.off + po) });
        }
        if BLOCK {
            return Err(Trap::new(NEEDS_SLOW_FETCH, 0));
        }
        self.load_slow(bus, va, N as u64)
    }

    /// Store the low `N` bytes of `v` at `va`. In a block (`BLOCK`), as
    /// for [`Hart::load`], and a store into a line holding decoded code
    /// also runs outside the block (it may invalidate the block itself).
    #[inline(always)]
    pub(crate) fn store<const N: usize, const BLOCK: bool, const TIMED: bool>(
        &mut self,
        bus: &mut Bus,
        va: u64,
        v: u64,
    ) -> Result<(), Trap> {
        let vpn = va >> 12;
        let e = self
            .host_tlb
            .get(Table::Write, self.data_priv as usize, vpn);
        let po = (va & 0xfff) as usize;
        if e.vpn == vpn
            && po + N <= 4096
            && !(BLOCK && e.code && bus.code.code_lines(e.off + po, N) != 0)
            && self.account_data_hit::<BLOCK>(e.slot)
        {
            let off = e.off + po;
            if TIMED {
                self.last_data_pa = DRAM_BASE + off as u64;
            }
            // SAFETY: as in `load`: the entry's page lies wholly in DRAM.
            unsafe { write_le::<N>(&mut bus.dram, off, v) };
            if e.code {
                bus.code.on_store(off, N);
            }
            if self.reservation != u64::MAX {
                self.clear_reservation_if_overlaps(DRAM_BASE + off as u64, N as u64);
            }
            return Ok(());
        }
        if BLOCK {
            return Err(Trap::new(NEEDS_SLOW_FETCH, 0));
        }
        self.store_slow(bus, va, N as u64, v)
    }

    fn clear_reservation_if_overlaps(&mut self, pa: u64, size: u64) {
        if pa < self.reservation + 8 && pa + size > self.reservation {
            self.reservation = u64::MAX;
        }
    }

    #[inline(never)]
    pub(crate) fn load_slow(&mut self, bus: &mut Bus, va: u64, size: u64) -> Result<u64, Trap> {
        if (va & 0xfff) + size > 4096 {
            // Crosses a page: both halves are translated before any byte is read.
            let first = 4096 - (va & 0xfff);
            let lo = self.load_slow(bus, va, first)?;
            let lo_pa = self.last_data_pa;
            let hi = self.load_slow(bus, va.wrapping_add(first), size - first)?;
            self.last_data_pa = lo_pa;
            return Ok(lo | (hi << (8 * first)));
        }
        let t = self.translate_data(bus, va, size, AccessType::Load)?;
        let pa = t.pa;
        if !bus.is_dram_page(pa) {
            // A device may read the time (CLINT mtime): bring it up to now.
            bus.sync_time(self.now());
        }
        let v = bus
            .read(pa, size)
            .map_err(|_| Trap::new(cause::LOAD_ACCESS_FAULT, va))?;
        if let Some(t) = self.tracer.as_mut() {
            t.mem_read(va, size);
        }
        if bus.is_dram_page(pa) {
            self.fill_host_tlb(bus, va, t, AccessType::Load);
        } else {
            self.end_batch(); // device access: let the machine look at devices
        }
        Ok(v)
    }

    #[inline(never)]
    pub(crate) fn store_slow(
        &mut self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        v: u64,
    ) -> Result<(), Trap> {
        if (va & 0xfff) + size > 4096 {
            // Crosses a page: both halves are translated (one lookup each)
            // before either is written.
            let first = 4096 - (va & 0xfff);
            let lo = self.translate_data(bus, va, first, AccessType::Store)?;
            let va_hi = va.wrapping_add(first);
            let hi = self.translate_data(bus, va_hi, size - first, AccessType::Store)?;
            self.last_data_pa = lo.pa;
            self.store_phys(bus, va, lo, first, v)?;
            return self.store_phys(bus, va_hi, hi, size - first, v >> (8 * first));
        }
        let t = self.translate_data(bus, va, size, AccessType::Store)?;
        self.store_phys(bus, va, t, size, v)
    }

    /// The physical part of a store within one page, translated to `t`.
    fn store_phys(
        &mut self,
        bus: &mut Bus,
        va: u64,
        t: Translated,
        size: u64,
        v: u64,
    ) -> Result<(), Trap> {
        let pa = t.pa;
        if !bus.is_dram_page(pa) {
            bus.sync_time(self.now());
        }
        bus.write(pa, size, v)
            .map_err(|_| Trap::new(cause::STORE_ACCESS_FAULT, va))?;
        if self.reservation != u64::MAX {
            self.clear_reservation_if_overlaps(pa, size);
        }
        if let Some(t) = self.tracer.as_mut() {
            t.mem_write(va, size, v);
        }
        if bus.is_dram_page(pa) && !bus.write_watched(pa) {
            self.fill_host_tlb(bus, va, t, AccessType::Store);
        } else {
            self.end_batch();
        }
        Ok(())
    }

    fn fill_host_tlb(&mut self, bus: &Bus, va: u64, t: Translated, access: AccessType) {
        if !self.host_tlb.enabled || t.slot == NOT_CACHED {
            return;
        }
        let page = t.pa & !0xfff;
        if !self.pmp_ok(page, 4096, access, self.data_priv) {
            return;
        }
        let off = (page - DRAM_BASE) as usize;
        let e = HostEntry {
            vpn: va >> 12,
            off,
            slot: t.slot,
            code: bus.code.is_code_page(off),
        };
        let table = match access {
            AccessType::Store => Table::Write,
            _ => Table::Read,
        };
        self.host_tlb.fill(table, self.data_priv as usize, e);
    }

    /// Translate and PMP-check an AMO/LR/SC address; misaligned addresses
    /// raise the address-misaligned exception (Unprivileged ISA §8.4).
    pub(crate) fn amo_address(
        &mut self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        load_only: bool,
    ) -> Result<u64, Trap> {
        if va & (size - 1) != 0 {
            let c = if load_only {
                cause::LOAD_ADDRESS_MISALIGNED
            } else {
                cause::STORE_ADDRESS_MISALIGNED
            };
            return Err(Trap::new(c, va));
        }
        if load_only {
            Ok(self.translate_data(bus, va, size, AccessType::Load)?.pa)
        } else {
            let pa = self.translate_data(bus, va, size, AccessType::Store)?.pa;
            if !self.pmp_ok(pa, size, AccessType::Load, self.data_priv) {
                return Err(Trap::new(cause::STORE_ACCESS_FAULT, va));
            }
            Ok(pa)
        }
    }
}
