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
# External interrupts through the PLIC (PLIC spec 1.0: priorities §4,
# pending §5, enables §6, thresholds §7, claim §8, completion §9;
# Privileged ISA 20211203 §3.1.9 MEIP/SEIP) with the 16550 UART's
# received-data interrupt (IER.ERBFI) on source 10. tests/isa.rs feeds the
# three bytes "Zk!" to the UART of every test named irq_external*.
# Context 0 is hart 0 M-mode (MEIP), context 1 hart 0 S-mode (SEIP).

# reg = 32-bit MMIO word at addr. Clobbers t0.
.macro ext_lw reg, addr
    li t0, \addr
    lwu \reg, 0(t0)
.endm

# 32-bit MMIO word at addr = reg. Clobbers t0.
.macro ext_sw reg, addr
    li t0, \addr
    sw \reg, 0(t0)
.endm

# WFI until mip bit `bit` is set (its mie bit must be set). Clobbers t0.
.macro ext_wait_mip bit
.Lext_wait\@:
    csrr t0, mip
    srli t0, t0, \bit
    andi t0, t0, 1
    bnez t0, .Lext_wait_done\@
    wfi
    j .Lext_wait\@
.Lext_wait_done\@:
.endm

.equ EXT_SRC_BIT, 1 << IRQ_UART_SOURCE

rvtest_code_begin
    irq_reset

    # priorities are WARL, 3 bits on QEMU virt; source 0 has none
    test_case 2
    li a0, -1
    ext_sw a0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    ext_lw a1, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    check a1, 7
    li a0, 1
    ext_sw a0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    ext_lw a1, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    check a1, 1

    # M context: enable source 10, threshold 0, UART IER.ERBFI, MEIE; with
    # MIE = 0 wait (WFI) until MEIP: the byte has arrived
    test_case 3
    li a0, EXT_SRC_BIT
    ext_sw a0, IRQ_PLIC_ENABLE0
    ext_lw a1, IRQ_PLIC_ENABLE0
    check a1, EXT_SRC_BIT
    ext_sw zero, IRQ_PLIC_THRESHOLD0
    li a2, IRQ_UART
    li a0, 1
    sb a0, 1(a2)
    lbu a1, 1(a2)
    check a1, 1
    li t0, IRQ_MEIP
    csrw mie, t0
    ext_wait_mip 11
    irq_check_count 0
    lbu a1, 5(a2)                     # LSR.DR
    andi a1, a1, 1
    check a1, 1
    ext_lw a1, IRQ_PLIC_PENDING
    andi a1, a1, EXT_SRC_BIT
    check a1, EXT_SRC_BIT
    # MIE = 1: taken at once, mcause 11
    test_case 4
    csrsi mstatus, MSTATUS_MIE
irq_t4_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MEI
    irq_check_epc 0, irq_t4_epc
    irq_check_mpp 0, PRV_M
    # claim returns 10 and clears the pending bit and MEIP; RBR = 'Z'
    test_case 5
    ext_lw a0, IRQ_PLIC_CLAIM0
    check a0, IRQ_UART_SOURCE
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    ext_lw a1, IRQ_PLIC_PENDING
    andi a1, a1, EXT_SRC_BIT
    check a1, 0
    li a2, IRQ_UART
    lbu a1, 0(a2)
    check a1, 'Z'
    # while in flight, nothing more to claim
    test_case 6
    ext_lw a1, IRQ_PLIC_CLAIM0
    check a1, 0
    # complete; the next byte raises MEIP again
    test_case 7
    ext_sw a0, IRQ_PLIC_CLAIM0
    li t0, IRQ_MEIP
    csrw mie, t0
    ext_wait_mip 11
    irq_check_count 1

    # threshold >= priority masks it; below lets it through; priority 0
    # never interrupts; the pending bit stays set meanwhile
    test_case 8
    li a0, 1
    ext_sw a0, IRQ_PLIC_THRESHOLD0
    ext_lw a1, IRQ_PLIC_THRESHOLD0
    check a1, 1
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    ext_lw a1, IRQ_PLIC_PENDING
    andi a1, a1, EXT_SRC_BIT
    check a1, EXT_SRC_BIT
    test_case 9
    li a0, 2
    ext_sw a0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, IRQ_MEIP
    test_case 10
    li a0, 7
    ext_sw a0, IRQ_PLIC_THRESHOLD0
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    test_case 11
    ext_sw zero, IRQ_PLIC_THRESHOLD0
    ext_sw zero, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    test_case 12
    li a0, 1
    ext_sw a0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, IRQ_MEIP
    ext_sw zero, IRQ_PLIC_ENABLE0

    # S context with SEI delegated: taken in S from S-mode (SIE = 1) at
    # the first instruction, scause 9; S claims 10 from context 1, reads
    # 'k', completes; SEIP clears on the claim
    li a0, EXT_SRC_BIT
    ext_sw a0, IRQ_PLIC_ENABLE1
    ext_sw zero, IRQ_PLIC_THRESHOLD1
    li t0, IRQ_SEIP
    csrw mideleg, t0
    csrw mie, t0
    csrsi mstatus, MSTATUS_SIE
    li a2, IRQ_UART
    run_in_mode 13, PRV_S
