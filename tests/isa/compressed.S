# RVC: compressed instructions spelled out as c.* mnemonics (the test files
# are assembled with .option norvc, so nothing else is compressed), checked
# against their 32-bit meaning, including mixed 16/32-bit control flow and
# the reserved encodings.

rvtest_code_begin

    la sp, c_stack + 512
    .option push
    .option rvc

    test_case 2
    c.li a0, -32
    check a0, -32

    test_case 3
    c.lui a1, 0xfffe0
    check a1, 0xfffffffffffe0000
    test_case 4
    c.lui a1, 0x1f
    check a1, 0x1f000

    test_case 5
    c.li a0, 7
    c.addi a0, -8
    check a0, -1

    test_case 6
    li a0, 0x7fffffff
    c.addiw a0, 1
    check a0, 0xffffffff80000000
    test_case 7
    li a0, 0x100000005
    c.addiw a0, 0                 # sext.w
    check a0, 5

    test_case 8
    mv a5, sp
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    sub a4, a5, sp
    check a4, 16
    c.addi16sp sp, 16

    test_case 9
    c.addi4spn a2, sp, 1020
    sub a4, a2, sp
    check a4, 1020

    test_case 10
    li a0, 1
    c.slli a0, 63
    check a0, 0x8000000000000000
    test_case 11
    c.srai a0, 3
    check a0, 0xf000000000000000
    test_case 12
    c.srli a0, 60
    check a0, 0xf
    test_case 13
    li a0, 0xff
    c.andi a0, -16
    check a0, 0xf0

    test_case 14
    li a0, 0x0ff0
    li a1, 0x00ff
    c.mv a2, a0
    c.add a2, a1
    check a2, 0x10ef
    test_case 15
    mv a2, a0
    c.sub a2, a1
    check a2, 0x0ef1
    test_case 16
    mv a2, a0
    c.xor a2, a1
    check a2, 0x0f0f
    test_case 17
    mv a2, a0
    c.or a2, a1
    check a2, 0x0fff
    test_case 18
    mv a2, a0
    c.and a2, a1
    check a2, 0x00f0
    test_case 19
    li a2, 0x7fffffff
    li a1, 1
    c.addw a2, a1
    check a2, 0xffffffff80000000
    test_case 20
    li a2, 0x100000000
    c.subw a2, a1
    check a2, 0xffffffffffffffff

    # loads and stores, register-based and sp-based
    test_case 21
    la a1, c_data
    li a0, 0x80000001
    c.sw a0, 4(a1)
    c.lw a2, 4(a1)
    check a2, 0xffffffff80000001
    test_case 22
    li a0, 0x123456789abcdef0
    c.sd a0, 8(a1)
    c.ld a3, 8(a1)
    check a3, 0x123456789abcdef0
    test_case 23
    li a0, 0xfedcba98
    c.swsp a0, 12(sp)
    c.lwsp a4, 12(sp)
    check a4, 0xfffffffffedcba98
    test_case 24
    c.sdsp a3, 16(sp)
    c.ldsp a5, 16(sp)
    check a5, 0x123456789abcdef0

    # control flow: c.j, c.beqz, c.bnez, c.jr, c.jalr (link = pc + 2)
    test_case 25
    c.j 1f
    j rvtest_fail
1:  li a0, 0
    c.beqz a0, 2f
    j rvtest_fail
2:  c.bnez a0, 3f
    j 4f
3:  j rvtest_fail
4:  li a0, 1
    c.bnez a0, 5f
    j rvtest_fail
5:
    test_case 26
    la a1, 6f
    c.jr a1
    j rvtest_fail
6:
    test_case 27
    la a1, 8f
    c.jalr a1
7:  j rvtest_fail
8:  check_addr ra, 7b

    # c.nop and c.mv leave other state alone
    test_case 28
    li a0, 42
    c.nop
    c.mv a1, a0
    check a1, 42

    .option pop

    # c.ebreak traps like ebreak (cause 3), mepc at the 16-bit instruction
    trap_begin 29, PRV_M
    .option push
    .option rvc
    c.ebreak
    .option pop
    trap_end_breakpoint 29

    # reserved: c.addi4spn with a zero immediate; mtval = the 16 bits
    trap_begin 30, PRV_M
    .half 0x0004
    .half 0x0001                  # c.nop: keep the stream 4-byte aligned
    trap_end 30, CAUSE_ILLEGAL_INSTRUCTION, 0x0004

    # reserved: c.lwsp with rd = x0
    trap_begin 31, PRV_M
    .half 0x4002
    .half 0x0001
    trap_end 31, CAUSE_ILLEGAL_INSTRUCTION, 0x4002

rvtest_code_end

    .data
    .align 4
c_data:
    .dword 0, 0, 0, 0
    .align 4
c_stack:
    .zero 1024
