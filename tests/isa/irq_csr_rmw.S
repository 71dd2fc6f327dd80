# Regression cases for two interrupt-pending rules (found by the interrupt
# tests, fixed in cpu/csr.rs and cpu/execute.rs):
#  2: Sstc: with menvcfg.STCE = 1, mip.STIP reflects stimecmp only; a software
#     STIP bit written earlier is not visible (Sstc spec, §3.1.9).
#  3: CSRRS/CSRRC on mip read-modify-write only the software SEIP bit, not
#     the PLIC's signal (Privileged ISA §3.1.9).

# ------------------------------------------------------------------------
rvtest_code_begin
    irq_reset
    # bug A: software STIP written while STCE = 0 stays visible after STCE = 1
    test_case 2
    csrw menvcfg, zero
    li t0, IRQ_STIP
    csrs mip, t0
    li t0, IRQ_MENVCFG_STCE
    csrs menvcfg, t0
    rdtime a0
    li t0, 1000000000
    add a0, a0, t0
    csrw stimecmp, a0
    csrr a1, mip
    irq_check_bits a1, IRQ_STIP, 0
    csrw menvcfg, zero
    csrw mip, zero
    # bug B: csrs mip latches the PLIC's SEIP into the software SEIP bit
    test_case 3
    li t0, IRQ_PLIC_PRIORITY + 4 * IRQ_UART_SOURCE
    li t1, 1
    sw t1, 0(t0)
    li t0, IRQ_PLIC_ENABLE1
    li t1, 1 << IRQ_UART_SOURCE
    sw t1, 0(t0)
    li t0, IRQ_PLIC_THRESHOLD1
    sw zero, 0(t0)
    li t0, IRQ_UART
    li t1, 2
    sb t1, 1(t0)
    irq_poll_mip 9
    li t0, IRQ_SSIP
    csrs mip, t0
    li t0, IRQ_PLIC_ENABLE1
    sw zero, 0(t0)
    li t0, IRQ_PLIC_THRESHOLD1
    sw zero, 0(t0)
    csrr a1, mip
    irq_check_bits a1, IRQ_SEIP, 0
rvtest_code_end
    irq_handlers
