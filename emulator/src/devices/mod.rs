//! Platform devices of the QEMU `virt`-compatible machine.
//!
//! Every device is a concrete struct with the same MMIO interface:
//!
//! ```text
//! pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()>;
//! pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()>;
//! ```
//!
//! `offset` is the byte offset from the device's base address and `size` the
//! access width in bytes (1, 2, 4 or 8). `Err(())` means the access faults: the
//! hart raises a load / store access fault. Devices never panic, whatever
//! offset and size the guest uses.
//!
//! The memory map below is QEMU's `virt` board (`virt_memmap[]` in QEMU
//! `hw/riscv/virt.c`, IRQ numbers from `include/hw/riscv/virt.h`).

// The `Result<_, ()>` MMIO signature is the bus contract: the only failure is
// "access fault", which carries no further information.
#![allow(clippy::result_unit_err)]

pub mod clint;
pub mod plic;
pub mod sifive_test;
pub mod uart16550;
pub mod virtio_blk;

pub use clint::Clint;
pub use plic::Plic;
pub use sifive_test::{FinisherRequest, SifiveTest};
pub use uart16550::{ConsoleSink, Uart16550};
pub use virtio_blk::{DiskStats, GuestMemory, VirtioBlk};

/// Base physical address of the SiFive test finisher (QEMU `virt_memmap[VIRT_TEST]`).
pub const SIFIVE_TEST_BASE: u64 = 0x0010_0000;
/// Size in bytes of the SiFive test finisher window (QEMU `virt_memmap[VIRT_TEST]`).
pub const SIFIVE_TEST_SIZE: u64 = 0x1000;

/// Base physical address of the CLINT (QEMU `virt_memmap[VIRT_CLINT]`).
pub const CLINT_BASE: u64 = 0x0200_0000;
/// Size in bytes of the CLINT window (QEMU `virt_memmap[VIRT_CLINT]`).
pub const CLINT_SIZE: u64 = 0x1_0000;

/// Base physical address of the PLIC (QEMU `virt_memmap[VIRT_PLIC]`).
pub const PLIC_BASE: u64 = 0x0C00_0000;
/// Size in bytes of the PLIC window: QEMU `virt` uses
/// `VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2)` = 0x20_0000 + 1024 contexts * 0x1000
/// = 0x60_0000, independent of the number of harts (`hw/riscv/virt.c`,
/// `include/hw/riscv/virt.h`). This is also what the device tree `reg` says.
pub const PLIC_SIZE: u64 = 0x60_0000;

/// Base physical address of the NS16550A UART (QEMU `virt_memmap[VIRT_UART0]`).
pub const UART0_BASE: u64 = 0x1000_0000;
/// Size in bytes of the UART window (QEMU `virt_memmap[VIRT_UART0]`; only the
/// first 8 bytes hold registers).
pub const UART0_SIZE: u64 = 0x100;

/// Base physical address of the first virtio-mmio transport
/// (QEMU `virt_memmap[VIRT_VIRTIO]`).
pub const VIRTIO_MMIO_BASE: u64 = 0x1000_1000;
/// Distance in bytes between consecutive virtio-mmio transports (and the size
/// of each one).
pub const VIRTIO_MMIO_STRIDE: u64 = 0x1000;
/// Number of virtio-mmio transports (QEMU `VIRTIO_COUNT`).
pub const VIRTIO_MMIO_COUNT: usize = 8;

/// Base physical address of DRAM (QEMU `virt_memmap[VIRT_DRAM]`).
pub const DRAM_BASE: u64 = 0x8000_0000;

/// PLIC source number of UART0 (QEMU `UART0_IRQ`).
pub const UART0_IRQ: u32 = 10;
/// PLIC source number of virtio-mmio transport 0; transport `i` uses
/// `VIRTIO_IRQ_BASE + i` (QEMU `VIRTIO_IRQ`, sources 1..=8).
pub const VIRTIO_IRQ_BASE: u32 = 1;

/// Frequency of `mtime` in Hz (ticks per second): QEMU
/// `RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ`, advertised in the device tree as
/// `timebase-frequency`.
pub const TIMEBASE_HZ: u64 = 10_000_000;

/// True when `size` is a legal MMIO access width (1, 2, 4 or 8 bytes).
#[inline]
pub(crate) fn valid_size(size: u8) -> bool {
    matches!(size, 1 | 2 | 4 | 8)
}

/// True when an access of `size` bytes at `offset` is naturally aligned and
/// lies entirely inside a window of `window` bytes. Never overflows.
#[inline]
pub(crate) fn access_ok(offset: u64, size: u8, window: u64) -> bool {
    valid_size(size)
        && offset.is_multiple_of(u64::from(size))
        && offset
            .checked_add(u64::from(size))
            .is_some_and(|end| end <= window)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_ok_rules() {
        assert!(access_ok(0, 1, 8));
        assert!(access_ok(7, 1, 8));
        assert!(!access_ok(8, 1, 8));
        assert!(access_ok(0, 8, 8));
        assert!(!access_ok(4, 8, 16));
        assert!(!access_ok(0, 3, 8));
        assert!(!access_ok(0, 0, 8));
        assert!(!access_ok(0, 16, 64));
        assert!(!access_ok(u64::MAX, 1, u64::MAX));
        assert!(!access_ok(u64::MAX - 7, 8, u64::MAX));
    }

    #[test]
    fn memory_map_does_not_overlap() {
        let mut regions = [
            (SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE),
            (CLINT_BASE, CLINT_SIZE),
            (PLIC_BASE, PLIC_SIZE),
            (UART0_BASE, UART0_SIZE),
            (
                VIRTIO_MMIO_BASE,
                VIRTIO_MMIO_STRIDE * VIRTIO_MMIO_COUNT as u64,
            ),
        ];
        regions.sort();
        for w in regions.windows(2) {
            assert!(
                w[0].0 + w[0].1 <= w[1].0,
                "{:x?} overlaps {:x?}",
                w[0],
                w[1]
            );
        }
        let last = regions.last().unwrap();
        assert!(last.0 + last.1 <= DRAM_BASE);
    }

    // IRQ lines are within the PLIC's sources and do not collide.
    const _: () = {
        assert!(UART0_IRQ < plic::NUM_SOURCES);
        assert!(VIRTIO_IRQ_BASE + VIRTIO_MMIO_COUNT as u32 - 1 < plic::NUM_SOURCES);
        assert!(UART0_IRQ >= VIRTIO_IRQ_BASE + VIRTIO_MMIO_COUNT as u32);
    };
}
