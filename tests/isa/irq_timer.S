# ------------------------------------------------------------------------
# Timer interrupts (Privileged ISA 20211203 §3.1.9 mip/mie, §3.2.1 mtime /
# mtimecmp, §4.1.3 sip/sie; Sstc): the M timer through the CLINT, the S
# timer set by M-mode software (mip.STIP) and through Sstc stimecmp.
#
# QEMU's mtime follows the host clock, so deadlines are generous and waits
# use WFI; wherever an interrupt's arrival depends on that clock the checks
# accept any mepc inside the waiting code, and "not before the deadline"
# is checked as "no interrupt logged, or mtime already >= mtimecmp" (log
# read before the clock). The exact-mepc checks use interrupts made
# pending while disabled and then enabled by a CSR write or an xRET.

rvtest_code_begin
    irq_reset

    # ---- M timer through the CLINT -------------------------------------
    # mtimecmp = -1: MTIP low
    test_case 2
    csrr a0, mip
    irq_check_bits a0, IRQ_MTIP, 0

    # mtimecmp = mtime + 20 ms, MTIE + MIE, wait: mcause 7, taken from M
    # with MIE clear and MPIE set in the handler, MIE back after mret; not
    # before mtime reaches mtimecmp (mtime read in the handler >= mtimecmp)
    test_case 3
    irq_read_mtime a1
    li a2, 200000
    add a2, a1, a2
    irq_set_mtimecmp a2
    li t0, IRQ_MTIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
irq_t3_window:
    irq_log_count a3
    irq_read_mtime a4
    beqz a3, 1f
    irq_check_geu a4, a2
1:  irq_wait_count 1
irq_t3_after:
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc_range 0, irq_t3_window, irq_t3_after
    irq_check_mpp 0, PRV_M
    irq_check_aux_geu 0, a2
    la t0, irq_log
    ld a3, IRQ_LOG_STATUS(t0)
    irq_check_bits a3, MSTATUS_MIE | IRQ_MSTATUS_MPIE, IRQ_MSTATUS_MPIE
    csrr a0, mstatus                  # mret restored MIE
    irq_check_bits a0, MSTATUS_MIE, MSTATUS_MIE
    csrci mstatus, MSTATUS_MIE

    # MTIP stays pending (the handler only cleared MTIE) ...
    test_case 4
    csrr a0, mip
    irq_check_bits a0, IRQ_MTIP, IRQ_MTIP
    irq_read_mtime a0
    irq_check_geu a0, a2
    # ... and clears when mtimecmp moves ahead of mtime
    test_case 5
    irq_read_mtime a1
    li a2, 100000000                  # 10 s ahead
    add a2, a1, a2
    irq_set_mtimecmp a2
    csrr a0, mip
    irq_check_bits a0, IRQ_MTIP, 0
    # mtimecmp <= mtime raises it again at once
    test_case 6
    irq_set_mtimecmp zero
    irq_poll_mip 7
    irq_check_count 1                 # MTIE is 0: still no new interrupt

    # MTIP pending, MTIE = 1, MIE = 0 in M-mode: not taken ...
    test_case 7
    irq_reset
    irq_set_mtimecmp zero
    irq_poll_mip 7
    li t0, IRQ_MTIP
    csrs mie, t0
    li a0, 200
1:  addi a0, a0, -1
    bnez a0, 1b
    irq_check_count 0
    # ... until MIE is set: taken right after the csrs
    test_case 8
    csrsi mstatus, MSTATUS_MIE
irq_t8_epc:
    nop
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc 0, irq_t8_epc
    irq_check_mpp 0, PRV_M

    # M-level interrupts are always enabled below M: with MIE = 0 the
    # pending MTI is taken at the first U instruction, and the handler's
    # mret resumes U-mode
    irq_reset
    irq_set_mtimecmp zero
    irq_poll_mip 7
    li t0, IRQ_MTIP
    csrs mie, t0
    li a0, 40
    run_in_mode 9, PRV_U
