//! The compute benchmark (the `workloads` mix) run in S-mode under Sv39,
//! so every fetch and data access is translated through the TLB model:
//! the first 8 MiB of DRAM (program, data, stack) are mapped with 4 KiB
//! pages, identity; the devices below 1 GiB with one 1 GiB page so S-mode
//! can print and exit itself. Its speed against the untranslated `compute`
//! shows the cost of translation. Runs on pagewalk and on QEMU `virt`.
#![no_std]
#![no_main]

use baremetal_rt::sv39::{enter_supervisor, IdentityMap};
use baremetal_rt::{entry, exit, println};

/// Rounds of the mix (as in `compute`).
pub const ROUNDS: u32 = 3000;

/// DRAM mapped with 4 KiB pages: 8 MiB = 4 leaf tables.
static mut TABLES: IdentityMap<4> = IdentityMap::new();

fn main(_hartid: usize) -> ! {
    // SAFETY: single-hart M-mode code before translation is on; nothing
    // else refers to TABLES.
    let satp = unsafe { (*core::ptr::addr_of_mut!(TABLES)).build() };
    // SAFETY: M-mode, and the tables map this program identically.
    unsafe { enter_supervisor(satp, supervisor, [0; 3]) }
}

extern "C" fn supervisor(_: u64, _: u64, _: u64) -> ! {
    let sum = workloads::run(ROUNDS);
    println!("compute_vm: {ROUNDS} rounds in S-mode (Sv39), checksum {sum:#018x}");
    exit(0)
}

entry!(main);
