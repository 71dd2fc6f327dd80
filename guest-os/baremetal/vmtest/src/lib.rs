//! Machinery of the `vmtest` programs: an M-mode driver that builds Sv39
//! page tables at run time and runs tight assembly routines in S or U mode
//! through them, on pagewalk and on `qemu-system-riscv64 -M virt -bios none`.
//!
//! - [`init`]: M-mode trap vector, PMP open for S/U (entry 0, NAPOT over
//!   everything), no delegation, `satp` Bare.
//! - [`Space`]: one address space (a root table and an ASID). Page tables
//!   come from a page-aligned pool in .bss; every leaf is written with A
//!   set, and D set when writable, so the programs behave the same whether
//!   the hardware updates A/D (Svadu) or faults on them (Svade).
//!   Every space maps the routines' code page twice: at [`CODE_S_VA`]
//!   (R|X) for S mode and at [`CODE_U_VA`] (R|X|U) for U mode, so the only
//!   data accesses in S/U mode are the routines' own loads and stores.
//! - [`enter`]`(mode, space, routine, args)`: writes `satp` (only when it
//!   differs from the last value written, as a kernel staying in one
//!   address space would), sets MPP and `mepc`, and `mret`s into the
//!   routine with `a0..a2 = args`. The routine ends with `ecall`, which the
//!   trap handler turns into a return from `enter` with the routine's
//!   `a0` (callee-saved registers, `sp`, `gp`, `tp` and `ra` restored).
//! - Page faults (causes 12, 13, 15) are logged as (cause, mtval, mepc) in
//!   [`faults`]; loads and stores are then skipped (`mepc += 4`, the
//!   routines are assembled without RVC) and a fetch fault resumes at the
//!   routine's `ra` (it jumped with `jalr ra`). Any other trap from S/U
//!   returns from `enter` with [`UNEXPECTED_TRAP`] and is logged too.
//!
//! The routines (all in one 4 KiB page, section `.text.vm_user`) fold every
//! value they load into a checksum `acc = acc.rotate_left(7) ^ value`
//! ([`mix`]), which the driver recomputes from physical memory.
#![no_std]

use core::arch::{asm, global_asm};
use core::ptr::{addr_of_mut, read_volatile, write_volatile};

pub mod stale;

/// PTE bits (Privileged ISA §4.3.1).
pub mod pte {
    pub const V: u64 = 1 << 0;
    pub const R: u64 = 1 << 1;
    pub const W: u64 = 1 << 2;
    pub const X: u64 = 1 << 3;
    pub const U: u64 = 1 << 4;
    pub const G: u64 = 1 << 5;
    pub const A: u64 = 1 << 6;
    pub const D: u64 = 1 << 7;
}

pub const PAGE: u64 = 4096;
/// Where S-mode runs the routines (R|X).
pub const CODE_S_VA: u64 = 0x0040_0000;
/// Where U-mode runs the routines (R|X|U).
pub const CODE_U_VA: u64 = 0x0050_0000;
/// Base of the 4 KiB data mappings (VPN[2] = 1; page k has VPN 0x40000 + k,
/// so its set in an 8-set TLB is k % 8).
pub const DATA_VA: u64 = 0x4000_0000;
/// Returned by [`enter`] when the routine took a trap other than ecall or
/// a page fault.
pub const UNEXPECTED_TRAP: u64 = u64::MAX;

/// A 4 KiB page.
#[repr(C, align(4096))]
pub struct Page(pub [u64; 512]);

const POOL_PAGES: usize = 64;
/// Data frames the programs map.
pub const FRAMES: usize = 16;

static mut POOL: [Page; POOL_PAGES] = [const { Page([0; 512]) }; POOL_PAGES];
static mut POOL_NEXT: usize = 0;
static mut FRAME_MEM: [Page; FRAMES] = [const { Page([0; 512]) }; FRAMES];

/// Privilege mode a routine runs in (the `mstatus.MPP` value).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    User = 0,
    Supervisor = 1,
}

impl Mode {
    pub fn letter(self) -> char {
        match self {
            Mode::User => 'U',
            Mode::Supervisor => 'S',
        }
    }
}

/// The checksum step of the routines.
pub fn mix(acc: u64, value: u64) -> u64 {
    acc.rotate_left(7) ^ value
}