irq_t9_u:
    addi a0, a0, 2
    run_in_mode_end 9, PRV_U
    check a0, 42
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc 0, irq_t9_u
    irq_check_mpp 0, PRV_U

    # same from S-mode (mstatus.SIE does not matter for M-level interrupts)
    irq_reset
    irq_set_mtimecmp zero
    irq_poll_mip 7
    li t0, IRQ_MTIP
    csrs mie, t0
    li a0, 41
    run_in_mode 10, PRV_S
irq_t10_s:
    addi a0, a0, 1
    run_in_mode_end 10, PRV_S
    check a0, 42
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_epc 0, irq_t10_s
    irq_check_mpp 0, PRV_S

    # a timer interrupt in the middle of a U-mode computation: U-mode
    # loops (bounded) until the handler has logged the interrupt (s11
    # moves); mret returned to U with every register intact
    irq_reset
    irq_read_mtime a1
    addi a1, a1, 50                   # 5 us
    irq_set_mtimecmp a1
    li t0, IRQ_MTIP
    csrs mie, t0
    li ra, 0x1111111111111111
    li tp, 0x2222222222222222
    li a6, 0x3333333333333333
    li a7, 0x4444444444444444
    li s6, 0x5555555555555555
    li s7, 0x6666666666666666
    li s8, 0x7777777777777777
    li s9, 0x0123456789abcdef
    li s10, -2
    li s2, 0x123456789
    mv s3, s2
    mv s5, s11
    li s0, 0
    li s1, 0
    li s4, 500000000                  # give up (fail) after this many rounds
    run_in_mode 11, PRV_U
irq_t11_begin:
1:  addi s1, s1, 1
    add s0, s0, s1
    xor s3, s3, s1
    beq s1, s4, 2f
    beq s11, s5, 1b
2:
irq_t11_end:
    run_in_mode_end 11, PRV_U
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MTI
    irq_check_mpp 0, PRV_U
    irq_check_epc_range 0, irq_t11_begin, irq_t11_end
    test_case 12
    addi a0, s1, 1
    mul a0, a0, s1
    srli a0, a0, 1
    check_reg s0, a0                  # s0 = s1 (s1 + 1) / 2
    li a0, 0
    mv a1, s1
1:  xor a0, a0, a1
    addi a1, a1, -1
    bnez a1, 1b
    xor s3, s3, s2
    check_reg s3, a0                  # s3 = s2 ^ 1 ^ 2 ^ ... ^ s1
    check s2, 0x123456789
    check ra, 0x1111111111111111
    check tp, 0x2222222222222222
    check a6, 0x3333333333333333
    check a7, 0x4444444444444444
    check s6, 0x5555555555555555
    check s7, 0x6666666666666666
    check s8, 0x7777777777777777
    check s9, 0x0123456789abcdef
    check s10, -2
    irq_reset

    # ---- S timer without Sstc: M sets mip.STIP -------------------------
    # delegated to S, S-mode with SIE = 1: taken in S at the first S
    # instruction, scause 5, sstatus.SPP = S
    test_case 13
    csrw menvcfg, zero
    li t0, IRQ_STIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_STIP, IRQ_STIP
    csrsi mstatus, MSTATUS_SIE
    li a0, 1
    run_in_mode 14, PRV_S
irq_t14_s:
    addi a0, a0, 1
    run_in_mode_end 14, PRV_S
    check a0, 2
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_STI
    irq_check_epc 0, irq_t14_s
    irq_check_spp 0, 1
    csrr a0, scause
    check a0, IRQ_CAUSE_STI
    # a delegated interrupt does not touch mcause: it holds the ecall's
    test_case 15
    csrr a0, mcause
    check a0, CAUSE_SUPERVISOR_ECALL

    # in S-mode with SIE = 0 the delegated STI is not taken ...
    test_case 16
    li t0, IRQ_STIP
    csrs mie, t0
    csrci mstatus, MSTATUS_SIE
    csrr a0, mip
    irq_check_bits a0, IRQ_STIP, IRQ_STIP
    run_in_mode 17, PRV_S
    nop
    nop
    run_in_mode_end 17, PRV_S
    irq_check_count 1
    # ... nor in M-mode, even with MIE and SIE set (delegated interrupts
    # are never taken in M)
    test_case 18
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
    irq_check_count 1
    # ... but in U-mode it is, whatever SIE says: to S, sstatus.SPP = U,
    # and the handler's sret resumes U
    li a0, 5
    run_in_mode 19, PRV_U
