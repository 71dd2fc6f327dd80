//! Everything that has to be assembly, and the privileged instructions:
//! the M-mode boot stub, the jump to the upper half, the trap entry and
//! the return to user mode, CSR access, `sfence.vma`, the memory probe.
//!
//! This module and `mmio.rs` hold the kernel's unsafe code for the
//! hardware (the rest is page-table and frame memory, in `mem.rs`).

use core::arch::{asm, global_asm};

/// VA of physical address `pa` in DRAM: the direct map.
pub const KERNEL_OFFSET: u64 = 0xFFFF_FFC0_0000_0000 - 0x8000_0000;

global_asm!(
    r#"
    .section .text.boot, "ax", @progbits
    .globl _start
_start:
    /* M-mode, physical addresses, a0 = hartid. Other harts park. */
    bnez a0, 9f
    /* Any trap in M-mode from here on: power off with code 0x104. */
    la t0, 8f
    csrw mtvec, t0
    /* PMP: entry 0 NAPOT over the whole address space, RWX. */
    li t0, -1
    srli t0, t0, 10
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    /* Delegate exceptions (all but ecall from S/M) and S interrupts. */
    li t0, 0xb1ff
    csrw medeleg, t0
    li t0, 0x222
    csrw mideleg, t0
    /* Counters (time, cycle, instret) readable in S and U. */
    li t0, -1
    csrw mcounteren, t0
    /* Sstc: S-mode owns stimecmp. a2 = whether menvcfg.STCE stuck. */
    li t0, 1
    slli t0, t0, 63
    csrs menvcfg, t0
    csrr a2, menvcfg
    srli a2, a2, 63
    csrw mie, zero
    /* mret to S-mode at 1f. */
    li t0, 3 << 11
    csrc mstatus, t0
    li t0, 1 << 11
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  /* S-mode, still physical: satp = boot page table (VA - offset). */
    ld t0, 5f
    ld t1, 6f
    sub t0, t0, t1
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    ld t0, 7f
    jr t0
    .balign 8
5:  .dword BOOT_PT
6:  .dword 0xFFFFFFC000000000 - 0x80000000
7:  .dword __kernel_high
8:  li t0, 0x100000
    li t1, (0x104 << 16) | 0x3333
    sw t1, 0(t0)
9:  wfi
    j 9b

    .section .text.high, "ax", @progbits
__kernel_high:
    la sp, __stack_top
    csrw sscratch, zero
    la t0, __bss_start
    la t1, __bss_end
2:  bgeu t0, t1, 3f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 2b
3:  mv a0, a2
    la t0, trap_entry
    csrw stvec, t0
    call kmain
4:  j 4b

    /* Trap entry. sscratch = the current TrapFrame while in U-mode, 0 in
       S-mode. The kernel runs with interrupts off, so a trap from S-mode
       is a kernel bug (or the memory probe, which has its own stvec). */
    .balign 4
    .globl trap_entry
trap_entry:
    csrrw sp, sscratch, sp
    beqz sp, 1f
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    csrr t0, sscratch
    sd t0, 16(sp)
    csrw sscratch, zero
    csrr t0, sepc
    sd t0, 256(sp)
    mv a0, sp
    ld sp, 264(sp)
    call user_trap
    j .
1:  csrrw sp, sscratch, sp
    call kernel_trap
    j .

    /* enter_user(frame): restore the user registers and sret to U-mode. */
    .globl enter_user
enter_user:
    csrw sscratch, a0
    ld t0, 256(a0)
    csrw sepc, t0
    li t0, 1 << 8
    csrc sstatus, t0
    ld x1, 8(a0)
    ld x2, 16(a0)
    ld x3, 24(a0)
    ld x4, 32(a0)
    ld x5, 40(a0)
    ld x6, 48(a0)
    ld x7, 56(a0)
    ld x8, 64(a0)
    ld x9, 72(a0)
    ld x11, 88(a0)
    ld x12, 96(a0)
    ld x13, 104(a0)
    ld x14, 112(a0)
    ld x15, 120(a0)
    ld x16, 128(a0)
    ld x17, 136(a0)
    ld x18, 144(a0)
    ld x19, 152(a0)
    ld x20, 160(a0)
    ld x21, 168(a0)
    ld x22, 176(a0)
    ld x23, 184(a0)
    ld x24, 192(a0)
    ld x25, 200(a0)
    ld x26, 208(a0)
    ld x27, 216(a0)
    ld x28, 224(a0)
    ld x29, 232(a0)
    ld x30, 240(a0)
    ld x31, 248(a0)
    ld x10, 80(a0)
    sret

    /* Memory probe: a load that faults comes here (stvec), skips the
       4-byte load and sets t5. */
    .balign 4
probe_trap:
    csrr t6, sepc
    addi t6, t6, 4
    csrw sepc, t6
    li t5, 1
    sret
"#
);

