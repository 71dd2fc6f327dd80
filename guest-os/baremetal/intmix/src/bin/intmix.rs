//! intmix: the long Dhrystone-class integer benchmark (see `../mix.rs`) in
//! M-mode, untranslated. Prints `intmix: N iterations, checksum 0x...` on
//! the UART and powers off through the SiFive test finisher, so it runs
//! the same on pagewalk and on `qemu-system-riscv64 -M virt -bios none`.
//!
//! The iteration count is the word `INTMIX_ITERATIONS` (default
//! [`mix::ITERATIONS`], about 610 million instructions); the host patches
//! it for shorter runs (tests, benches: `pagewalk::guest::patch_symbol`).
#![no_std]
#![no_main]

#[path = "../mix.rs"]
mod mix;

use baremetal_rt::{entry, exit, println};
use core::ptr::{addr_of, read_volatile};

/// Iterations to run (patchable; in .data, so in the ELF file).
#[no_mangle]
#[used]
static mut INTMIX_ITERATIONS: u64 = mix::ITERATIONS;

fn main(_hartid: usize) -> ! {
    // SAFETY: read once; the host may have patched it before the run.
    let n = unsafe { read_volatile(addr_of!(INTMIX_ITERATIONS)) };
    let sum = mix::run(n);
    println!("intmix: {n} iterations, checksum {sum:#018x}");
    exit(0)
}

entry!(main);