irq_t19_u:
    addi a0, a0, 5
    run_in_mode_end 19, PRV_U
    check a0, 10
    irq_check_count 2
    irq_check_cause 1, IRQ_CAUSE_STI
    irq_check_epc 1, irq_t19_u
    irq_check_spp 1, 0
    # not delegated, it goes to M (MIE = 1)
    test_case 20
    csrci mstatus, MSTATUS_MIE        # (MPIE = 1 after the mret chain)
    csrw mideleg, zero
    li t0, IRQ_STIP
    csrs mie, t0
    csrsi mstatus, MSTATUS_MIE
irq_t20_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 3
    irq_check_cause 2, IRQ_CAUSE_STI
    irq_check_epc 2, irq_t20_epc
    irq_check_mpp 2, PRV_M
    # M clears STIP again
    test_case 21
    li t0, IRQ_STIP
    csrc mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_STIP, 0

    # ---- S timer with Sstc ------------------------------------------------
    irq_reset
    # without menvcfg.STCE, stimecmp is illegal in S-mode
    csrw menvcfg, zero
    li t0, 2
    csrw mcounteren, t0               # TM
    li a0, -1
    trap_begin 22, PRV_S
    csrw stimecmp, a0
    trap_end 22, CAUSE_ILLEGAL_INSTRUCTION, 0x14d51073
    # with STCE but without mcounteren.TM, too
    li t0, IRQ_MENVCFG_STCE
    csrs menvcfg, t0
    csrw mcounteren, zero
    trap_begin 23, PRV_S
    csrw stimecmp, a0
    trap_end 23, CAUSE_ILLEGAL_INSTRUCTION, 0x14d51073
    # M-mode may always access it; STIP follows stimecmp <= time. (Far
    # future is time + 100 s, not -1: QEMU 7.2 overflows converting
    # stimecmp = -1 into a host deadline and raises STIP at once.)
    test_case 24
    rdtime a0
    li t0, 1000000000
    add a0, a0, t0
    csrw stimecmp, a0
    csrr a1, stimecmp
    check_reg a1, a0
    csrr a1, mip
    irq_check_bits a1, IRQ_STIP, 0
    test_case 25
    csrw stimecmp, zero
    csrr a1, mip
    irq_check_bits a1, IRQ_STIP, IRQ_STIP
    test_case 26
    csrw stimecmp, a0
    csrr a1, mip
    irq_check_bits a1, IRQ_STIP, 0

    # S-mode programs stimecmp = time + 20 ms and waits with WFI; the STI
    # is delegated: scause 5 in S, not before time >= stimecmp; S then
    # moves stimecmp ahead and sip.STIP clears
    li t0, 2
    csrw mcounteren, t0
    li t0, IRQ_STIP
    csrw mideleg, t0
    csrs mie, t0
    run_in_mode 27, PRV_S
    rdtime a1
    li a2, 200000
    add a2, a1, a2
    csrw stimecmp, a2
    csrsi sstatus, MSTATUS_SIE
irq_t27_window:
    irq_log_count a3
    rdtime a6
    irq_wait_count 1
irq_t27_after:
    csrr a4, sip
    rdtime a5
    li t0, 1000000000
    add a5, a5, t0
    csrw stimecmp, a5
    csrr a5, sip
    csrci sstatus, MSTATUS_SIE
    run_in_mode_end 27, PRV_S
    beqz a3, 1f                       # no interrupt before the deadline
    irq_check_geu a6, a2
1:  irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_STI
    irq_check_epc_range 0, irq_t27_window, irq_t27_after
    irq_check_spp 0, 1
    irq_check_aux_geu 0, a2
    test_case 28
    irq_check_bits a4, IRQ_STIP, IRQ_STIP   # still pending after sret
    irq_check_bits a5, IRQ_STIP, 0          # cleared by the new stimecmp
    csrw menvcfg, zero
    csrw mcounteren, zero

rvtest_code_end
    irq_handlers
