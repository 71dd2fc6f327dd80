//! Volatile MMIO accesses: the runtime's only unsafe code.

use core::ptr::{read_volatile, write_volatile};

/// Read a byte register at physical address `addr`.
pub fn read8(addr: usize) -> u8 {
    // SAFETY: `addr` is a device register of the virt platform (UART), which
    // is identity-mapped in M-mode and valid for byte reads.
    unsafe { read_volatile(addr as *const u8) }
}

/// Write a byte register at physical address `addr`.
pub fn write8(addr: usize, value: u8) {
    // SAFETY: as `read8`; byte writes to the UART have no memory effects.
    unsafe { write_volatile(addr as *mut u8, value) }
}

/// Write a 32-bit register at physical address `addr`.
pub fn write32(addr: usize, value: u32) {
    // SAFETY: `addr` is the SiFive test finisher, a 32-bit MMIO register.
    unsafe { write_volatile(addr as *mut u32, value) }
}