/// A user context: x0..x31 (x0 unused), pc, and the kernel stack top the
/// trap entry switches to. Layout fixed by the assembly above.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TrapFrame {
    pub regs: [u64; 32],
    pub pc: u64,
    pub kernel_sp: u64,
}

impl TrapFrame {
    pub const fn zero() -> TrapFrame {
        TrapFrame {
            regs: [0; 32],
            pc: 0,
            kernel_sp: 0,
        }
    }
}

extern "C" {
    fn enter_user(frame: *const TrapFrame) -> !;
    fn probe_trap();
    fn trap_entry();
    static __stack_top: u8;
    static __kernel_end: u8;
}

/// The top of the kernel stack (each trap from U-mode starts there).
pub fn kernel_stack_top() -> u64 {
    core::ptr::addr_of!(__stack_top) as u64
}

/// VA of the end of the kernel image (page-aligned).
pub fn kernel_end() -> u64 {
    core::ptr::addr_of!(__kernel_end) as u64
}

/// Return to user mode with the registers of `frame`.
///
/// The frame must stay alive (and unmoved) until the next trap, which
/// writes the user registers back into it: callers pass a boxed frame
/// owned by the process table.
pub fn return_to_user(frame: *const TrapFrame) -> ! {
    // SAFETY: `frame` points to a live TrapFrame (see above); the satp of
    // its process is installed, so sret resumes it in its address space.
    unsafe { enter_user(frame) }
}

/// Whether a 64-bit load from `va` succeeds (a load/access fault is
/// caught by a temporary stvec instead of trapping to `trap_entry`).
pub fn probe(va: u64) -> bool {
    let faulted: u64;
    // SAFETY: stvec points at `probe_trap` for the one load only; a fault
    // there returns past the (uncompressed, 4-byte) load with t5 = 1. The
    // loaded value is discarded. Interrupts are off.
    unsafe {
        asm!(
            "csrw stvec, {h}",
            "li t5, 0",
            ".option push",
            ".option norvc",
            "ld t6, 0({va})",
            ".option pop",
            "csrw stvec, {t}",
            h = in(reg) probe_trap as *const () as usize,
            t = in(reg) trap_entry as *const () as usize,
            va = in(reg) va,
            out("t5") faulted,
            out("t6") _,
        );
    }
    faulted == 0
}

macro_rules! csr_read {
    ($name:ident, $csr:literal) => {
        pub fn $name() -> u64 {
            let v: u64;
            // SAFETY: reading this CSR has no side effects.
            unsafe { asm!(concat!("csrr {}, ", $csr), out(reg) v) };
            v
        }
    };
}

csr_read!(scause, "scause");
csr_read!(stval, "stval");
csr_read!(sepc, "sepc");
csr_read!(time, "time");
csr_read!(instret, "instret");

/// Install a root page table: satp = Sv39 | asid | ppn (no flush: ASIDs
/// tell address spaces apart).
pub fn set_satp(value: u64) {
    // SAFETY: callers pass a root table whose kernel half equals the
    // kernel's (global) mappings, so the kernel keeps running.
    unsafe { asm!("csrw satp, {}", in(reg) value) };
}

/// `sfence.vma` for everything.
pub fn sfence_all() {
    // SAFETY: a fence has no effect other than ordering/flushing the TLB.
    unsafe { asm!("sfence.vma") };
}

/// `sfence.vma va, asid`.
pub fn sfence_page(va: u64, asid: u64) {
    // SAFETY: as `sfence_all`.
    unsafe { asm!("sfence.vma {}, {}", in(reg) va, in(reg) asid) };
}

/// `sfence.vma zero, asid`.
pub fn sfence_asid(asid: u64) {
    // SAFETY: as `sfence_all`.
    unsafe { asm!("sfence.vma zero, {}", in(reg) asid) };
}

/// Enable the FPU for user code (sstatus.FS = Initial) and stimecmp off.
pub fn init_hart(sstc: bool) {
    // SAFETY: sets sstatus.FS; scounteren lets user code read cycle,
    // time and instret; with Sstc, stimecmp = max (no timer yet).
    unsafe {
        asm!("csrs sstatus, {}", in(reg) 1u64 << 13);
        asm!("csrw scounteren, {}", in(reg) 7u64);
        if sstc {
            asm!("csrw stimecmp, {}", in(reg) u64::MAX);
        }
    }
}

