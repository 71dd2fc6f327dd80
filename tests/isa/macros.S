# pagewalk ISA test library: riscv-tests style programs for LLVM's integrated
# assembler (GNU-as .macro syntax, no C preprocessor). emulator/build.rs
# assembles every tests/isa/<name>.S as this file followed by the test, via
# `global_asm!`, and links it with toolchain/link/baremetal.ld.
#
# Protocol (riscv-tests): TESTNUM lives in gp (x3). Pass: tohost = 1.
# Fail: tohost = (TESTNUM << 1) | 1. TESTNUM 1 means "failed before the first
# test case" (the prologue sets gp = 1); test cases number from 2.
#
# A test file looks like:
#     rvtest_code_begin
#     test_rr 2, add, 3, 1, 2
#     ...
#     rvtest_code_end
#     .data                     # optional test data
#
# Register conventions:
#   gp (x3)        TESTNUM
#   a1, a2, a4     operands and result of the test_* macros
#   t0, t1, t2     scratch of the macros (t2 holds the expected value)
#   t5, t6         clobbered by the trap handlers on every trap
#
# Traps. Every trap goes to the M-mode handler (or, when delegated through
# medeleg, to the S-mode handler, which records it and forwards to M with an
# ecall). A trap is only accepted when the test armed one (trap_begin or
# run_in_mode); the handler records cause, epc, tval, the privilege the trap
# came from and the privilege that handled it, then resumes in M-mode after
# the matching trap_end / run_in_mode_end, which compares the record with
# what was expected. An unexpected trap fails the current TESTNUM.
#
# Defining RVTEST_FINISHER (`.equ RVTEST_FINISHER, 1` before this file)
# reports through the SiFive test finisher instead of tohost
# (pass = 0x5555, fail = (TESTNUM << 16) | 0x3333), so the same programs run
# on `qemu-system-riscv64 -M virt -bios none`, which has no HTIF.

.option arch, rv64gc

# ---------------------------------------------------------------- constants

.equ PRV_U, 0
.equ PRV_S, 1
.equ PRV_M, 3

.equ MSTATUS_SIE,  0x2
.equ MSTATUS_MIE,  0x8
.equ MSTATUS_SPP,  0x100
.equ MSTATUS_MPP,  0x1800
.equ MSTATUS_FS,   0x6000
.equ MSTATUS_MPRV, 0x20000

.equ CAUSE_MISALIGNED_FETCH,    0
.equ CAUSE_FETCH_ACCESS,        1
.equ CAUSE_ILLEGAL_INSTRUCTION, 2
.equ CAUSE_BREAKPOINT,          3
.equ CAUSE_MISALIGNED_LOAD,     4
.equ CAUSE_LOAD_ACCESS,         5
.equ CAUSE_MISALIGNED_STORE,    6
.equ CAUSE_STORE_ACCESS,        7
.equ CAUSE_USER_ECALL,          8
.equ CAUSE_SUPERVISOR_ECALL,    9
.equ CAUSE_MACHINE_ECALL,       11

.equ FINISHER_BASE, 0x100000

# Trap record (rvtest_trap_rec), one doubleword each.
.equ REC_RESUME, 0      # resume address; non-zero = a trap is expected
.equ REC_CAUSE,  8
.equ REC_EPC,    16
.equ REC_TVAL,   24
.equ REC_FROM,   32     # privilege the trap was taken from (MPP / SPP)
.equ REC_BY,     40     # privilege of the handler (PRV_M or PRV_S)
.equ REC_FWD,    48     # set by the S handler before it forwards to M
.equ REC_EXPECT, 56     # privilege trap_begin / run_in_mode ran the code in
.equ REC_SIZE,   64

# ------------------------------------------------------------ basic checks

# Start test case n: TESTNUM = n.
.macro test_case n
    li gp, \n
.endm

# Fail the current test case unless reg == val (any 64-bit constant).
.macro check reg, val
    li t2, \val
    beq \reg, t2, .Lcheck_ok\@
    j rvtest_fail
.Lcheck_ok\@:
.endm

# Fail the current test case unless reg == the address of sym.
.macro check_addr reg, sym
    la t2, \sym
    beq \reg, t2, .Lcheck_ok\@
    j rvtest_fail
.Lcheck_ok\@:
.endm

