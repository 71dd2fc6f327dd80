# Synchronous exception causes (Privileged ISA 20211203 §3.1.15, Table 3.6)
# and their delegation through medeleg (§3.1.8): instruction access fault
# (1), illegal instruction (2), breakpoint (3), load/store access faults
# (5, 7) on addresses where nothing is mapped, ecall from U/S/M (8, 9, 11),
# misaligned LR (4), SC and AMO (6). Delegated traps set scause, sepc and
# stval and leave mcause to the S handler's forwarding ecall.
#
# Instruction-address-misaligned (cause 0) cannot occur here: with the C
# extension IALIGN = 16, every control transfer target is 2-byte aligned
# (branch and jal offsets are multiples of 2, and jalr clears bit 0 of its
# target, Unprivileged ISA §2.5). Cases 2-4 check exactly that.

.equ UNMAPPED, 0x0                  # nothing at physical address 0
.equ UNMAPPED2, 0x88000000          # right after 128 MiB of DRAM

rvtest_code_begin

    # jalr to an odd address: bit 0 is cleared, no trap
    test_case 2
    la a1, odd_target + 1
    li a0, 1
    jalr ra, a1
    check a0, 2
    test_case 3
    la a1, odd_target
    li a0, 5
    jalr ra, 1(a1)                  # odd after adding the offset
    check a0, 6
    # a 32-bit instruction at a 2-byte (not 4-byte) aligned address is a
    # legal target for jal, jalr and branches
    test_case 4
    li a0, 10
    jal ra, half_target
    check a0, 11
    la a1, half_target
    jalr ra, a1
    check a0, 12
    li a2, 1
    la ra, 1f
    bnez a2, half_target
    j rvtest_fail
1:  check a0, 13

    # instruction access fault: epc = tval = the target
    trap_arm 5, PRV_M
    li a1, UNMAPPED
    jr a1
    trap_end_any 5, CAUSE_FETCH_ACCESS
    ld t0, REC_EPC(t1)
    check t0, UNMAPPED
    ld t0, REC_TVAL(t1)
    check t0, UNMAPPED
    trap_arm 6, PRV_U
    li a1, UNMAPPED2 + 0x100
    jalr a1
    trap_end_any 6, CAUSE_FETCH_ACCESS
    ld t0, REC_EPC(t1)
    check t0, UNMAPPED2 + 0x100
    ld t0, REC_TVAL(t1)
    check t0, UNMAPPED2 + 0x100

    # load / store access faults: tval = the address
    li a1, UNMAPPED
    trap_begin 7, PRV_M
    lw a0, 0x10(a1)
    trap_end 7, CAUSE_LOAD_ACCESS, UNMAPPED + 0x10
    trap_begin 8, PRV_S
    sb a0, 0x7ff(a1)
    trap_end 8, CAUSE_STORE_ACCESS, UNMAPPED + 0x7ff
    li a1, UNMAPPED2
    ld a0, -8(a1)                   # the last doubleword of DRAM is fine
    trap_begin 9, PRV_U
    ld a0, 0(a1)
    trap_end 9, CAUSE_LOAD_ACCESS, UNMAPPED2
    trap_begin 10, PRV_M
    lr.w a0, (a1)                   # LR faults as a load
    trap_end 10, CAUSE_LOAD_ACCESS, UNMAPPED2
    trap_begin 11, PRV_M
    fld fa0, 0x20(a1)
    trap_end 11, CAUSE_LOAD_ACCESS, UNMAPPED2 + 0x20

    # ecall from each mode, ebreak (32 and 16 bits)
    trap_begin 12, PRV_U
    ecall
    trap_end 12, CAUSE_USER_ECALL, 0
    trap_begin 13, PRV_S
    ecall
    trap_end 13, CAUSE_SUPERVISOR_ECALL, 0
    trap_begin 14, PRV_M
    ecall
    trap_end 14, CAUSE_MACHINE_ECALL, 0
    trap_begin 15, PRV_U
    ebreak
    trap_end_breakpoint 15
    trap_begin 16, PRV_S
    .option push
    .option rvc
    c.ebreak
    .option pop
    trap_end_breakpoint 16

    # misaligned LR: load address misaligned
    la a1, amo_slot + 2
    trap_begin 17, PRV_M
    lr.w a0, (a1)
    trap_end_addr 17, CAUSE_MISALIGNED_LOAD, amo_slot + 2
    la a1, amo_slot + 4
    trap_begin 18, PRV_U
    lr.d a0, (a1)
    trap_end_addr 18, CAUSE_MISALIGNED_LOAD, amo_slot + 4

    # ------------------------------------------------------------ delegation
    li t0, (1 << CAUSE_FETCH_ACCESS) | (1 << CAUSE_ILLEGAL_INSTRUCTION) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_MISALIGNED_LOAD) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_MISALIGNED_STORE) | (1 << CAUSE_STORE_ACCESS) | (1 << CAUSE_USER_ECALL)
    csrw medeleg, t0

    # after each delegated trap, mcause holds 9: the S handler's forwarding
    # ecall, never the delegated cause
.macro check_mcause_forwarded
    csrr t0, mcause
    check t0, CAUSE_SUPERVISOR_ECALL
