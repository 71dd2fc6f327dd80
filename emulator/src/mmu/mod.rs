//! Address translation and memory access for a hart: `satp` modes (Bare
//! for now; Sv39 lands with the MMU issue), PMP checks on every access
//! (Privileged ISA §3.7), and the host-speed translation cache that lets the
//! interpreter skip both on repeated accesses to the same page.
//!
//! The host cache ([`HostTlb`]) is the emulator's own and is invisible to
//! the guest; it is not the architectural TLB model.

pub mod pmp;
pub mod sv39;
pub mod tlb;

use crate::bus::{Bus, DRAM_BASE};
use crate::cpu::csr::mstatus;
use crate::cpu::trap::{cause, Trap};
use crate::cpu::{Hart, Priv};
use pmp::AccessType;

/// Entries per privilege mode and access kind in the host cache.
const HOST_TLB_ENTRIES: usize = 256;

#[derive(Clone, Copy)]
struct HostEntry {
    /// Virtual page number, or `u64::MAX` when empty.
    vpn: u64,
    /// Byte offset of the page in host DRAM.
    off: usize,
    /// Write entries: the page holds decoded code, so stores must tell
    /// the decode cache.
    code: bool,
}

const EMPTY: HostEntry = HostEntry {
    vpn: u64::MAX,
    off: 0,
    code: false,
};