# Fail unless reg1 == reg2.
.macro check_reg reg1, reg2
    beq \reg1, \reg2, .Lcheck_ok\@
    j rvtest_fail
.Lcheck_ok\@:
.endm

# ----------------------------------------------------------- ALU test cases

# a4 = inst(v1, v2); expect result.           e.g. test_rr 2, add, 3, 1, 2
.macro test_rr n, inst, result, v1, v2
    test_case \n
    li a1, \v1
    li a2, \v2
    \inst a4, a1, a2
    check a4, \result
.endm

# Same with the destination equal to the first source (rd == rs1).
.macro test_rr_src1_eq_dest n, inst, result, v1, v2
    test_case \n
    li a1, \v1
    li a2, \v2
    \inst a1, a1, a2
    check a1, \result
.endm

# a4 = inst(v1, imm); expect result.          e.g. test_imm 2, addi, 3, 1, 2
.macro test_imm n, inst, result, v1, imm
    test_case \n
    li a1, \v1
    \inst a4, a1, \imm
    check a4, \result
.endm

# a4 = inst(v1) (one-source pseudo-instructions: neg, sext.w, not, ...).
.macro test_r n, inst, result, v1
    test_case \n
    li a1, \v1
    \inst a4, a1
    check a4, \result
.endm

# ----------------------------------------------------- load / store cases

# a4 = inst offset(base); expect result.    e.g. test_ld 2, lb, -1, 0, data
.macro test_ld n, inst, result, offset, base
    test_case \n
    la a1, \base
    \inst a4, \offset(a1)
    check a4, \result
.endm

# Store value with st_inst at offset(base), read back with ld_inst.
.macro test_st n, ld_inst, st_inst, result, value, offset, base
    test_case \n
    la a1, \base
    li a2, \value
    \st_inst a2, \offset(a1)
    \ld_inst a4, \offset(a1)
    check a4, \result
.endm

# ---------------------------------------------------------- branch cases

.macro test_br_taken n, inst, v1, v2
    test_case \n
    li a1, \v1
    li a2, \v2
    \inst a1, a2, .Lbr_taken\@
    j rvtest_fail
.Lbr_taken\@:
.endm

.macro test_br_not_taken n, inst, v1, v2
    test_case \n
    li a1, \v1
    li a2, \v2
    \inst a1, a2, .Lbr_taken\@
    j .Lbr_done\@
.Lbr_taken\@:
    j rvtest_fail
.Lbr_done\@:
.endm

# ------------------------------------------------------ privilege & traps

# Switch from M-mode to privilege mode (PRV_M, PRV_S or PRV_U) and continue
# with the next instruction. Clobbers t0.
.macro enter_mode mode
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (\mode) << 11
    csrs mstatus, t0
    la t0, .Lenter_mode\@
    csrw mepc, t0
    mret
.Lenter_mode\@:
.endm

# Arm the trap record for test case n and switch to mode (from M-mode).
.macro trap_arm n, mode
    test_case \n
    la t1, rvtest_trap_rec
    la t0, .Lresume_\n
    sd t0, REC_RESUME(t1)
    li t0, \mode
    sd t0, REC_EXPECT(t1)
    li t0, -1
    sd t0, REC_CAUSE(t1)
    sd t0, REC_EPC(t1)
    sd t0, REC_TVAL(t1)
    sd t0, REC_FROM(t1)
    sd t0, REC_BY(t1)
    sd zero, REC_FWD(t1)
    enter_mode \mode
.endm

# Test case n expects a trap from the instruction right after this macro,
# executed in privilege mode `mode`. Close with trap_end n, ... (n must be a
# literal number: it names the labels that pair the two macros).
.macro trap_begin n, mode
    trap_arm \n, \mode
.Ltrap_epc_\n:
.endm

# Check the trap of test case n: mcause/scause == cause, epc == the trapping
# instruction, tval == tval (a constant), taken from the mode trap_begin ran
# in, handled in privilege `by` (PRV_M, or PRV_S when delegated). Execution
# continues here in M-mode.
.macro trap_end n, cause, tval, by=PRV_M
    trap_end_common \n, \cause, \by
    ld t0, REC_TVAL(t1)
    check t0, \tval
.endm

# Same, with tval == the address of symbol sym (plus an offset: sym+2).
.macro trap_end_addr n, cause, sym, by=PRV_M
    trap_end_common \n, \cause, \by
    ld t0, REC_TVAL(t1)
    check_addr t0, \sym
