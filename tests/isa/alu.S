# RV64I integer computational instructions: register-register, immediate,
# 32-bit (W) forms with their sign extension, shift-amount masking, LUI/AUIPC,
# x0 as a destination.

rvtest_code_begin

    # add / sub: wrap-around at the signed and unsigned limits
    test_rr  2, add, 0, 0, 0
    test_rr  3, add, 0, -1, 1
    test_rr  4, add, 0x8000000000000000, 0x7fffffffffffffff, 1
    test_rr  5, add, 0x7fffffffffffffff, 0x8000000000000000, -1
    test_rr  6, sub, 0xffffffffffffffff, 0, 1
    test_rr  7, sub, 0x7fffffffffffffff, 0x8000000000000000, 1

    # shifts: the amount is rs2[5:0]
    test_rr  8, sll, 0x8000000000000000, 1, 63
    test_rr  9, sll, 1, 1, 64
    test_rr 10, sll, 0xff0, 0xff, 0xffffffffffffffc4
    test_rr 11, srl, 1, 0x8000000000000000, 63
    test_rr 12, srl, 0x7fffffffffffffff, -1, 65
    test_rr 13, sra, 0xffffffffffffffff, 0x8000000000000000, 63
    test_rr 14, sra, 1, 0x7fffffffffffffff, 62

    # comparisons
    test_rr 15, slt, 1, -1, 0
    test_rr 16, slt, 0, 0, -1
    test_rr 17, slt, 1, 0x8000000000000000, 0x7fffffffffffffff
    test_rr 18, sltu, 0, -1, 0
    test_rr 19, sltu, 1, 0, -1
    test_rr 20, sltu, 0, 5, 5

    # logic
    test_rr 21, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
    test_rr 22, or,  0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
    test_rr 23, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0

    # immediates are 12-bit, sign-extended
    test_imm 24, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
    test_imm 25, addi, 0xfffffffffffff800, 0, -2048
    test_imm 26, addi, 2048, 1, 2047
    test_imm 27, slti, 1, -1, 0
    test_imm 28, slti, 0, 0, -2048
    test_imm 29, sltiu, 1, 0, -1
    test_imm 30, sltiu, 0, -1, -1
    test_imm 31, sltiu, 1, 0, 1
    test_imm 32, xori, 0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, -1
    test_imm 33, ori,  0xffffffffffffff00, 0xff00ff00ff00ff00, -2048
    test_imm 34, andi, 0x700, 0xff00ff00ff00ff00, 0x70f
    test_imm 35, slli, 0x8000000000000000, 1, 63
    test_imm 36, slli, 0x2100000000, 0x21, 32
    test_imm 37, srli, 0x7fffffffffffffff, -1, 1
    test_imm 38, srli, 1, 0x8000000000000000, 63
    test_imm 39, srai, 0xc000000000000000, 0x8000000000000000, 1
    test_imm 40, srai, 0, 0x7fffffffffffffff, 63

    # W forms: operate on the low 32 bits, sign-extend the 32-bit result
    test_rr 41, addw, 0xffffffff80000000, 0x7fffffff, 1
    test_rr 42, addw, 0, 0xffffffff00000001, 0x00000000ffffffff
    test_rr 43, subw, 0xffffffffffffffff, 0, 1
    test_rr 44, subw, 0x7fffffff, 0x80000000, 1
    test_rr 45, sllw, 0xffffffff80000000, 1, 31
    test_rr 46, sllw, 1, 1, 32
    test_rr 47, srlw, 1, 0xffffffff80000000, 31
    test_rr 48, srlw, 0xffffffffffffffff, 0xffffffffffffffff, 0
    test_rr 49, sraw, 0xfffffffff8000000, 0x80000000, 4
    test_rr 50, sraw, 0, 0xffffffff7fffffff, 31
    test_imm 51, addiw, 0xffffffff80000000, 0x7fffffff, 1
    test_imm 52, addiw, 0x23456789, 0x123456789, 0
    test_imm 53, slliw, 0xffffffff80000000, 1, 31
    test_imm 54, srliw, 0xffffffff80000000, 0x80000000, 0
    test_imm 55, srliw, 0x40000000, 0xffffffff80000000, 1
    test_imm 56, sraiw, 0xffffffffffffffff, 0x80000000, 31
    test_imm 57, sraiw, 0, 0x100000000, 0
    test_r   58, sext.w, 0xffffffff80000000, 0x80000000
    test_r   59, negw, 0xffffffff80000000, 0x80000000
    test_r   60, neg, 0x8000000000000000, 0x8000000000000000

    # rd == rs1
    test_rr_src1_eq_dest 61, sub, 0xfffffffffffffffe, 1, 3
    test_rr_src1_eq_dest 62, srlw, 0x7fffffff, 0xfffffffffffffffe, 1

    # LUI sign-extends bit 31; AUIPC adds to its own address
    test_case 63
    lui a4, 0x80000
    check a4, 0xffffffff80000000
    test_case 64
    lui a4, 0x7ffff
    check a4, 0x7ffff000
    test_case 65
.Lauipc0:
    auipc a4, 0
    check_addr a4, .Lauipc0
    test_case 66
.Lauipc1:
    auipc a4, 1
    addi a4, a4, -2048
    addi a4, a4, -2048
    check_addr a4, .Lauipc1

    # writes to x0 are ignored
    test_case 67
    li a1, 5
    addi x0, a1, 1
    add x0, a1, a1
    lui x0, 0x12345
    check x0, 0

rvtest_code_end