/// Physical address of data frame `i`.
pub fn frame_pa(i: usize) -> u64 {
    assert!(i < FRAMES);
    addr_of_mut!(FRAME_MEM) as u64 + i as u64 * PAGE
}

/// Fill frame `i` with its pattern: word `j` = `(i + 1) << 48 | j << 8 | 0x5a`
/// (distinct across frames and words).
pub fn fill_frame(i: usize) {
    let base = frame_pa(i);
    for j in 0..512u64 {
        write64(base + 8 * j, ((i as u64 + 1) << 48) | (j << 8) | 0x5a);
    }
}

/// M-mode (untranslated) 64-bit read of physical memory.
pub fn read64(pa: u64) -> u64 {
    // SAFETY: callers pass 8-byte-aligned DRAM addresses the program owns
    // (its frames, page tables, or DRAM outside the image it set itself).
    unsafe { read_volatile(pa as *const u64) }
}

/// M-mode (untranslated) 64-bit write of physical memory.
pub fn write64(pa: u64, value: u64) {
    // SAFETY: as `read64`.
    unsafe { write_volatile(pa as *mut u64, value) }
}

fn alloc_table() -> u64 {
    // SAFETY: single hart; the pool is only handed out here, zeroed (.bss).
    unsafe {
        let n = POOL_NEXT;
        assert!(n < POOL_PAGES, "page-table pool exhausted");
        POOL_NEXT = n + 1;
        addr_of_mut!(POOL) as u64 + n as u64 * PAGE
    }
}

/// An Sv39 address space: a root page table and the ASID its `satp` uses.
#[derive(Clone, Copy)]
pub struct Space {
    pub root: u64,
    pub asid: u16,
}

impl Space {
    /// A new space with the routines' code mapped at [`CODE_S_VA`] and
    /// [`CODE_U_VA`].
    pub fn new(asid: u16) -> Space {
        let mut s = Space {
            root: alloc_table(),
            asid,
        };
        let (start, end) = code_range();
        let mut pa = start;
        while pa < end {
            s.map(CODE_S_VA + (pa - start), pa, 0, pte::R | pte::X);
            s.map(CODE_U_VA + (pa - start), pa, 0, pte::R | pte::X | pte::U);
            pa += PAGE;
        }
        s
    }

    /// The same tables under another ASID.
    pub fn with_asid(self, asid: u16) -> Space {
        Space { asid, ..self }
    }

    /// `satp` for this space: MODE Sv39, ASID, root PPN.
    pub fn satp(&self) -> u64 {
        (8 << 60) | ((self.asid as u64) << 44) | (self.root >> 12)
    }

    /// Address of the PTE for `va` at `level` (0 = 4 KiB leaf, 1 = 2 MiB,
    /// 2 = 1 GiB), creating the intermediate tables.
    pub fn pte_addr(&mut self, va: u64, level: u32) -> u64 {
        let mut table = self.root;
        let mut l = 2;
        loop {
            let slot = table + 8 * ((va >> (12 + 9 * l)) & 511);
            if l == level {
                return slot;
            }
            let e = read64(slot);
            table = if e & pte::V != 0 {
                (e >> 10) << 12
            } else {
                let t = alloc_table();
                write64(slot, ((t >> 12) << 10) | pte::V);
                t
            };
            l -= 1;
        }
    }

    /// Map `va` to `pa` with a leaf at `level` and permissions `flags`
    /// (V and A added, D added when writable). Returns the PTE written.
    pub fn map(&mut self, va: u64, pa: u64, level: u32, flags: u64) -> u64 {
        let d = if flags & pte::W != 0 { pte::D } else { 0 };
        let leaf = leaf_pte(pa, flags | d);
        let slot = self.pte_addr(va, level);
        write64(slot, leaf);
        leaf
    }
}

/// A leaf PTE for `pa` with `flags` | V | A.
pub fn leaf_pte(pa: u64, flags: u64) -> u64 {
    ((pa >> 12) << 10) | flags | pte::V | pte::A
}

extern "C" {
    fn vm_enter(mode: u64, satp: u64, pc: u64, a0: u64, a1: u64, a2: u64) -> u64;
    fn vm_trap();
    fn vm_user_start();
    fn vm_user_end();
    static mut vm_scratch: [u64; 4];
    static mut vm_fault_count: u64;
    static mut vm_fault_log: [u64; 3 * MAX_FAULTS];
}