.endm

# Breakpoint (cause 3) of test case n: tval may be 0 or the address of the
# breakpoint (the Privileged ISA allows both; Spike and pagewalk write the
# pc, QEMU 7.2 writes 0). Anything else fails.
.macro trap_end_breakpoint n, by=PRV_M
    trap_end_common \n, CAUSE_BREAKPOINT, \by
    ld t0, REC_TVAL(t1)
    beqz t0, .Lbp_ok\@
    check_addr t0, .Ltrap_epc_\n
.Lbp_ok\@:
.endm

.macro trap_end_common n, cause, by
    j rvtest_fail               # no trap happened
.Lresume_\n:
    la t1, rvtest_trap_rec
    ld t0, REC_CAUSE(t1)
    check t0, \cause
    ld t0, REC_EPC(t1)
    check_addr t0, .Ltrap_epc_\n
    ld t0, REC_FROM(t1)
    ld t2, REC_EXPECT(t1)
    check_reg t0, t2
    ld t0, REC_BY(t1)
    check t0, \by
.endm

# Run the code between run_in_mode n, mode and run_in_mode_end n, mode in
# privilege `mode`; run_in_mode_end returns to M-mode with an ecall and
# checks that exactly that ecall trapped (cause 8/9/11 for U/S/M) to `by`.
# Registers other than t0, t1, t5, t6 carry values in and out.
.macro run_in_mode n, mode
    trap_arm \n, \mode
.endm

.macro run_in_mode_end n, mode, by=PRV_M
.Ltrap_epc_\n:
    ecall
    trap_end \n, CAUSE_USER_ECALL + (\mode), 0, \by
.endm

# ---------------------------------------------------------------- skeleton

.macro rvtest_code_begin
    .section .text.init, "ax", @progbits
    .option norvc
    .globl _start
_start:
    j rvtest_reset

# M-mode trap handler: record the trap (unless the S handler already did and
# forwarded it with an ecall), then resume in M-mode at REC_RESUME.
    .align 2
rvtest_mtrap:
    la t6, rvtest_trap_rec
    ld t5, REC_FWD(t6)
    beqz t5, 1f
    csrr t5, mcause
    li t6, CAUSE_SUPERVISOR_ECALL
    beq t5, t6, 3f
    j rvtest_fail               # the S handler forwards with an ecall only
3:  la t6, rvtest_trap_rec
    j 2f
1:  ld t5, REC_RESUME(t6)
    bnez t5, 3f
    j rvtest_fail               # unexpected trap
3:
    csrr t5, mcause
    sd t5, REC_CAUSE(t6)
    csrr t5, mepc
    sd t5, REC_EPC(t6)
    csrr t5, mtval
    sd t5, REC_TVAL(t6)
    csrr t5, mstatus
    srli t5, t5, 11
    andi t5, t5, 3
    sd t5, REC_FROM(t6)
    li t5, PRV_M
    sd t5, REC_BY(t6)
2:  sd zero, REC_FWD(t6)
    ld t5, REC_RESUME(t6)
    sd zero, REC_RESUME(t6)     # disarm: a second trap is unexpected
    csrw mepc, t5
    li t5, MSTATUS_MPP
    csrs mstatus, t5
    mret

# S-mode trap handler (delegated traps): record, then forward to M.
    .align 2
rvtest_strap:
    la t6, rvtest_trap_rec
    ld t5, REC_RESUME(t6)
    bnez t5, 1f
    j rvtest_fail               # unexpected trap
1:  csrr t5, scause
    sd t5, REC_CAUSE(t6)
    csrr t5, sepc
    sd t5, REC_EPC(t6)
    csrr t5, stval
    sd t5, REC_TVAL(t6)
    csrr t5, sstatus
    srli t5, t5, 8
    andi t5, t5, 1
    sd t5, REC_FROM(t6)
    li t5, PRV_S
    sd t5, REC_BY(t6)
    li t5, 1
    sd t5, REC_FWD(t6)
    ecall
    j rvtest_fail

rvtest_reset:
    .irp r, 1,2,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    li x\r, 0
    .endr
    li gp, 1
    csrr t0, mhartid
