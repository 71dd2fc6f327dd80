//! The compute benchmark (the `workloads` mix) run in S-mode under Sv39,
//! so every fetch and data access is translated through the TLB model:
//! the first 8 MiB of DRAM (program, data, stack) are mapped with 4 KiB
//! pages, identity; the devices below 1 GiB with one 1 GiB page so S-mode
//! can print and exit itself. benches/interpreter.rs compares its speed
//! with the untranslated `compute`. Runs on pagewalk and on QEMU `virt`.
#![no_std]
#![no_main]

use baremetal_rt::{entry, exit, println};

/// Rounds of the mix (as in `compute`).
pub const ROUNDS: u32 = 3000;

const PAGE: usize = 4096;
/// DRAM mapped with 4 KiB pages: 8 MiB = 4 leaf tables.
const MAPPED_L0_TABLES: usize = 4;
const DRAM_BASE: usize = 0x8000_0000;

// PTE bits (Privileged ISA §4.3.1).
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

/// The page tables, in .bss (zeroed by the runtime before `main`).
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

/// Build the tables; return the root's physical address.
fn build_tables() -> usize {
    // SAFETY: single-hart M-mode code before translation is on; nothing
    // else refers to TABLES.
    let t = unsafe { &mut *core::ptr::addr_of_mut!(TABLES) };
    t.root.0[0] = leaf(0, R | W); // devices: one 1 GiB page
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
    let root = build_tables();
    // SAFETY: switching to S-mode with the identity-mapped tables just
    // built: PMP open for S-mode, satp = Sv39, then mret to `supervisor`,
    // which never returns (it exits through the finisher).
    unsafe {
        core::arch::asm!(
            "li t0, -1",
            "csrw pmpaddr0, t0",
            "li t0, 0x1f",          // NAPOT, RWX
            "csrw pmpcfg0, t0",
            "csrw satp, {satp}",
            "sfence.vma",
            "li t0, 0x1800",        // mstatus.MPP = S
            "csrc mstatus, t0",
            "li t0, 0x0800",
            "csrs mstatus, t0",
            "csrw mepc, {entry}",
            "mret",
            satp = in(reg) (8u64 << 60) | (root as u64 >> 12),
            entry = in(reg) supervisor as usize,
            options(noreturn)
        );
    }
}

extern "C" fn supervisor() -> ! {
    let sum = workloads::run(ROUNDS);
    println!("compute_vm: {ROUNDS} rounds in S-mode (Sv39), checksum {sum:#018x}");
    exit(0)
}

entry!(main);
