# ------------------------------------------------------------------------
# Software interrupts (Privileged ISA 20211203 §3.1.9 mip/mie, §4.1.3
# sip/sie; ACLINT MSWI): MSIP through the CLINT msip register (cause 3),
# SSIP written through mip / sip (cause 1), delegated and not, and the
# sip/sie views of mip/mie (only delegated bits visible).

rvtest_code_begin
    irq_reset

    # ---- MSIP through the CLINT ---------------------------------------
    # msip = 1 raises mip.MSIP; with MSIE = 1 and MIE = 0 nothing is taken
    test_case 2
    li t0, IRQ_MSIP
    csrs mie, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    lw a0, 0(a1)
    check a0, 1
    li a0, 100
1:  addi a0, a0, -1
    bnez a0, 1b
    irq_check_count 0
    # setting MIE takes it at once: mcause 3, mepc = the next instruction
    test_case 3
    csrsi mstatus, MSTATUS_MIE
irq_t3_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MSI
    irq_check_epc 0, irq_t3_epc
    irq_check_mpp 0, PRV_M
    # still pending until software clears msip
    test_case 4
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, IRQ_MSIP
    li a1, IRQ_CLINT_MSIP
    sw zero, 0(a1)
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0
    lw a0, 0(a1)
    check a0, 0
    # only bit 0 of msip is implemented
    test_case 5
    li a0, -2
    sw a0, 0(a1)
    lw a0, 0(a1)
    check a0, 0
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0
    # mip.MSIP is read-only: a CSR write does not set it
    test_case 6
    li t0, IRQ_MSIP
    csrs mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0

    # MSI from U-mode with MIE = 0: taken at the first U instruction
    irq_reset
    li t0, IRQ_MSIP
    csrs mie, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    li a0, 6
    run_in_mode 7, PRV_U
irq_t7_u:
    addi a0, a0, 1
    run_in_mode_end 7, PRV_U
    check a0, 7
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MSI
    irq_check_epc 0, irq_t7_u
    irq_check_mpp 0, PRV_U
    irq_reset

    # ---- SSIP ------------------------------------------------------------
    # not delegated: M sets mip.SSIP, taken in M (cause 1) once MIE is set
    test_case 8
    li t0, IRQ_SSIP
    csrs mie, t0
    csrs mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, IRQ_SSIP
    irq_check_count 0
    csrsi mstatus, MSTATUS_MIE
irq_t8_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SSI
    irq_check_epc 0, irq_t8_epc
    irq_check_mpp 0, PRV_M
    test_case 9
    li t0, IRQ_SSIP
    csrc mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, 0
    # not delegated, S cannot see or set it through sip
    li t0, IRQ_SSIP
    csrs mie, t0
    run_in_mode 10, PRV_S
    csrr a2, sip
    csrr a3, sie
    li t0, IRQ_SSIP
    csrs sip, t0
    run_in_mode_end 10, PRV_S
    check a2, 0
    check a3, 0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, 0
    irq_check_count 1
    csrw mie, zero

    # delegated: S sets sip.SSIP with SIE = 1 and takes it at once in S
    # (scause 1, sepc = the next instruction, SPP = S)
    irq_reset
    li t0, IRQ_SSIP
    csrw mideleg, t0
    li a1, IRQ_SSIP
    run_in_mode 11, PRV_S
    csrs sie, a1
    csrr a2, sie
    csrsi sstatus, MSTATUS_SIE
    csrs sip, a1
irq_t11_epc:
    csrr a3, sip
    csrc sip, a1
    csrr a4, sip
    csrci sstatus, MSTATUS_SIE
    run_in_mode_end 11, PRV_S
    check a2, IRQ_SSIP
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SSI
    irq_check_epc 0, irq_t11_epc
    irq_check_spp 0, 1
    test_case 12
    check a3, IRQ_SSIP                # pending until cleared (S cleared SSIE)
    check a4, 0
    csrr a0, mie
    check a0, 0                       # the handler cleared sie.SSIE = mie.SSIE

    # delegated SSI pending in M-mode with MIE and SIE set: not taken in M;
    # S-mode with SIE = 0: not taken; U-mode: taken in S, SPP = U
    test_case 13
    li t0, IRQ_SSIP
    csrs mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    nop
    csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
    irq_check_count 1
    run_in_mode 14, PRV_S
    nop
    run_in_mode_end 14, PRV_S
    irq_check_count 1
    run_in_mode 15, PRV_U
irq_t15_u:
    nop
    run_in_mode_end 15, PRV_U
    irq_check_count 2
    irq_check_cause 1, IRQ_CAUSE_SSI
    irq_check_epc 1, irq_t15_u
    irq_check_spp 1, 0
    csrw mip, zero

    # ---- sip / sie views ------------------------------------------------
    # mideleg = STI only: sie shows only STIE, sip only STIP
    test_case 16
    irq_reset
    li t0, IRQ_STIP
    csrw mideleg, t0
    li t0, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP
    csrw mie, t0
    csrr a0, mie
    check a0, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP
    csrr a0, sie
    check a0, IRQ_STIP
    li t0, IRQ_SSIP | IRQ_STIP
    csrw mip, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    csrr a0, sip
    check a0, IRQ_STIP
    test_case 17
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrw mideleg, t0
    csrr a0, mideleg                  # (QEMU has H: VS bits read-only 1)
    irq_check_bits a0, IRQ_ALL, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrr a0, sie
    check a0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrr a0, sip
    check a0, IRQ_SSIP | IRQ_STIP
    li a1, IRQ_CLINT_MSIP
    sw zero, 0(a1)
    # sie writes change only delegated bits of mie
    test_case 18
    li t0, IRQ_STIP
    csrw mideleg, t0
    csrw mie, zero
    li t0, -1
    csrw sie, t0
    csrr a0, mie
    check a0, IRQ_STIP
    li t0, IRQ_MTIP | IRQ_SSIP
    csrw mie, t0
    csrw sie, zero
    csrr a0, mie
    check a0, IRQ_MTIP | IRQ_SSIP
    # sip writes change only SSIP, and only when delegated
    test_case 19
    csrw mie, zero
    csrw mip, zero
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrw mideleg, t0
    li t0, -1
    csrw sip, t0
    csrr a0, mip
    check a0, IRQ_SSIP
    csrw sip, zero
    csrr a0, mip
    check a0, 0
    # mideleg holds only the S-level interrupts of the six
    test_case 20
    li t0, -1
    csrw mideleg, t0
    csrr a0, mideleg
    irq_check_bits a0, IRQ_ALL, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    irq_reset

    # mip.SEIP is writable by M-mode software (§3.1.9), visible in sip when
    # delegated, and taken as an S external interrupt
    test_case 21
    li t0, IRQ_SEIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    csrr a0, mip
    check a0, IRQ_SEIP
    csrr a0, sip
    check a0, IRQ_SEIP
    run_in_mode 22, PRV_U
irq_t22_u:
    nop
    run_in_mode_end 22, PRV_U
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SEI
    irq_check_epc 0, irq_t22_u
    test_case 23
    li t0, IRQ_SEIP
    csrc mip, t0
    csrr a0, mip
    check a0, 0
    irq_reset

rvtest_code_end
    irq_handlers