1:  bnez t0, 1b                 # only hart 0 runs the test
    la t0, rvtest_mtrap
    csrw mtvec, t0
    la t0, rvtest_strap
    csrw stvec, t0
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero
    csrw satp, zero
    csrw mscratch, zero
    # PMP: one NAPOT entry covering everything, RWX, so S and U can run.
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    li t0, MSTATUS_FS
    csrs mstatus, t0
    li t0, MSTATUS_MPRV | MSTATUS_MIE | MSTATUS_SIE
    csrc mstatus, t0
    csrwi fcsr, 0
    li t0, 0
.endm

.macro rvtest_code_end
    j rvtest_pass

rvtest_pass:
    fence
.ifdef RVTEST_FINISHER
    li t0, 0x5555
    li t1, FINISHER_BASE
    sw t0, 0(t1)
.else
    li t0, 1
    la t1, tohost
    sd t0, 0(t1)
.endif
1:  j 1b

rvtest_fail:
    fence
    bnez gp, 1f
    li gp, 1                    # never report TESTNUM 0 (it would read as pass)
1:
.ifdef RVTEST_FINISHER
    slli t0, gp, 16
    li t1, 0x3333
    or t0, t0, t1
    li t1, FINISHER_BASE
    sw t0, 0(t1)
.else
    slli t0, gp, 1
    ori t0, t0, 1
    la t1, tohost
    sd t0, 0(t1)
.endif
1:  j 1b

    .pushsection .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .size tohost, 8
    .align 6
    .globl fromhost
fromhost: .dword 0
    .size fromhost, 8
    .popsection

    .pushsection .data, "aw", @progbits
    .align 6
rvtest_trap_rec: .zero REC_SIZE
    .popsection
.endm

# ======================================================================
# Additions for the F/D, CSR, counter, PMP, fault and misaligned tests
# (fp_single.S, fp_double.S, fp_state.S, csr_access.S, counters.S, pmp.S,
# pmp_lock.S, faults.S, misaligned.S). New macros only; nothing above is
# changed.
# ======================================================================

.equ MSTATUS_TVM, 0x100000
.equ MSTATUS_TW,  0x200000
.equ MSTATUS_TSR, 0x400000
.equ MSTATUS_SD,  0x8000000000000000
.equ FS_DIRTY,    0x6000

# fflags bits (Unprivileged ISA §11.2, Table 11.2)
.equ FF_NX, 0x01
.equ FF_UF, 0x02
.equ FF_OF, 0x04
.equ FF_DZ, 0x08
.equ FF_NV, 0x10

# Illegal instruction of test case n: mtval must hold the bits of the
# 32-bit instruction at .Ltrap_epc_n (read back from memory).
.macro trap_end_insn n, by=PRV_M
    trap_end_common \n, CAUSE_ILLEGAL_INSTRUCTION, \by
    ld t0, REC_TVAL(t1)
    la t2, .Ltrap_epc_\n
    lwu t2, 0(t2)
    check_reg t0, t2
.endm

# A trap of test case n (armed with trap_arm n, mode) whose epc is not the
# instruction after the arm (e.g. a fetch fault at a jump target): checks
# cause, the mode it came from and the handler; leaves t1 = the trap record
# so the caller checks REC_EPC / REC_TVAL itself. Label .Lresume_n here.
.macro trap_end_any n, cause, by=PRV_M
    j rvtest_fail               # no trap happened
.Lresume_\n:
    la t1, rvtest_trap_rec
    ld t0, REC_CAUSE(t1)
    check t0, \cause
    ld t0, REC_FROM(t1)
    ld t2, REC_EXPECT(t1)
    check_reg t0, t2
    ld t0, REC_BY(t1)
    check t0, \by
.endm

# ---------------------------------------------------------- F/D test cases
#
# Conventions: operands in fa0, fa1, fa2 (set from bit patterns with
# fmv.w.x / fmv.d.x), FP result in fa3, integer result in a4. `p` is s or d.
# Each case clears fflags right before the instruction and checks fflags
# (exactly `flags`) and the result bits afterwards. A single result is
# checked as the full 64-bit register: it must be NaN-boxed (upper 32 bits
# all ones). rm is a static rounding mode (rne rtz rdn rup rmm) or dyn.

.macro fp_in_s freg, val
    li t0, \val
    fmv.w.x \freg, t0
.endm
.macro fp_in_d freg, val
    li t0, \val
    fmv.d.x \freg, t0