/// Faults the log keeps.
pub const MAX_FAULTS: usize = 16;

/// The routines, run with `a0..a2` as documented; each returns a checksum.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Routine {
    /// `(base, pages, k)`: k loads per page (offsets 0, 8, ..), page by page.
    Scan,
    /// `(base, pages, rounds)`: round r loads `base + p*4096 + 8r` for each p.
    Cyclic,
    /// `(va1, va2, reps)`: `reps` times: load va1, load va2.
    Pair,
    /// `(base, count, stride)`: loads at `base + i*stride`.
    Strided,
    /// `(va, _, _)`: load va, then store the value back to va (the store
    /// is [`Label::FaultStore`]).
    FaultStore,
    /// `(va, _, _)`: one load ([`Label::FaultLoad`]); returns 0x5a if it
    /// faulted.
    FaultLoad,
    /// `(va, _, _)`: `jalr ra, 0(va)`; returns 0x77 if the fetch faulted.
    FaultFetch,
}

/// Instructions whose address the fault checks need.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Label {
    FaultStore,
    FaultLoad,
    StridedLoad,
}

extern "C" {
    fn vm_scan();
    fn vm_cyclic();
    fn vm_pair();
    fn vm_strided();
    fn vm_strided_load();
    fn vm_fault_store();
    fn vm_fault_store_insn();
    fn vm_fault_load();
    fn vm_fault_load_insn();
    fn vm_fault_fetch();
}

fn code_range() -> (u64, u64) {
    let start = vm_user_start as *const () as usize as u64;
    let end = vm_user_end as *const () as usize as u64;
    (start, end.next_multiple_of(PAGE))
}

fn code_va(mode: Mode, pa: u64) -> u64 {
    let base = match mode {
        Mode::User => CODE_U_VA,
        Mode::Supervisor => CODE_S_VA,
    };
    base + (pa - code_range().0)
}

impl Routine {
    fn pa(self) -> u64 {
        (match self {
            Routine::Scan => vm_scan as *const () as usize,
            Routine::Cyclic => vm_cyclic as *const () as usize,
            Routine::Pair => vm_pair as *const () as usize,
            Routine::Strided => vm_strided as *const () as usize,
            Routine::FaultStore => vm_fault_store as *const () as usize,
            Routine::FaultLoad => vm_fault_load as *const () as usize,
            Routine::FaultFetch => vm_fault_fetch as *const () as usize,
        }) as u64
    }
}

impl Label {
    /// The virtual address of this instruction in `mode`'s code mapping.
    pub fn va(self, mode: Mode) -> u64 {
        let pa = match self {
            Label::FaultStore => vm_fault_store_insn as *const () as usize,
            Label::FaultLoad => vm_fault_load_insn as *const () as usize,
            Label::StridedLoad => vm_strided_load as *const () as usize,
        } as u64;
        code_va(mode, pa)
    }
}

/// M-mode setup: trap vector, scratch area, PMP open for S and U, no
/// delegation, no interrupts, `satp` Bare, MPRV/SUM/MXR clear.
pub fn init() {
    // SAFETY: M-mode CSR setup of a single-hart bare-metal program.
    unsafe {
        asm!(
            "csrw mtvec, {tv}",
            "csrw mscratch, {scratch}",
            "csrw medeleg, zero",
            "csrw mideleg, zero",
            "csrw mie, zero",
            "csrw satp, zero",
            "li {t}, -1",
            "csrw pmpaddr0, {t}",
            "li {t}, 0x1f",
            "csrw pmpcfg0, {t}",
            "li {t}, 0x000e0000",
            "csrc mstatus, {t}",
            tv = in(reg) vm_trap as *const () as usize,
            scratch = in(reg) addr_of_mut!(vm_scratch) as usize,
            t = out(reg) _,
        );
    }
}

/// Run `routine` in `mode` in address space `space` with `args`; returns
/// its checksum (or [`UNEXPECTED_TRAP`]).
pub fn enter(mode: Mode, space: &Space, routine: Routine, args: [u64; 3]) -> u64 {
    let pc = code_va(mode, routine.pa());
    // SAFETY: vm_enter saves every callee-saved register and returns here
    // through the trap handler; the routine touches only its arguments'
    // mappings.
    unsafe { vm_enter(mode as u64, space.satp(), pc, args[0], args[1], args[2]) }
}

