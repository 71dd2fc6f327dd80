//! The TLB comparison workloads (`workloads::tlb`) in S-mode under Sv39:
//! the first 16 MiB of DRAM are mapped identity with 4 KiB pages, the
//! devices below 1 GiB with one 1 GiB page (for the finisher).
//!
//! The host (`pagewalk tlb-compare`) patches three words after loading the
//! ELF: `TLBWORK_SELECT` (the workload number, `workloads::tlb::SCAN`...),
//! `TLBWORK_PAGES` (the region's size in 4 KiB pages, at most
//! [`MAX_PAGES`]) and `TLBWORK_REPS` (passes). M-mode builds the page
//! tables and initialises the region at [`DATA`] untranslated; S-mode then
//! runs the measured phase and powers off (exit 0; 1 for a bad selection).
//! So the translated accesses are the workload's, plus a constant few:
//! `supervisor`'s stack frame and the finisher store.
//!
//! Workloads `CYCLIC` to `SUPERPAGE` are the MMU scenarios of [`vm`]: M-mode
//! also edits the page tables for them, and S-mode runs [`vm::supervisor`].
#![no_std]
#![no_main]

use baremetal_rt::sv39::{enter_supervisor, IdentityMap};
use baremetal_rt::{entry, exit};
use core::ptr::{addr_of, read_volatile};

mod vm;

/// Workload number (`workloads::tlb::SCAN`...), kept in .data (a zero
/// would go to .bss, which the runtime clears after the host patched it).
#[no_mangle]
#[used]
#[link_section = ".data.tlbwork_select"]
static mut TLBWORK_SELECT: u64 = 0;
/// Region size in 4 KiB pages.
#[no_mangle]
#[used]
static mut TLBWORK_PAGES: u64 = 256;
/// Passes over the region.
#[no_mangle]
#[used]
static mut TLBWORK_REPS: u64 = 4;

/// DRAM mapped with 4 KiB pages: 16 MiB = 8 leaf tables.
static mut TABLES: IdentityMap<8> = IdentityMap::new();
const DRAM_BASE: usize = 0x8000_0000;
/// The workload region: DRAM + 4 MiB, up to the end of the mapping.
const DATA: usize = DRAM_BASE + (4 << 20);
/// Largest region: 12 MiB.
pub const MAX_PAGES: u64 = 3072;

fn main(_hartid: usize) -> ! {
    // SAFETY: read once; the host may have patched them before the run.
    let (work, pages, reps) = unsafe {
        (
            read_volatile(addr_of!(TLBWORK_SELECT)),
            read_volatile(addr_of!(TLBWORK_PAGES)),
            read_volatile(addr_of!(TLBWORK_REPS)),
        )
    };
    let max = match work {
        0..=workloads::tlb::MATMUL_BLOCKED => Some(MAX_PAGES),
        _ => vm::max_pages(work),
    };
    if max.is_none_or(|max| pages > max) {
        exit(1);
    }
    // SAFETY: single-hart M-mode code before translation is on.
    let satp = unsafe { (*core::ptr::addr_of_mut!(TABLES)).build() };
    if work > workloads::tlb::MATMUL_BLOCKED {
        // SAFETY: as above; DATA is 2 MiB aligned and `pages` was checked.
        unsafe {
            vm::prepare(work, satp, DATA as u64, pages, reps);
            enter_supervisor(satp, vm::supervisor, [work, pages, reps])
        }
    }
    // SAFETY: the region is mapped DRAM that nothing else uses.
    unsafe { workloads::tlb::prepare(work, DATA as *mut u64, pages as usize) };
    // SAFETY: M-mode, and the tables map this program identically.
    unsafe { enter_supervisor(satp, supervisor, [work, pages, reps]) }
}

extern "C" fn supervisor(work: u64, pages: u64, reps: u64) -> ! {
    // SAFETY: prepared above; the region is mapped in S-mode.
    let sum = unsafe { workloads::tlb::run(work, DATA as *mut u64, pages as usize, reps as usize) };
    core::hint::black_box(sum);
    exit(0)
}

entry!(main);
