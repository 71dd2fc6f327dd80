//! intmix_vm: the intmix benchmark (see `../mix.rs`) in S-mode under Sv39,
//! so every fetch and data access is translated through the TLB model.
//! The first 8 MiB of DRAM (program, data, stack) are mapped identity with
//! 4 KiB pages, the devices below 1 GiB with one 1 GiB page, as in
//! `compute_vm`. Prints
//! `intmix_vm: N iterations in S-mode (Sv39), checksum 0x...` (the same
//! checksum as `intmix`) and powers off through the SiFive test finisher;
//! runs on pagewalk and on QEMU `virt`.
//!
//! `INTMIX_ITERATIONS` is patchable as in `intmix`.
#![no_std]
#![no_main]

#[path = "../mix.rs"]
mod mix;

use baremetal_rt::sv39::{enter_supervisor, IdentityMap};
use baremetal_rt::{entry, exit, println};
use core::ptr::{addr_of, read_volatile};

/// Iterations to run (patchable; in .data, so in the ELF file).
#[no_mangle]
#[used]
static mut INTMIX_ITERATIONS: u64 = mix::ITERATIONS;

/// DRAM mapped with 4 KiB pages: 8 MiB = 4 leaf tables.
static mut TABLES: IdentityMap<4> = IdentityMap::new();

fn main(_hartid: usize) -> ! {
    // SAFETY: single-hart M-mode code before translation is on; nothing
    // else refers to TABLES.
    let satp = unsafe { (*core::ptr::addr_of_mut!(TABLES)).build() };
    // SAFETY: read once; the host may have patched it before the run.
    let n = unsafe { read_volatile(addr_of!(INTMIX_ITERATIONS)) };
    // SAFETY: M-mode, and the tables map this program identically.
    unsafe { enter_supervisor(satp, supervisor, [n, 0, 0]) }
}

extern "C" fn supervisor(n: u64, _: u64, _: u64) -> ! {
    let sum = mix::run(n);
    println!("intmix_vm: {n} iterations in S-mode (Sv39), checksum {sum:#018x}");
    exit(0)
}

entry!(main);
