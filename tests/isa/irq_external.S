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