/// `sfence.vma x0, x0`.
pub fn sfence_all() {
    // SAFETY: a TLB fence has no memory effects the compiler must know of.
    unsafe { asm!("sfence.vma x0, x0") }
}

/// `sfence.vma x0, asid`.
pub fn sfence_asid(asid: u16) {
    // SAFETY: as `sfence_all`.
    unsafe { asm!("sfence.vma x0, {0}", in(reg) asid as u64) }
}

/// `sfence.vma va, asid`.
pub fn sfence_addr_asid(va: u64, asid: u16) {
    // SAFETY: as `sfence_all`.
    unsafe { asm!("sfence.vma {0}, {1}", in(reg) va, in(reg) asid as u64) }
}

/// One logged trap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fault {
    pub cause: u64,
    pub tval: u64,
    pub epc: u64,
}

/// The traps logged since the last [`clear_faults`] (at most [`MAX_FAULTS`]
/// kept; `count` counts them all).
pub fn faults() -> (u64, [Fault; MAX_FAULTS]) {
    let mut out = [Fault {
        cause: 0,
        tval: 0,
        epc: 0,
    }; MAX_FAULTS];
    // SAFETY: written only by the trap handler, which is not running now.
    unsafe {
        let log = addr_of_mut!(vm_fault_log) as *const u64;
        for (i, f) in out.iter_mut().enumerate() {
            f.cause = read_volatile(log.add(3 * i));
            f.tval = read_volatile(log.add(3 * i + 1));
            f.epc = read_volatile(log.add(3 * i + 2));
        }
        (read_volatile(addr_of_mut!(vm_fault_count)), out)
    }
}

/// Empty the fault log.
pub fn clear_faults() {
    // SAFETY: as `faults`.
    unsafe { write_volatile(addr_of_mut!(vm_fault_count), 0) }
}