.endm
.macro fp_check_s freg, val
    fmv.x.d a4, \freg
    check a4, 0xffffffff00000000 | (\val)
.endm
.macro fp_check_d freg, val
    fmv.x.d a4, \freg
    check a4, \val
.endm

# Fail unless fflags == flags; clears fflags (csrrci returns the old value).
.macro check_fflags flags
    csrrci t0, fflags, 0x1f
    check t0, \flags
.endm

# fa3 = inst(fa0) with rm (fsqrt)
.macro test_fp_op1 n, p, inst, result, flags, v1, rm=dyn
    test_case \n
    fp_in_\p fa0, \v1
    csrwi fflags, 0
    \inst fa3, fa0, \rm
    check_fflags \flags
    fp_check_\p fa3, \result
.endm

# fa3 = inst(fa0, fa1) with rm (fadd fsub fmul fdiv)
.macro test_fp_op2 n, p, inst, result, flags, v1, v2, rm=dyn
    test_case \n
    fp_in_\p fa0, \v1
    fp_in_\p fa1, \v2
    csrwi fflags, 0
    \inst fa3, fa0, fa1, \rm
    check_fflags \flags
    fp_check_\p fa3, \result
.endm

# fa3 = inst(fa0, fa1), no rounding mode (fsgnj*, fmin, fmax)
.macro test_fp_op2n n, p, inst, result, flags, v1, v2
    test_case \n
    fp_in_\p fa0, \v1
    fp_in_\p fa1, \v2
    csrwi fflags, 0
    \inst fa3, fa0, fa1
    check_fflags \flags
    fp_check_\p fa3, \result
.endm

# fa3 = inst(fa0, fa1, fa2) with rm (fmadd fmsub fnmadd fnmsub)
.macro test_fp_op3 n, p, inst, result, flags, v1, v2, v3, rm=dyn
    test_case \n
    fp_in_\p fa0, \v1
    fp_in_\p fa1, \v2
    fp_in_\p fa2, \v3
    csrwi fflags, 0
    \inst fa3, fa0, fa1, fa2, \rm
    check_fflags \flags
    fp_check_\p fa3, \result
.endm

# a4 = inst(fa0, fa1) (feq flt fle)
.macro test_fp_cmp n, p, inst, result, flags, v1, v2
    test_case \n
    fp_in_\p fa0, \v1
    fp_in_\p fa1, \v2
    csrwi fflags, 0
    \inst a4, fa0, fa1
    check_fflags \flags
    check a4, \result
.endm

# a4 = fclass(fa0); fclass never sets flags
.macro test_fp_class n, p, result, v1
    test_case \n
    fp_in_\p fa0, \v1
    csrwi fflags, 0
    fclass.\p a4, fa0
    check_fflags 0
    check a4, \result
.endm

# a4 = inst(fa0) with rm: float -> integer (fcvt.w/wu/l/lu.s/d)
.macro test_fp_toint n, p, inst, result, flags, v1, rm=dyn
    test_case \n
    fp_in_\p fa0, \v1
    csrwi fflags, 0
    \inst a4, fa0, \rm
    check_fflags \flags
    check a4, \result
.endm

# fa3 = inst(a1) with rm: integer -> float (fcvt.s/d.w/wu/l/lu)
.macro test_fp_fromint n, p, inst, result, flags, v1, rm=dyn
    test_case \n
    li a1, \v1
    csrwi fflags, 0
    \inst fa3, a1, \rm
    check_fflags \flags
    fp_check_\p fa3, \result
.endm

# fa3 (precision pout) = inst(fa0 (precision pin)) with rm (fcvt.s.d)
.macro test_fp_cvt n, pin, pout, inst, result, flags, v1, rm=dyn
    test_case \n
    fp_in_\pin fa0, \v1
    csrwi fflags, 0
    \inst fa3, fa0, \rm
    check_fflags \flags
    fp_check_\pout fa3, \result
.endm

# mstatus.FS = v (0 Off, 1 Initial, 2 Clean, 3 Dirty). Clobbers t0.
.macro set_fs v
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, (\v) << 13
    csrs mstatus, t0
.endm

# Test case n: the instruction `insn` (any operands) executed in `mode`
# raises illegal instruction with tval = its 32-bit encoding.
.macro test_illegal n, mode, insn:vararg
    trap_begin \n, \mode
    \insn
    trap_end_insn \n
.endm