/// Arm the S-mode timer (Sstc `stimecmp`) for `time` value `at`.
pub fn set_timer(at: u64) {
    // SAFETY: writes stimecmp (Sstc, enabled by the boot stub); only
    // called when Sstc is available.
    unsafe { asm!("csrw stimecmp, {}", in(reg) at) };
}

/// Enable S-mode timer interrupts in `sie` (taken in U-mode only: the
/// kernel runs with sstatus.SIE clear).
pub fn enable_timer_interrupt() {
    // SAFETY: sets sie.STIE; sstatus.SIE stays clear.
    unsafe { asm!("csrs sie, {}", in(reg) 1u64 << 5) };
}

/// Enable S-mode external interrupts in `sie` (the PLIC; taken in U-mode
/// only, the kernel polls with `wfi` when idle).
pub fn enable_external_interrupt() {
    // SAFETY: sets sie.SEIE; sstatus.SIE stays clear.
    unsafe { asm!("csrs sie, {}", in(reg) 1u64 << 9) };
}

/// Wait for an interrupt (wakes on a pending enabled one even with
/// sstatus.SIE clear).
pub fn wfi() {
    // SAFETY: WFI only waits.
    unsafe { asm!("wfi") };
}

/// Save f0..f31 and fcsr.
pub fn save_fp(fp: &mut [u64; 33]) {
    // SAFETY: stores 33 doublewords into `fp`; sstatus.FS is not Off.
    unsafe {
        asm!(
            "fsd f0, 0({p})", "fsd f1, 8({p})", "fsd f2, 16({p})", "fsd f3, 24({p})",
            "fsd f4, 32({p})", "fsd f5, 40({p})", "fsd f6, 48({p})", "fsd f7, 56({p})",
            "fsd f8, 64({p})", "fsd f9, 72({p})", "fsd f10, 80({p})", "fsd f11, 88({p})",
            "fsd f12, 96({p})", "fsd f13, 104({p})", "fsd f14, 112({p})", "fsd f15, 120({p})",
            "fsd f16, 128({p})", "fsd f17, 136({p})", "fsd f18, 144({p})", "fsd f19, 152({p})",
            "fsd f20, 160({p})", "fsd f21, 168({p})", "fsd f22, 176({p})", "fsd f23, 184({p})",
            "fsd f24, 192({p})", "fsd f25, 200({p})", "fsd f26, 208({p})", "fsd f27, 216({p})",
            "fsd f28, 224({p})", "fsd f29, 232({p})", "fsd f30, 240({p})", "fsd f31, 248({p})",
            "frcsr {t}",
            "sd {t}, 256({p})",
            p = in(reg) fp.as_mut_ptr(),
            t = out(reg) _,
        );
    }
}

/// Restore f0..f31 and fcsr.
pub fn restore_fp(fp: &[u64; 33]) {
    // SAFETY: loads 33 doublewords from `fp` into the FP registers, which
    // the kernel itself does not use.
    unsafe {
        asm!(
            "fld f0, 0({p})", "fld f1, 8({p})", "fld f2, 16({p})", "fld f3, 24({p})",
            "fld f4, 32({p})", "fld f5, 40({p})", "fld f6, 48({p})", "fld f7, 56({p})",
            "fld f8, 64({p})", "fld f9, 72({p})", "fld f10, 80({p})", "fld f11, 88({p})",
            "fld f12, 96({p})", "fld f13, 104({p})", "fld f14, 112({p})", "fld f15, 120({p})",
            "fld f16, 128({p})", "fld f17, 136({p})", "fld f18, 144({p})", "fld f19, 152({p})",
            "fld f20, 160({p})", "fld f21, 168({p})", "fld f22, 176({p})", "fld f23, 184({p})",
            "fld f24, 192({p})", "fld f25, 200({p})", "fld f26, 208({p})", "fld f27, 216({p})",
            "fld f28, 224({p})", "fld f29, 232({p})", "fld f30, 240({p})", "fld f31, 248({p})",
            "ld {t}, 256({p})",
            "fscsr {t}",
            p = in(reg) fp.as_ptr(),
            t = out(reg) _,
        );
    }
}

/// The caller's return address (for panic messages).
#[inline(always)]
pub fn return_address() -> u64 {
    let ra: u64;
    // SAFETY: reads a register.
    unsafe { asm!("mv {}, ra", out(reg) ra) };
    ra
}

/// Stop this hart forever.
pub fn halt() -> ! {
    loop {
        // SAFETY: WFI only waits.
        unsafe { asm!("wfi") };
    }
}