global_asm!(
    r#"
    .option push
    .option norvc
    .option norelax

    .section .bss.vm_state, "aw", @nobits
    .balign 8
    .globl vm_scratch, vm_fault_count, vm_fault_log
vm_ctx:
    .zero 16 * 8
vm_cur_satp:
    .zero 8
vm_scratch:
    .zero 4 * 8
vm_fault_count:
    .zero 8
vm_fault_log:
    .zero 3 * 8 * {max_faults}

    .section .text.vm_machine, "ax", @progbits
    .balign 4
    .globl vm_enter
# vm_enter(mode, satp, pc, a0, a1, a2): save the driver's context, write
# satp if it changed, mret into `pc` in `mode` with a0..a2 = the arguments.
vm_enter:
    la t0, vm_ctx
    sd ra, 0(t0)
    sd sp, 8(t0)
    sd gp, 16(t0)
    sd tp, 24(t0)
    sd s0, 32(t0)
    sd s1, 40(t0)
    sd s2, 48(t0)
    sd s3, 56(t0)
    sd s4, 64(t0)
    sd s5, 72(t0)
    sd s6, 80(t0)
    sd s7, 88(t0)
    sd s8, 96(t0)
    sd s9, 104(t0)
    sd s10, 112(t0)
    sd s11, 120(t0)
    la t1, vm_cur_satp
    ld t2, 0(t1)
    beq t2, a1, 1f
    csrw satp, a1
    sd a1, 0(t1)
1:  li t1, 0x1800
    csrc mstatus, t1
    slli t2, a0, 11
    csrs mstatus, t2
    csrw mepc, a2
    mv a0, a3
    mv a1, a4
    mv a2, a5
    mret

    .balign 4
    .globl vm_trap
# M-mode trap vector. mscratch holds vm_scratch (t0..t3 spill area).
vm_trap:
    csrrw t6, mscratch, t6
    sd t0, 0(t6)
    sd t1, 8(t6)
    sd t2, 16(t6)
    sd t3, 24(t6)
    csrr t0, mcause
    addi t1, t0, -8
    beqz t1, 5f
    addi t1, t0, -9
    beqz t1, 5f
    # log (cause, mtval, mepc)
    la t1, vm_fault_count
    ld t2, 0(t1)
    addi t3, t2, 1
    sd t3, 0(t1)
    li t3, {max_faults}
    bgeu t2, t3, 1f
    slli t3, t2, 1
    add t2, t2, t3
    slli t2, t2, 3
    la t1, vm_fault_log
    add t1, t1, t2
    sd t0, 0(t1)
    csrr t2, mtval
    sd t2, 8(t1)
    csrr t2, mepc
    sd t2, 16(t1)
1:  li t1, 12
    beq t0, t1, 3f
    li t1, 13
    beq t0, t1, 2f
    li t1, 15
    beq t0, t1, 2f
    # anything else: back to the driver with UNEXPECTED_TRAP
    li a0, -1
    j 5f
2:  csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    j 4f
3:  csrw mepc, ra
4:  ld t0, 0(t6)
    ld t1, 8(t6)
    ld t2, 16(t6)
    ld t3, 24(t6)
    csrrw t6, mscratch, t6
    mret
# ecall from S or U: return from vm_enter with the routine's a0.
5:  csrrw t6, mscratch, t6
    la t0, vm_ctx
    ld ra, 0(t0)
    ld sp, 8(t0)
    ld gp, 16(t0)
    ld tp, 24(t0)
    ld s0, 32(t0)
    ld s1, 40(t0)
    ld s2, 48(t0)
    ld s3, 56(t0)
    ld s4, 64(t0)
    ld s5, 72(t0)
    ld s6, 80(t0)
    ld s7, 88(t0)
    ld s8, 96(t0)
    ld s9, 104(t0)
    ld s10, 112(t0)
    ld s11, 120(t0)
    ret

# The routines, run in S or U mode. Position independent (mapped at
# CODE_S_VA and CODE_U_VA); no stack; checksum in t3 (t4, t5 scratch).
    .macro MIX
    slli t4, t3, 7
    srli t5, t3, 57
    or t3, t4, t5
    xor t3, t3, t2
    .endm

    .section .text.vm_user, "ax", @progbits
    .balign 4096
    .globl vm_user_start, vm_user_end
    .globl vm_scan, vm_cyclic, vm_pair, vm_strided, vm_strided_load
    .globl vm_fault_store, vm_fault_store_insn, vm_fault_load, vm_fault_load_insn, vm_fault_fetch
vm_user_start:

# (base, pages, k): k loads per page at offsets 0, 8, ...
vm_scan:
    li t3, 0
1:  mv t0, a0
    mv t1, a2
2:  ld t2, 0(t0)
    MIX
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 2b
    li t0, 4096
    add a0, a0, t0
    addi a1, a1, -1
    bnez a1, 1b
    mv a0, t3
    ecall

# (base, pages, rounds): round r loads base + p*4096 + 8r, p = 0..pages-1
vm_cyclic:
    li t3, 0
    li t6, 0
    li a3, 4096
1:  add t0, a0, t6
    mv t1, a1
2:  ld t2, 0(t0)
    MIX
    add t0, t0, a3
    addi t1, t1, -1
    bnez t1, 2b
    addi t6, t6, 8
    addi a2, a2, -1
    bnez a2, 1b
    mv a0, t3
    ecall

# (va1, va2, reps): reps x (load va1, load va2)
vm_pair:
    li t3, 0
1:  ld t2, 0(a0)
    MIX
    ld t2, 0(a1)
    MIX
    addi a2, a2, -1
    bnez a2, 1b
    mv a0, t3
    ecall

# (base, count, stride): loads at base + i*stride
vm_strided:
    li t3, 0
1:
vm_strided_load:
    ld t2, 0(a0)
    MIX
    add a0, a0, a2
    addi a1, a1, -1
    bnez a1, 1b
    mv a0, t3
    ecall

# (va): load va, store it back (the store may fault and is then skipped)
vm_fault_store:
    ld t2, 0(a0)
vm_fault_store_insn:
    sd t2, 0(a0)
    mv a0, t2
    ecall

# (va): one load; 0x5a if it faulted
vm_fault_load:
    li t2, 0x5a
vm_fault_load_insn:
    ld t2, 0(a0)
    mv a0, t2
    ecall

# (va): jump there; a fetch fault resumes at ra; 0x77 if it faulted
vm_fault_fetch:
    li t2, 0x77
    jalr ra, 0(a0)
    mv a0, t2
    ecall

vm_user_end:
    .balign 4096
    .option pop
"#,
    max_faults = const MAX_FAULTS,
);
