# Counters (Unprivileged ISA 20191213 ch. 10 and §9.1; Privileged ISA
# 20211203 §3.1.10-3.1.13, §4.1.4): cycle/time/instret/hpmcounter3 from S
# need mcounteren, from U mcounteren and scounteren, else illegal
# instruction; mcountinhibit freezes mcycle/minstret; the time CSR tracks
# the CLINT mtime register (0x200bff8) and advances; minstret counts retired
# instructions exactly and a write is what the next instruction reads.

.equ CLINT_MTIME, 0x200bff8

rvtest_code_begin

    # mcounteren = scounteren = 0: no counter is readable in S or U
    csrw mcounteren, zero
    csrw scounteren, zero
    test_illegal  2, PRV_S, csrr a0, cycle
    test_illegal  3, PRV_S, csrr a0, time
    test_illegal  4, PRV_S, csrr a0, instret
    test_illegal  5, PRV_S, csrr a0, hpmcounter3
    test_illegal  6, PRV_U, csrr a0, cycle
    test_illegal  7, PRV_U, csrr a0, time
    test_illegal  8, PRV_U, csrr a0, instret

    # scounteren alone enables nothing (mcounteren gates both S and U)
    li a0, 0xf
    csrw scounteren, a0
    test_illegal  9, PRV_S, csrr a0, cycle
    test_illegal 10, PRV_U, csrr a0, instret

    # mcounteren = all, scounteren = 0: S may read, U may not
    li a0, 0xf
    csrw mcounteren, a0
    csrw scounteren, zero
    run_in_mode 11, PRV_S
    csrr a1, cycle
    csrr a2, time
    csrr a3, instret
    csrr a4, hpmcounter3
    run_in_mode_end 11, PRV_S
    test_illegal 12, PRV_U, csrr a0, cycle
    test_illegal 13, PRV_U, csrr a0, time
    test_illegal 14, PRV_U, csrr a0, instret

    # bit by bit: mcounteren = IR only
    li a0, 4
    csrw mcounteren, a0
    li a0, 0xf
    csrw scounteren, a0
    test_illegal 15, PRV_S, csrr a0, cycle
    test_illegal 16, PRV_S, csrr a0, time
    run_in_mode 17, PRV_S
    csrr a3, instret
    run_in_mode_end 17, PRV_S
    run_in_mode 18, PRV_U
    csrr a3, instret
    run_in_mode_end 18, PRV_U
    test_illegal 19, PRV_U, csrr a0, cycle
    # scounteren = TM only, mcounteren = all: U reads time, not instret
    li a0, 0xf
    csrw mcounteren, a0
    li a0, 2
    csrw scounteren, a0
    run_in_mode 20, PRV_U
    csrr a2, time
    run_in_mode_end 20, PRV_U
    test_illegal 21, PRV_U, csrr a0, instret
    test_illegal 22, PRV_U, csrr a0, hpmcounter3
    li a0, 0xf
    csrw scounteren, a0
    run_in_mode 23, PRV_U
    csrr a1, cycle
    csrr a2, time
    csrr a3, instret
    run_in_mode_end 23, PRV_U

    # mcounteren/scounteren are 32-bit registers whose low bits stick
    test_case 24
    csrr a0, mcounteren
    check a0, 0xf
    csrr a0, scounteren
    check a0, 0xf
    csrw mcounteren, zero
    csrw scounteren, zero

    # the unprivileged views equal the machine counters (M may always read)
    test_case 25
    li a0, 5                        # inhibit CY and IR so both are stable
    csrw mcountinhibit, a0
    csrr a1, mcycle
    csrr a2, cycle
    check_reg a1, a2
    csrr a1, minstret
    csrr a2, instret
    check_reg a1, a2

    # mcountinhibit freezes mcycle and minstret ...
    test_case 26
    csrr a1, minstret
    csrr a2, mcycle
    .rept 10
    addi a5, a5, 1
    .endr
    csrr a3, minstret
    csrr a4, mcycle
    check_reg a1, a3
    check_reg a2, a4
    # ... a frozen counter can still be written, and stays there
    test_case 27
    li a0, 12345
    csrw minstret, a0
    nop
    nop
    csrr a1, minstret
    check a1, 12345
    # ... and they run again when it is cleared
    test_case 28
    csrw mcountinhibit, zero
    nop
    nop
    csrr a3, minstret
    bltu a1, a3, 1f
    j rvtest_fail
1:

    # time CSR vs the CLINT's mtime: time0 <= mtime <= time1, close together
    test_case 29
    li s1, CLINT_MTIME
    csrr a0, time
    ld a1, 0(s1)
    csrr a2, time
    bltu a1, a0, counters_fail
    bltu a2, a1, counters_fail
    sub a3, a2, a0
    li t0, 100000                   # 10 ms at 10 MHz
    bgeu a3, t0, counters_fail
    # time advances
    test_case 30
    csrr a0, time
    li a5, 1000000
1:  csrr a1, time
    bne a1, a0, 2f
    addi a5, a5, -1
    bnez a5, 1b
    j rvtest_fail
2:  bltu a1, a0, counters_fail
    # and so does mcycle
    test_case 31
    csrr a0, mcycle
    nop
    csrr a1, mcycle
    bltu a0, a1, 1f
    j rvtest_fail
1:

    # a write of mcycle is seen by the next instruction (plus the cycles
    # elapsed since)
    test_case 32
    li a0, 1000000
    csrw mcycle, a0
    csrr a1, mcycle
    bltu a1, a0, counters_fail
    sub a1, a1, a0
    li t0, 1000
    bgeu a1, t0, counters_fail
    j 1f
counters_fail:
    j rvtest_fail
1:

    # ------------------------------------------------------------------
    # QEMU 7.2 departs from the ISA in the remaining cases, so they come
    # last: QEMU checks everything above and stops at the first of these.

    # mcountinhibit.IR alone freezes minstret while mcycle keeps running
    # (Privileged §3.1.13). QEMU 7.2 keeps counting minstret here.
    test_case 33
    li a0, 4
    csrw mcountinhibit, a0
    csrr a1, minstret
    csrr a2, mcycle
    .rept 10
    nop
    .endr
    csrr a3, minstret
    csrr a4, mcycle
    csrw mcountinhibit, zero
    check_reg a1, a3
    bltu a2, a4, 1f
    j rvtest_fail
1:

    # Exact instruction counts (QEMU 7.2 without -icount backs minstret by
    # a host tick counter).

    # minstret counts every retired instruction: 10 + the first csrr
    test_case 34
    csrr a0, minstret
    .rept 10
    addi a5, a5, 1
    .endr
    csrr a1, minstret
    sub a2, a1, a0
    check a2, 11
    # instret from U-mode too, including taken branches
    li a0, 4
    csrw mcounteren, a0
    csrw scounteren, a0
    run_in_mode 35, PRV_U
    li a4, 3
    csrr a0, instret
1:  addi a4, a4, -1
    bnez a4, 1b                     # 3 x 2 instructions
    csrr a1, instret
    run_in_mode_end 35, PRV_U
    sub a2, a1, a0
    check a2, 7
    csrw mcounteren, zero
    csrw scounteren, zero

    # a value written to minstret is the value the next instruction reads
    # (Zicsr §9.1: the write is done instead of the increment)
    test_case 36
    li a0, 1000
    csrw minstret, a0
    csrr a1, minstret
    nop
    csrr a2, minstret
    check a1, 1000
    check a2, 1002                  # the csrr and the nop retired

rvtest_code_end