# ------------------------------------------------------------------------
# Interrupt test helpers, used by tests/isa/irq_*.S and wfi.S.
#
# irq_mtrap / irq_strap log every interrupt into irq_log (one IRQ_LOG_SIZE
# entry: cause, epc, status (mstatus / sstatus at handler entry), aux = mtime
# read at handler entry), clear the interrupt's enable bit (mie / sie) so the
# handler returns with mret / sret to the interrupted instruction without
# re-taking it, and hand exceptions to the library handlers (trap_begin,
# run_in_mode keep working). s11 is the log pointer (owned by the handlers);
# t5, t6 are clobbered on every trap, as with the library handlers.

.equ IRQ_CLINT_MSIP,     0x02000000
.equ IRQ_CLINT_MTIMECMP, 0x02004000
.equ IRQ_CLINT_MTIME,    0x0200bff8

.equ IRQ_PLIC_PRIORITY,  0x0c000000     # + 4 * source
.equ IRQ_PLIC_PENDING,   0x0c001000
.equ IRQ_PLIC_ENABLE0,   0x0c002000     # context 0: hart 0 M-mode
.equ IRQ_PLIC_ENABLE1,   0x0c002080     # context 1: hart 0 S-mode
.equ IRQ_PLIC_THRESHOLD0, 0x0c200000
.equ IRQ_PLIC_CLAIM0,    0x0c200004
.equ IRQ_PLIC_THRESHOLD1, 0x0c201000
.equ IRQ_PLIC_CLAIM1,    0x0c201004
.equ IRQ_UART,           0x10000000     # RBR/THR +0, IER +1, IIR +2, LSR +5
.equ IRQ_UART_SOURCE,    10

.equ IRQ_SSIP, 1 << 1
.equ IRQ_MSIP, 1 << 3
.equ IRQ_STIP, 1 << 5
.equ IRQ_MTIP, 1 << 7
.equ IRQ_SEIP, 1 << 9
.equ IRQ_MEIP, 1 << 11
.equ IRQ_ALL, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP

.equ IRQ_INT, 0x8000000000000000
.equ IRQ_CAUSE_SSI, IRQ_INT | 1
.equ IRQ_CAUSE_MSI, IRQ_INT | 3
.equ IRQ_CAUSE_STI, IRQ_INT | 5
.equ IRQ_CAUSE_MTI, IRQ_INT | 7
.equ IRQ_CAUSE_SEI, IRQ_INT | 9
.equ IRQ_CAUSE_MEI, IRQ_INT | 11

.equ IRQ_MSTATUS_SPIE, 1 << 5
.equ IRQ_MSTATUS_MPIE, 1 << 7
.equ IRQ_MSTATUS_TW,   1 << 21
.equ IRQ_MENVCFG_STCE, 1 << 63

.equ IRQ_LOG_CAUSE,  0
.equ IRQ_LOG_EPC,    8
.equ IRQ_LOG_STATUS, 16
.equ IRQ_LOG_AUX,    24
.equ IRQ_LOG_SIZE,   32
.equ IRQ_LOG_ENTRIES, 16

# Quiet interrupt state: nothing enabled, delegated or software-pending,
# CLINT msip = 0, mtimecmp = -1, the logging handlers installed, empty log.
# Clobbers t0, t1.
.macro irq_reset
    csrw mie, zero
    csrw mideleg, zero
    li t0, MSTATUS_MIE | MSTATUS_SIE | IRQ_MSTATUS_MPIE | IRQ_MSTATUS_SPIE | IRQ_MSTATUS_TW
    csrc mstatus, t0
    csrw mip, zero
    li t0, IRQ_CLINT_MSIP
    sw zero, 0(t0)
    li t0, IRQ_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    la t0, irq_mtrap
    csrw mtvec, t0
    la t0, irq_strap
    csrw stvec, t0
    la s11, irq_log
.endm

# Fail unless the log holds exactly n entries.
.macro irq_check_count n
    la t0, irq_log
    sub t0, s11, t0
    check t0, (\n) * IRQ_LOG_SIZE
.endm

# Fail unless log entry i has this cause.
.macro irq_check_cause i, cause
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_CAUSE(t0)
    check t0, \cause
.endm

# Fail unless log entry i interrupted the instruction at label.
.macro irq_check_epc i, label
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_EPC(t0)
    check_addr t0, \label
.endm