irq_t13_s:
    ext_lw a3, IRQ_PLIC_CLAIM1
    csrr a4, sip
    lbu a5, 0(a2)
    ext_sw a3, IRQ_PLIC_CLAIM1
    csrci sstatus, MSTATUS_SIE
    run_in_mode_end 13, PRV_S
    irq_check_count 2
    irq_check_cause 1, IRQ_CAUSE_SEI
    irq_check_epc 1, irq_t13_s
    irq_check_spp 1, 1
    test_case 14
    check a3, IRQ_UART_SOURCE
    irq_check_bits a4, IRQ_SEIP, 0
    check a5, 'k'
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0    # context 0 not enabled: never MEIP
    ext_sw zero, IRQ_PLIC_ENABLE1
    csrw mideleg, zero
    csrw mie, zero

    # back to M: MIE = 1 and WFI until the last byte's interrupt
    li t0, MSTATUS_MIE | IRQ_MSTATUS_MPIE
    csrc mstatus, t0
    li a0, EXT_SRC_BIT
    ext_sw a0, IRQ_PLIC_ENABLE0
    ext_sw zero, IRQ_PLIC_THRESHOLD0  # (after the enable, see case 17)
    li t0, IRQ_MEIP
    csrw mie, t0
    test_case 15
    csrsi mstatus, MSTATUS_MIE
irq_t15_window:
    irq_wait_count 3
irq_t15_after:
    csrci mstatus, MSTATUS_MIE
    irq_check_cause 2, IRQ_CAUSE_MEI
    irq_check_epc_range 2, irq_t15_window, irq_t15_after
    ext_lw a0, IRQ_PLIC_CLAIM0
    check a0, IRQ_UART_SOURCE
    li a2, IRQ_UART
    lbu a1, 0(a2)
    check a1, '!'
    lbu a1, 5(a2)                     # LSR.DR: nothing left
    andi a1, a1, 1
    check a1, 0
    ext_sw a0, IRQ_PLIC_CLAIM0
    # the line is low: completing does not make it pending again
    test_case 16
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    ext_lw a1, IRQ_PLIC_CLAIM0
    check a1, 0

    # a pending source that is not enabled for the context raises no MEIP.
    # Last: QEMU 7.2 does not re-evaluate its outputs on enable writes
    # (known divergence in tests/isa.rs). Make source 10 pending again with
    # the THR-empty interrupt, see MEIP, then disable it for context 0.
    test_case 17
    li a2, IRQ_UART
    li a0, 2                          # IER.ETBEI
    sb a0, 1(a2)
    ext_wait_mip 11
    ext_sw zero, IRQ_PLIC_ENABLE0
    csrr a1, mip
    irq_check_bits a1, IRQ_MEIP, 0
    irq_check_count 3
    li a2, IRQ_UART
    sb zero, 1(a2)
    irq_reset

rvtest_code_end
    irq_handlers
