# ------------------------------------------------------------------------
# Vectoring and priority of interrupts (Privileged ISA 20211203 §3.1.7
# mtvec / §4.1.2 stvec MODE = 1: interrupts go to BASE + 4 * cause,
# exceptions to BASE; §3.1.9: several pending and enabled are taken in the
# order MEI > MSI > MTI > SEI > SSI > STI, those for M-mode before those
# delegated to S). For the order, interrupts are made pending with every
# enable off, then enabled at once; each handler entry disables its own
# interrupt, so the log gives the order the hart took them. The external
# interrupts are the UART's THR-empty interrupt (IER.ETBEI) through the
# PLIC, so no input is needed.
#
# The in-level order comes last: QEMU 7.2 (without AIA) takes the lowest
# pending cause number first (SSI, MSI, STI, MTI, SEI, MEI), a known
# divergence listed in tests/isa.rs.

# PLIC source 10 (priority 1) enabled for context ctx (0 = M, 1 = S) with
# threshold 0; UART IER = ETBEI. Clobbers t0, t1.
.macro prio_uart_thre_irq ctx
    li t0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    li t1, 1
    sw t1, 0(t0)
.if \ctx == 0
    li t0, IRQ_PLIC_ENABLE0
.else
    li t0, IRQ_PLIC_ENABLE1
.endif
    li t1, 1 << IRQ_UART_SOURCE
    sw t1, 0(t0)
.if \ctx == 0
    li t0, IRQ_PLIC_THRESHOLD0
.else
    li t0, IRQ_PLIC_THRESHOLD1
.endif
    sw zero, 0(t0)
    li t0, IRQ_UART
    li t1, 2                          # IER.ETBEI
    sb t1, 1(t0)
.endm

# UART and PLIC quiet again. Clobbers t0.
.macro prio_uart_off
    li t0, IRQ_UART
    sb zero, 1(t0)
    li t0, IRQ_PLIC_ENABLE0
    sw zero, 0(t0)
    li t0, IRQ_PLIC_ENABLE1
    sw zero, 0(t0)
.endm

# Make all six interrupts pending: MEI (UART via PLIC context 0), MSI (CLINT
# msip), MTI (mtimecmp = 0), SSIP / STIP by mip writes, SEI by a mip write
# (sei_plic = 0) or by the PLIC's S context (sei_plic = 1).
.macro prio_all_pending sei_plic
    prio_uart_thre_irq 0
.if \sei_plic
    prio_uart_thre_irq 1
.endif
    li t0, IRQ_CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    irq_set_mtimecmp zero
.if \sei_plic
    li t0, IRQ_SSIP | IRQ_STIP
.else
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
.endif
    csrs mip, t0
    irq_poll_mip 11
    irq_poll_mip 3
    irq_poll_mip 7
    irq_poll_mip 9
    csrr a0, mip
    irq_check_bits a0, IRQ_ALL, IRQ_ALL
.endm

# One pending interrupt (enabled in mie, MIE = 0) is taken from privilege
# mode `mode` at its first instruction, through vector entry `vector` of the
# table of the mode that handles it (log entry 0).
.macro vec_case n, mode, cause, vector
    run_in_mode \n, \mode
irq_vec_\n:
    nop
    run_in_mode_end \n, \mode
    irq_check_count 1
    irq_check_cause 0, \cause
    irq_check_epc 0, irq_vec_\n
    la a0, irq_log
    prio_check_vector 0, \vector
.endm

# Install the vector tables (MODE = 1).
.macro vec_install
    la t0, irq_mvec
    ori t0, t0, 1
    csrw mtvec, t0
    la t0, irq_svec
    ori t0, t0, 1
    csrw stvec, t0
.endm

# Clear every source again, and the log. Clobbers t0, t1.
.macro prio_all_clear
    prio_uart_off
    irq_reset
.endm

# Fail unless log entry i came through vector entry v (a0 = irq_log).
.macro prio_check_vector i, v
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_AUX(a0)
    check t0, \v
.endm

rvtest_code_begin
    irq_reset

    # ---- vectored mode ----------------------------------------------------
    # MODE = 1 is implemented (WARL)
    test_case 2
    la a0, irq_mvec
    ori a0, a0, 1
    csrw mtvec, a0
    csrr a1, mtvec
    check_reg a1, a0
    la a0, irq_svec
    ori a0, a0, 1
    csrw stvec, a0
    csrr a1, stvec
    check_reg a1, a0

    # one interrupt at a time: M's table for the M-level ones and for a
    # non-delegated SSI, S's table for the delegated ones
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    li t0, IRQ_MSIP
    csrw mie, t0
    vec_case 3, PRV_U, IRQ_CAUSE_MSI, 3
    prio_all_clear
    vec_install

    irq_set_mtimecmp zero
    irq_poll_mip 7
    li t0, IRQ_MTIP
    csrw mie, t0
    vec_case 4, PRV_S, IRQ_CAUSE_MTI, 7
    prio_all_clear
    vec_install

    prio_uart_thre_irq 0
    irq_poll_mip 11
    li t0, IRQ_MEIP
    csrw mie, t0
    vec_case 5, PRV_U, IRQ_CAUSE_MEI, 11
    prio_all_clear
    vec_install

    li t0, IRQ_SSIP
    csrs mip, t0
    csrw mie, t0
    vec_case 6, PRV_S, IRQ_CAUSE_SSI, 1
    prio_all_clear
    vec_install

    li t0, IRQ_SSIP
    csrw mideleg, t0
    csrs mip, t0
    csrw mie, t0
    vec_case 7, PRV_U, IRQ_CAUSE_SSI, 1
    prio_all_clear
    vec_install

    li t0, IRQ_STIP
    csrw mideleg, t0
    csrs mip, t0
    csrw mie, t0
    vec_case 8, PRV_U, IRQ_CAUSE_STI, 5
    prio_all_clear
    vec_install

    prio_uart_thre_irq 1
    irq_poll_mip 9
    li t0, IRQ_SEIP
    csrw mideleg, t0
    csrw mie, t0
    vec_case 9, PRV_U, IRQ_CAUSE_SEI, 9
    prio_all_clear
    vec_install

    # exceptions go to BASE: an ecall from M, and a U ecall delegated to S
    trap_begin 10, PRV_M
    ecall
    trap_end 10, CAUSE_MACHINE_ECALL, 0
    li t0, 1 << CAUSE_USER_ECALL
    csrw medeleg, t0
    trap_begin 11, PRV_U
    ecall
    trap_end 11, CAUSE_USER_ECALL, 0, PRV_S
    csrw medeleg, zero
    prio_all_clear

    # ---- priority ------------------------------------------------------------
    # M-level before S-level: from S-mode with SIE = 1, a pending MTI goes
    # to M before a delegated SSI (lower cause number) goes to S
    li t0, IRQ_SSIP
    csrw mideleg, t0
    csrs mip, t0
    irq_set_mtimecmp zero
    irq_poll_mip 7
    li t0, IRQ_MTIP | IRQ_SSIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_SIE
    run_in_mode 12, PRV_S
