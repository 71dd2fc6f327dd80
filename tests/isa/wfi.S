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
