# ------------------------------------------------------------------------
# Interrupt test helpers. tests/isa/irq_*.S and wfi.S each carry an
# identical copy of this block (build.rs assembles every test as macros.S +
# the test alone, so it cannot be shared without touching macros.S).
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
# ------------------------------------------------------------------------
# WFI (Privileged ISA 20211203 §3.3.3, §3.1.6.5 TW): WFI resumes when an
# interrupt is pending and enabled in mie, whatever the global enables; with
# MIE = 0 execution continues after the WFI without a trap, with MIE = 1 the
# interrupt is taken with mepc = the instruction after the WFI. WFI with a
# timer in the future sleeps until it (pagewalk's virtual time jumps ahead;
# QEMU waits for the host clock). TW = 1 and U-mode make it illegal below M.

rvtest_code_begin
    irq_reset

    # an interrupt already pending and enabled (MSIP), MIE = 0: WFI
    # completes at once and execution continues, no trap
    test_case 2
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    li t0, IRQ_MSIP
    csrw mie, t0
    wfi
    irq_check_count 0
    sw zero, 0(a1)

    # MTIE = 1, MIE = 0, mtimecmp = mtime + 20 ms: WFI sleeps until then
    # and continues without a trap; mtime after the wake >= mtimecmp,
    # MTIP pending. A pending interrupt that is not enabled (MSIP, MSIE = 0)
    # does not end the sleep.
    test_case 3
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    irq_read_mtime a1
    li a2, 200000
    add a2, a1, a2
    irq_set_mtimecmp a2
    li t0, IRQ_MTIP
    csrw mie, t0
    csrr s0, minstret
    wfi
    csrr s1, minstret
    irq_read_mtime a3
    csrr a4, mip
    irq_check_geu a3, a2
    irq_check_bits a4, IRQ_MTIP, IRQ_MTIP
    irq_check_count 0
.ifndef RVTEST_FINISHER
    # pagewalk: the 2 000 000 ticks (200 M cycles at 100 cycles per tick)
    # passed without instructions: virtual time jumped (HTIF build only;
    # QEMU's minstret is not an instruction count without icount)
    test_case 4
    sub s1, s1, s0
    li t0, 10
    irq_check_geu t0, s1
.endif
    li a1, IRQ_CLINT_MSIP
    sw zero, 0(a1)

    # the same with MIE = 1: the interrupt is taken, mepc = after the WFI
    test_case 5
    irq_reset
    irq_read_mtime a1
    li a2, 200000
    add a2, a1, a2
    irq_set_mtimecmp a2
    li t0, IRQ_MTIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
irq_t5_window:
    irq_wait_count 1
irq_t5_after:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc_range 0, irq_t5_window, irq_t5_after
    irq_check_aux_geu 0, a2

    # S-mode, delegated STI (set by M) pending and enabled in sie, SIE = 0:
    # WFI in S completes, no trap
    irq_reset
    li t0, IRQ_STIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    run_in_mode 6, PRV_S
    wfi
    nop
    run_in_mode_end 6, PRV_S
    irq_check_count 0
    irq_reset

    # S-mode WFI woken by an M-level interrupt: taken to M (always enabled
    # below M), mepc after the WFI
    irq_read_mtime a1
    li a2, 200000
    add a2, a1, a2
    irq_set_mtimecmp a2
    li t0, IRQ_MTIP
    csrw mie, t0
    run_in_mode 7, PRV_S
irq_t7_window:
    irq_wait_count 1
irq_t7_after:
    run_in_mode_end 7, PRV_S
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc_range 0, irq_t7_window, irq_t7_after
    irq_check_mpp 0, PRV_S
    irq_check_aux_geu 0, a2
    irq_reset

    # TW = 1: WFI in S-mode is an illegal instruction (nothing can wake
    # it here, so it cannot complete within any time limit)
    li t0, IRQ_MSTATUS_TW
    csrs mstatus, t0
    trap_begin 8, PRV_S
    wfi
    trap_end 8, CAUSE_ILLEGAL_INSTRUCTION, 0x10500073
    # ... but not in M-mode: TW only traps less-privileged modes
    test_case 9
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    li t0, IRQ_MSIP
    csrw mie, t0
    wfi
    irq_check_count 0
    sw zero, 0(a1)
    irq_reset                         # (clears TW)

    # WFI in U-mode with S-mode implemented: illegal instruction (pagewalk,
    # Spike and QEMU trap at once rather than completing it)
    trap_begin 10, PRV_U
    wfi
    trap_end 10, CAUSE_ILLEGAL_INSTRUCTION, 0x10500073

rvtest_code_end
    irq_handlers