# Fail unless log entry i was handled in M and came from privilege mode
# (mstatus.MPP at handler entry).
.macro irq_check_mpp i, mode
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_STATUS(t0)
    srli t0, t0, 11
    andi t0, t0, 3
    check t0, \mode
.endm

# Same for an S-handled entry (sstatus.SPP: 1 = S, 0 = U).
.macro irq_check_spp i, spp
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_STATUS(t0)
    srli t0, t0, 8
    andi t0, t0, 1
    check t0, \spp
.endm

# Fail unless (reg & mask) == val.
.macro irq_check_bits reg, mask, val
    li t0, \mask
    and t0, \reg, t0
    check t0, \val
.endm

# Fail unless reg1 >= reg2 (unsigned).
.macro irq_check_geu reg1, reg2
    bgeu \reg1, \reg2, .Lirq_geu_ok\@
    j rvtest_fail
.Lirq_geu_ok\@:
.endm

# Fail unless log entry i interrupted an instruction in [lo, hi] (labels):
# for interrupts whose arrival depends on the host's clock (QEMU).
.macro irq_check_epc_range i, lo, hi
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_EPC(t0)
    la t2, \lo
    bgeu t0, t2, .Lirq_lo_ok\@
    j rvtest_fail
.Lirq_lo_ok\@:
    la t2, \hi
    bgeu t2, t0, .Lirq_hi_ok\@
    j rvtest_fail
.Lirq_hi_ok\@:
.endm

# Fail unless log entry i recorded mtime >= reg (not taken too early).
.macro irq_check_aux_geu i, reg
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_AUX(t0)
    irq_check_geu t0, \reg
.endm

# reg = number of log entries.
.macro irq_log_count reg
    la \reg, irq_log
    sub \reg, s11, \reg
    srli \reg, \reg, 5
.endm

# WFI until the log holds n entries (WFI may wake early; the loop makes
# that harmless). Clobbers t0.
.macro irq_wait_count n
.Lirq_wait\@:
    la t0, irq_log
    sub t0, s11, t0
    addi t0, t0, -(\n) * IRQ_LOG_SIZE
    beqz t0, .Lirq_wait_done\@
    wfi
    j .Lirq_wait\@
.Lirq_wait_done\@:
.endm

# reg = CLINT mtime.
.macro irq_read_mtime reg
    li \reg, IRQ_CLINT_MTIME
    ld \reg, 0(\reg)
.endm

# CLINT mtimecmp = reg. Clobbers t0.
.macro irq_set_mtimecmp reg
    li t0, IRQ_CLINT_MTIMECMP
    sd \reg, 0(t0)
.endm

# Wait (bounded) until mip bit `bit` (1 = SSIP ... 11 = MEIP) is set; fail the test case after `limit`
# polls. Clobbers t0, t1.
.macro irq_poll_mip bit, limit=100000
    li t1, \limit
.Lpoll\@:
    csrr t0, mip
    srli t0, t0, \bit
    andi t0, t0, 1
    bnez t0, .Lpoll_done\@
    addi t1, t1, -1
    bnez t1, .Lpoll\@
    j rvtest_fail
.Lpoll_done\@:
.endm

# The handlers and the log; place after rvtest_code_end.
.macro irq_handlers
    .align 2
irq_mtrap:
    csrr t5, mcause
    bltz t5, 1f
    j rvtest_mtrap                  # exception: the library's handler
1:  la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail                   # log full: an interrupt storm
2:  sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, mepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, mstatus
    sd t6, IRQ_LOG_STATUS(s11)
    li t6, IRQ_CLINT_MTIME
    ld t6, 0(t6)
    sd t6, IRQ_LOG_AUX(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5                  # 1 << (cause & 63)
    csrc mie, t6
    mret

    .align 2
irq_strap:
    csrr t5, scause
    bltz t5, 1f
    j rvtest_strap
1:  la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail
2:  sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, sepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, sstatus
    sd t6, IRQ_LOG_STATUS(s11)
    li t6, IRQ_CLINT_MTIME
    ld t6, 0(t6)
    sd t6, IRQ_LOG_AUX(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5
    csrc sie, t6
    sret

    .pushsection .data, "aw", @progbits
    .align 3
irq_log: .zero IRQ_LOG_ENTRIES * IRQ_LOG_SIZE
irq_log_end:
    .popsection
.endm
