# Privileged: ecall from M, S and U with and without delegation (cause,
# epc, tval, previous privilege, which handler took it), code running in U
# and S mode, illegal instructions with mtval = the instruction bits,
# access faults with mtval = the address.

rvtest_code_begin

    # ecall from each mode, no delegation: all go to M
    trap_begin 2, PRV_M
    ecall
    trap_end 2, CAUSE_MACHINE_ECALL, 0

    trap_begin 3, PRV_S
    ecall
    trap_end 3, CAUSE_SUPERVISOR_ECALL, 0

    trap_begin 4, PRV_U
    ecall
    trap_end 4, CAUSE_USER_ECALL, 0

    # computation in U and S mode; registers carry values across the ecall
    li a0, 20
    run_in_mode 5, PRV_U
    addi a0, a0, 22
    slli a1, a0, 1
    run_in_mode_end 5, PRV_U
    check a0, 42
    check a1, 84

    run_in_mode 6, PRV_S
    csrr a2, sstatus              # S may read sstatus
    li a0, 0x5a
    csrw sscratch, a0
    csrr a1, sscratch
    run_in_mode_end 6, PRV_S
    check a1, 0x5a
    csrr a1, sscratch             # and the value is the one M sees
    check a1, 0x5a

    # delegate U ecalls to S: the S handler takes them (scause, sepc,
    # stval, sstatus.SPP = U); ecall from S still goes to M
    li t0, 1 << CAUSE_USER_ECALL
    csrw medeleg, t0
    csrr a0, medeleg
    check a0, 1 << CAUSE_USER_ECALL

    trap_begin 7, PRV_U
    ecall
    trap_end 7, CAUSE_USER_ECALL, 0, PRV_S

    trap_begin 8, PRV_S
    ecall
    trap_end 8, CAUSE_SUPERVISOR_ECALL, 0, PRV_M

    li a0, 7
    run_in_mode 9, PRV_U
    addi a0, a0, 1
    run_in_mode_end 9, PRV_U, PRV_S
    check a0, 8

    # a delegated trap does not write mcause: after it, mcause holds the
    # cause of the S handler's forwarding ecall, not the U ecall
    csrw mcause, zero
    trap_begin 10, PRV_U
    ecall
    trap_end 10, CAUSE_USER_ECALL, 0, PRV_S
    test_case 11
    csrr a0, mcause
    check a0, CAUSE_SUPERVISOR_ECALL
    csrw medeleg, zero

    # illegal instructions: mtval holds the instruction bits
    trap_begin 12, PRV_M
    .word 0xc0001073              # unimp = csrrw x0, cycle, x0 (read-only CSR)
    trap_end 12, CAUSE_ILLEGAL_INSTRUCTION, 0xc0001073

    trap_begin 13, PRV_M
    .word 0xf1401073              # csrrw x0, mhartid, x0 (read-only CSR)
    trap_end 13, CAUSE_ILLEGAL_INSTRUCTION, 0xf1401073

    trap_begin 14, PRV_S
    .word 0x30002573              # csrr a0, mstatus: M CSR from S
    trap_end 14, CAUSE_ILLEGAL_INSTRUCTION, 0x30002573

    trap_begin 15, PRV_U
    .word 0x30200073              # mret in U
    trap_end 15, CAUSE_ILLEGAL_INSTRUCTION, 0x30200073

    trap_begin 16, PRV_U
    .word 0x14002573              # csrr a0, sscratch: S CSR from U
    trap_end 16, CAUSE_ILLEGAL_INSTRUCTION, 0x14002573

    trap_begin 17, PRV_M
    .word 0x0000007b              # custom-3 opcode: not implemented
    trap_end 17, CAUSE_ILLEGAL_INSTRUCTION, 0x0000007b

    # delegated illegal instruction: S sees it in scause/stval
    li t0, 1 << CAUSE_ILLEGAL_INSTRUCTION
    csrw medeleg, t0
    trap_begin 18, PRV_U
    .word 0x10200073              # sret in U
    trap_end 18, CAUSE_ILLEGAL_INSTRUCTION, 0x10200073, PRV_S
    # ... but a trap taken in M-mode is never delegated
    trap_begin 19, PRV_M
    .word 0xc0001073
    trap_end 19, CAUSE_ILLEGAL_INSTRUCTION, 0xc0001073, PRV_M
    csrw medeleg, zero

    # ebreak: cause 3, mepc = the ebreak, mtval 0 or the pc
    trap_begin 20, PRV_M
    ebreak
    trap_end_breakpoint 20

    # access faults: nothing is mapped right after 128 MiB of DRAM
    li a1, 0x88000000
    trap_begin 21, PRV_M
    ld a0, 0(a1)
    trap_end 21, CAUSE_LOAD_ACCESS, 0x88000000

    li a1, 0x88000010
    trap_begin 22, PRV_U
    sw a0, 8(a1)
    trap_end 22, CAUSE_STORE_ACCESS, 0x88000018

    # mret restores MIE from MPIE and sets MPIE, MPP = U (least privilege)
    test_case 23
    li t0, MSTATUS_MPP
    csrs mstatus, t0              # MPP = M, so mret stays in M
    la t0, 1f
    csrw mepc, t0
    mret
1:  csrr a0, mstatus
    li a1, MSTATUS_MPP
    and a0, a0, a1
    check a0, 0

rvtest_code_end