/// Host-speed translation cache: virtual page → DRAM offset, per effective
/// privilege (indexed by the MPP encoding 0..=3) and access kind, filled
/// only for pages that are in DRAM, fully permitted by PMP (and, later, by
/// the page table), and — for writes — hold no decoded code or HTIF mailbox.
pub struct HostTlb {
    read: Box<[[HostEntry; HOST_TLB_ENTRIES]; 4]>,
    write: Box<[[HostEntry; HOST_TLB_ENTRIES]; 4]>,
    /// Disabled while tracing, so every access reaches the logging slow path.
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
            read: Box::new([[EMPTY; HOST_TLB_ENTRIES]; 4]),
            write: Box::new([[EMPTY; HOST_TLB_ENTRIES]; 4]),
            enabled: true,
        }
    }

    /// Drop every entry.
    pub fn flush(&mut self) {
        for p in 0..4 {
            self.read[p] = [EMPTY; HOST_TLB_ENTRIES];
            self.write[p] = [EMPTY; HOST_TLB_ENTRIES];
        }
    }

    /// Drop write entries that point at the physical page `pa_page`.
    pub fn drop_write_page(&mut self, pa_page: u64) {
        let off = pa_page.wrapping_sub(DRAM_BASE) as usize;
        for set in self.write.iter_mut() {
            for e in set.iter_mut() {
                if e.vpn != u64::MAX && e.off == off {
                    *e = EMPTY;
                }
            }
        }
    }
}

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
        self.host_tlb.flush();
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

    /// Translate a virtual address for an access of `access` kind and
    /// `size` bytes (within one page) with effective privilege `prv`: Bare
    /// (M-mode, or `satp.MODE` = Bare) or an Sv39 walk (§4.3.2), then the
    /// PMP check of the physical access (§3.7).
    fn translate(
        &self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        access: AccessType,
        prv: Priv,
    ) -> Result<u64, Trap> {
        let (page_fault, access_fault) = match access {
            AccessType::Fetch => (
                cause::INSTRUCTION_PAGE_FAULT,
                cause::INSTRUCTION_ACCESS_FAULT,
            ),
            AccessType::Load => (cause::LOAD_PAGE_FAULT, cause::LOAD_ACCESS_FAULT),
            AccessType::Store => (cause::STORE_PAGE_FAULT, cause::STORE_ACCESS_FAULT),
        };
        let satp = self.csr.satp;
        let pa = if prv == Priv::M || satp >> 60 != sv39::SATP_MODE_SV39 {
            va
        } else {
            let s = self.csr.mstatus;
            let params = sv39::WalkParams {
                satp,
                access,
                prv,
                sum: s & mstatus::SUM != 0,
                mxr: s & mstatus::MXR != 0,
                ad_hw: self.ad_hw,
                start: None,
                probe: false,
            };
            match sv39::walk(bus, &self.csr.pmp, va, params) {
                Ok(t) => t.pa,
                Err(sv39::WalkFault::Page) => return Err(Trap::new(page_fault, va)),
                Err(sv39::WalkFault::Access) => return Err(Trap::new(access_fault, va)),
            }
        };
        if !self.pmp_ok(pa, size, access, prv) {
            return Err(Trap::new(access_fault, va));
        }
        Ok(pa)
    }

    /// Translate an instruction fetch of `size` bytes at `va`.
    pub(crate) fn translate_fetch(&self, bus: &mut Bus, va: u64, size: u64) -> Result<u64, Trap> {
        self.translate(bus, va, size, AccessType::Fetch, self.prv)
    }

    /// Translate a data access of `size` bytes at `va` (within one page).
    pub(crate) fn translate_data(
        &self,
        bus: &mut Bus,
        va: u64,
        size: u64,
        access: AccessType,
    ) -> Result<u64, Trap> {
        self.translate(bus, va, size, access, self.data_priv)
    }

    /// Load `N` bytes (1, 2, 4, 8) at `va`, zero-extended. Misaligned
    /// accesses are performed in hardware (Zicclsm).
    #[inline(always)]
    pub(crate) fn load<const N: usize>(&mut self, bus: &mut Bus, va: u64) -> Result<u64, Trap> {
        let vpn = va >> 12;
        let e = self.host_tlb.read[self.data_priv as usize][(vpn as usize) % HOST_TLB_ENTRIES];
        let po = (va & 0xfff) as usize;
        if e.vpn == vpn && po + N <= 4096 {
            // SAFETY: host-TLB entries are filled only for 4 KiB pages lying
            // wholly inside this bus's DRAM (`fill_host_tlb`, and
            // `Hart::bind` flushes them when the hart meets another bus),
            // and `po + N <= 4096`.
            return Ok(unsafe { read_le::<N>(&bus.dram, e.off + po) });
        }
        self.load_slow(bus, va, N as u64)
    }

    /// Store the low `N` bytes of `v` at `va`.
    #[inline(always)]
    pub(crate) fn store<const N: usize>(
        &mut self,
        bus: &mut Bus,
        va: u64,
        v: u64,
    ) -> Result<(), Trap> {
        let vpn = va >> 12;
        let e = self.host_tlb.write[self.data_priv as usize][(vpn as usize) % HOST_TLB_ENTRIES];
        let po = (va & 0xfff) as usize;
        if e.vpn == vpn && po + N <= 4096 {
            let off = e.off + po;
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
            let hi = self.load_slow(bus, va.wrapping_add(first), size - first)?;
            return Ok(lo | (hi << (8 * first)));
        }
        let pa = self.translate_data(bus, va, size, AccessType::Load)?;
        if !bus.is_dram_page(pa) {
            // A device may read the time (CLINT mtime): bring it up to now.
            bus.sync_time(self.cycle);
        }
        let v = bus
            .read(pa, size)
            .map_err(|_| Trap::new(cause::LOAD_ACCESS_FAULT, va))?;
        if let Some(t) = self.tracer.as_mut() {
            t.mem_read(va, size);
        }
        if bus.is_dram_page(pa) {
            self.fill_host_tlb(bus, va, pa, AccessType::Load);
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
            let first = 4096 - (va & 0xfff);
            // Check both pages before writing either.
            self.translate_data(bus, va, first, AccessType::Store)?;
            self.translate_data(bus, va.wrapping_add(first), size - first, AccessType::Store)?;
            self.store_slow(bus, va, first, v)?;
            return self.store_slow(bus, va.wrapping_add(first), size - first, v >> (8 * first));
        }
        let pa = self.translate_data(bus, va, size, AccessType::Store)?;
        if !bus.is_dram_page(pa) {
            bus.sync_time(self.cycle);
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
            self.fill_host_tlb(bus, va, pa, AccessType::Store);
        } else {
            self.end_batch();
        }
        Ok(())
    }

    fn fill_host_tlb(&mut self, bus: &Bus, va: u64, pa: u64, access: AccessType) {
        if !self.host_tlb.enabled {
            return;
        }
        let page = pa & !0xfff;
        if !self.pmp_ok(page, 4096, access, self.data_priv) {
            return;
        }
        let vpn = va >> 12;
        let off = (page - DRAM_BASE) as usize;
        let e = HostEntry {
            vpn,
            off,
            code: bus.code.is_code_page(off),
        };
        let idx = (vpn as usize) % HOST_TLB_ENTRIES;
        let p = self.data_priv as usize;
        match access {
            AccessType::Store => self.host_tlb.write[p][idx] = e,
            _ => self.host_tlb.read[p][idx] = e,
        }
    }

    /// Translate and PMP-check an AMO/LR/SC address; misaligned addresses
    /// raise the address-misaligned exception (Unprivileged ISA §8.4).
    pub(crate) fn amo_address(
        &self,
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
            self.translate_data(bus, va, size, AccessType::Load)
        } else {
            let pa = self.translate_data(bus, va, size, AccessType::Store)?;
            if !self.pmp_ok(pa, size, AccessType::Load, self.data_priv) {
                return Err(Trap::new(cause::STORE_ACCESS_FAULT, va));
            }
            Ok(pa)
        }
    }
}