irq_t12_s:
    csrci sstatus, MSTATUS_SIE
    run_in_mode_end 12, PRV_S
    irq_check_count 2
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_cause 1, IRQ_CAUSE_SSI
    irq_check_epc 0, irq_t12_s
    irq_check_epc 1, irq_t12_s
    irq_check_mpp 0, PRV_S
    irq_check_spp 1, 1
    prio_all_clear

    # same from U-mode with all three S-level ones delegated and the three
    # M-level ones pending: the three M-level ones are all taken (by M)
    # before any S-level one (by S)
    prio_all_pending 1
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrw mideleg, t0
    li t0, IRQ_ALL
    csrw mie, t0
    run_in_mode 13, PRV_U
irq_t13_u:
    nop
    run_in_mode_end 13, PRV_U
    irq_check_count 6
    .irp i, 0, 1, 2, 3, 4, 5
    irq_check_epc \i, irq_t13_u
    .endr
    .irp i, 0, 1, 2
    irq_check_mpp \i, PRV_U
    .endr
    .irp i, 3, 4, 5
    irq_check_spp \i, 0
    .endr
    # ... in the fixed order within each level (QEMU 7.2 diverges here)
    test_case 14
    irq_check_cause 0, IRQ_CAUSE_MEI
    irq_check_cause 1, IRQ_CAUSE_MSI
    irq_check_cause 2, IRQ_CAUSE_MTI
    irq_check_cause 3, IRQ_CAUSE_SEI
    irq_check_cause 4, IRQ_CAUSE_SSI
    irq_check_cause 5, IRQ_CAUSE_STI
    prio_all_clear

    # all six handled in M (nothing delegated), pending while MIE = 0 in
    # M-mode: none taken; setting MIE takes all six at the same mepc, in
    # the order MEI, MSI, MTI, SEI, SSI, STI
    test_case 15
    prio_all_pending 0
    li t0, IRQ_ALL
    csrw mie, t0
    irq_check_count 0
    test_case 16
    csrsi mstatus, MSTATUS_MIE
irq_t16_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 6
    .irp i, 0, 1, 2, 3, 4, 5
    irq_check_epc \i, irq_t16_epc
    irq_check_mpp \i, PRV_M
    .endr
    irq_check_cause 0, IRQ_CAUSE_MEI
    irq_check_cause 1, IRQ_CAUSE_MSI
    irq_check_cause 2, IRQ_CAUSE_MTI
    irq_check_cause 3, IRQ_CAUSE_SEI
    irq_check_cause 4, IRQ_CAUSE_SSI
    irq_check_cause 5, IRQ_CAUSE_STI
    prio_all_clear

rvtest_code_end
    irq_handlers

# Vector tables: entry k records k in the log's aux field (instead of
# mtime), then logs like irq_mtrap / irq_strap. Exceptions at entry 0 go to
# the library handlers; an interrupt at entry 0 is logged with vector 0.
    .align 8
irq_mvec:
    j irq_mvec_0
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    j irq_mvec_\k
    .endr
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
irq_mvec_\k:
    li t5, \k
    j irq_mvec_common
    .endr
irq_mvec_0:
    csrr t5, mcause
    bltz t5, 1f
    j rvtest_mtrap
1:  li t5, 0
irq_mvec_common:
    la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail
2:  sd t5, IRQ_LOG_AUX(s11)
    csrr t5, mcause
    sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, mepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, mstatus
    sd t6, IRQ_LOG_STATUS(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5
    csrc mie, t6
    mret

    .align 8
irq_svec:
    j irq_svec_0
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    j irq_svec_\k
    .endr
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
irq_svec_\k:
    li t5, \k
    j irq_svec_common
    .endr
irq_svec_0:
    csrr t5, scause
    bltz t5, 1f
    j rvtest_strap
1:  li t5, 0
irq_svec_common:
    la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail
2:  sd t5, IRQ_LOG_AUX(s11)
    csrr t5, scause
    sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, sepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, sstatus
    sd t6, IRQ_LOG_STATUS(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5
    csrc sie, t6
    sret
