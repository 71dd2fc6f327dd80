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
#![no_std]
#![no_main]

use baremetal_rt::{entry, exit};
use core::ptr::{addr_of, read_volatile};

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

const PAGE: usize = 4096;
/// DRAM mapped with 4 KiB pages: 16 MiB = 8 leaf tables.
const MAPPED_L0_TABLES: usize = 8;
const DRAM_BASE: usize = 0x8000_0000;
/// The workload region: DRAM + 4 MiB, up to the end of the mapping.
const DATA: usize = DRAM_BASE + (4 << 20);
/// Largest region: 12 MiB.
pub const MAX_PAGES: u64 = 3072;

const V: u64 = 1;
const R: u64 = 1 << 1;
const W: u64 = 1 << 2;
const X: u64 = 1 << 3;
const A: u64 = 1 << 6;
const D: u64 = 1 << 7;

#[repr(C, align(4096))]
struct Table([u64; 512]);

#[repr(C)]
struct Tables {
    root: Table,
    l1: Table,
    l0: [Table; MAPPED_L0_TABLES],
}

static mut TABLES: Tables = Tables {
    root: Table([0; 512]),
    l1: Table([0; 512]),
    l0: [const { Table([0; 512]) }; MAPPED_L0_TABLES],
};

fn pointer(table: &Table) -> u64 {
    ((table as *const Table as u64) >> 12) << 10 | V
}

fn leaf(pa: usize, flags: u64) -> u64 {
    ((pa as u64) >> 12) << 10 | flags | V | A | D
}

fn build_tables() -> usize {
    // SAFETY: single-hart M-mode code before translation is on.
    let t = unsafe { &mut *core::ptr::addr_of_mut!(TABLES) };
    t.root.0[0] = leaf(0, R | W);
    t.root.0[DRAM_BASE >> 30] = pointer(&t.l1);
    for i in 0..MAPPED_L0_TABLES {
        t.l1.0[i] = pointer(&t.l0[i]);
        for j in 0..512 {
            let pa = DRAM_BASE + (i * 512 + j) * PAGE;
            t.l0[i].0[j] = leaf(pa, R | W | X);
        }
    }
    &t.root as *const Table as usize
}

fn main(_hartid: usize) -> ! {
    // SAFETY: read once; the host may have patched them before the run.
    let (work, pages, reps) = unsafe {
        (
            read_volatile(addr_of!(TLBWORK_SELECT)),
            read_volatile(addr_of!(TLBWORK_PAGES)),
            read_volatile(addr_of!(TLBWORK_REPS)),
        )
    };
    if work > workloads::tlb::MATMUL_BLOCKED || pages > MAX_PAGES {
        exit(1);
    }
    let root = build_tables();
    // SAFETY: the region is mapped DRAM that nothing else uses.
    unsafe { workloads::tlb::prepare(work, DATA as *mut u64, pages as usize) };
    // SAFETY: to S-mode with the identity-mapped tables just built (as
    // compute_vm); `supervisor` never returns.
    unsafe {
        core::arch::asm!(
            "li t0, -1",
            "csrw pmpaddr0, t0",
            "li t0, 0x1f",
            "csrw pmpcfg0, t0",
            "csrw satp, {satp}",
            "sfence.vma",
            "li t0, 0x1800",
            "csrc mstatus, t0",
            "li t0, 0x0800",
            "csrs mstatus, t0",
            "csrw mepc, {entry}",
            "mret",
            satp = in(reg) (8u64 << 60) | (root as u64 >> 12),
            entry = in(reg) supervisor as usize,
            in("a0") work,
            in("a1") pages,
            in("a2") reps,
            options(noreturn)
        );
    }
}

extern "C" fn supervisor(work: u64, pages: u64, reps: u64) -> ! {
    // SAFETY: prepared above; the region is mapped in S-mode.
    let sum = unsafe { workloads::tlb::run(work, DATA as *mut u64, pages as usize, reps as usize) };
    core::hint::black_box(sum);
    exit(0)
}

entry!(main);