.endm

    csrw mcause, zero
    trap_arm 19, PRV_U
    li a1, UNMAPPED
    jr a1
    trap_end_any 19, CAUSE_FETCH_ACCESS, PRV_S
    ld t0, REC_EPC(t1)
    check t0, UNMAPPED
    ld t0, REC_TVAL(t1)
    check t0, UNMAPPED
    check_mcause_forwarded

    csrw mcause, zero
    trap_begin 20, PRV_U
    csrr a0, mstatus
    trap_end_insn 20, PRV_S
    check_mcause_forwarded

    csrw mcause, zero
    trap_begin 21, PRV_U
    ebreak
    trap_end_breakpoint 21, PRV_S
    check_mcause_forwarded

    la a1, amo_slot + 2
    csrw mcause, zero
    trap_begin 22, PRV_U
    lr.w a0, (a1)
    trap_end_addr 22, CAUSE_MISALIGNED_LOAD, amo_slot + 2, PRV_S
    check_mcause_forwarded

    li a1, UNMAPPED2
    csrw mcause, zero
    trap_begin 23, PRV_U
    lhu a0, 6(a1)
    trap_end 23, CAUSE_LOAD_ACCESS, UNMAPPED2 + 6, PRV_S
    check_mcause_forwarded

    li a1, UNMAPPED
    csrw mcause, zero
    trap_begin 24, PRV_U
    sd a0, 0x18(a1)
    trap_end 24, CAUSE_STORE_ACCESS, UNMAPPED + 0x18, PRV_S
    check_mcause_forwarded

    csrw mcause, zero
    trap_begin 25, PRV_U
    ecall
    trap_end 25, CAUSE_USER_ECALL, 0, PRV_S
    check_mcause_forwarded

    # traps from S are delegated too (S handles its own faults) ...
    li a1, UNMAPPED2
    csrw mcause, zero
    trap_begin 26, PRV_S
    lw a0, 0(a1)
    trap_end 26, CAUSE_LOAD_ACCESS, UNMAPPED2, PRV_S
    check_mcause_forwarded
    # ... but never traps taken in M, and not undelegated causes
    trap_begin 27, PRV_M
    lw a0, 0(a1)
    trap_end 27, CAUSE_LOAD_ACCESS, UNMAPPED2, PRV_M
    trap_begin 28, PRV_S
    ecall
    trap_end 28, CAUSE_SUPERVISOR_ECALL, 0, PRV_M
    # the delegated trap recorded sstatus.SPP (U = 0 / S = 1) and SPIE
    test_case 29
    li t0, MSTATUS_SIE
    csrs mstatus, t0                # SIE = 1 before the trap (sie = 0)
    trap_begin 30, PRV_S
    ebreak
    trap_end_breakpoint 30, PRV_S
    test_case 31
    csrr a0, sstatus
    andi a1, a0, MSTATUS_SPP
    check a1, MSTATUS_SPP
    andi a1, a0, 0x20               # SPIE = old SIE
    check a1, 0x20
    csrr a0, scause
    check a0, CAUSE_BREAKPOINT
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    csrw medeleg, zero

    # ------------------------------------------------------------------
    # Last, as QEMU 7.2 reports AMO faults as load faults (4, 5) where the
    # ISA has store/AMO faults (6, 7): Privileged §3.1.15 Table 3.6 (the
    # same divergence as atomics.S case 28). QEMU stops at the first.
    li a1, UNMAPPED2
    trap_begin 32, PRV_M
    amoswap.d a0, a0, (a1)          # an AMO access fault is a store/AMO one
    trap_end 32, CAUSE_STORE_ACCESS, UNMAPPED2
    # a misaligned SC raises store/AMO address misaligned even without a
    # reservation (Unprivileged §8.2). QEMU 7.2 just fails the SC.
    la a2, amo_slot + 1
    trap_begin 33, PRV_M
    sc.w a0, a0, (a2)
    trap_end_addr 33, CAUSE_MISALIGNED_STORE, amo_slot + 1
    la a1, amo_slot
    addi a2, a1, 4
    trap_begin 34, PRV_M
    amoadd.d a0, a0, (a2)
    trap_end_addr 34, CAUSE_MISALIGNED_STORE, amo_slot + 4
    addi a2, a1, 2
    trap_begin 35, PRV_U
    amoswap.w a0, a0, (a2)
    trap_end_addr 35, CAUSE_MISALIGNED_STORE, amo_slot + 2

    # delegated store/AMO address misaligned (from an AMO)
    li t0, 1 << CAUSE_MISALIGNED_STORE
    csrw medeleg, t0
    la a1, amo_slot + 4
    csrw mcause, zero
    trap_begin 36, PRV_U
    amoor.d a0, a0, (a1)
    trap_end_addr 36, CAUSE_MISALIGNED_STORE, amo_slot + 4, PRV_S
    check_mcause_forwarded
    csrw medeleg, zero

rvtest_code_end

    .section .text
    .align 2
odd_target:
    addi a0, a0, 1
    ret
    .align 2
    .option push
    .option rvc
    c.nop
    .option norvc
half_target:                        # 2 mod 4
    addi a0, a0, 1
    ret
    .option pop

    .data
    .align 4
amo_slot:
    .dword 0, 0
