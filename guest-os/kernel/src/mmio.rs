//! Volatile device-register access through the kernel's MMIO window:
//! physical addresses below 0x8000_0000 (UART, CLINT, PLIC, virtio-mmio,
//! test finisher) are mapped at `MMIO_BASE + pa` by a global gigapage.

use core::ptr::{read_volatile, write_volatile};

/// VA of device physical address 0.
pub const MMIO_BASE: u64 = 0xFFFF_FFE0_0000_0000;

fn va(pa: u64) -> u64 {
    debug_assert!(pa < 0x8000_0000);
    MMIO_BASE + pa
}

pub fn read8(pa: u64) -> u8 {
    // SAFETY: `pa` is a device register of the virt board (callers), mapped
    // in the MMIO window of every page table; byte access is valid.
    unsafe { read_volatile(va(pa) as *const u8) }
}

pub fn write8(pa: u64, v: u8) {
    // SAFETY: as `read8`.
    unsafe { write_volatile(va(pa) as *mut u8, v) }
}

pub fn read32(pa: u64) -> u32 {
    // SAFETY: as `read8`; callers pass 4-byte aligned registers.
    unsafe { read_volatile(va(pa) as *const u32) }
}

pub fn write32(pa: u64, v: u32) {
    // SAFETY: as `read32`.
    unsafe { write_volatile(va(pa) as *mut u32, v) }
}
