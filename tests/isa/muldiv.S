# RV64M: products (all high-half variants), division by zero and signed
# overflow (results defined by the ISA, no trap), W forms and their sign
# extension.

rvtest_code_begin

    test_rr  2, mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 2
    test_rr  3, mul, 1, -1, -1
    test_rr  4, mul, 0x8000000000000000, 0x8000000000000000, 0x8000000000000001
    test_rr  5, mulh, 0, -1, -1
    test_rr  6, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
    test_rr  7, mulh, 0xffffffffffffffff, 0x8000000000000000, 1
    test_rr  8, mulhu, 0xfffffffffffffffe, -1, -1
    test_rr  9, mulhu, 1, 0x8000000000000000, 2
    test_rr 10, mulhsu, 0xffffffffffffffff, -1, -1
    test_rr 11, mulhsu, 1, 2, 0x8000000000000000
    test_rr 12, mulhsu, 0x3fffffffffffffff, 0x4000000000000000, 0xffffffffffffffff
    test_rr 13, mulw, 0xfffffffffffffffe, 0x7fffffff, 2
    test_rr 14, mulw, 1, 0x100000001, 0x100000001

    # division by zero: quotient all ones, remainder the dividend
    test_rr 15, div, 0xffffffffffffffff, 7, 0
    test_rr 16, divu, 0xffffffffffffffff, 7, 0
    test_rr 17, rem, 7, 7, 0
    test_rr 18, remu, 7, 7, 0
    # signed overflow: quotient the dividend, remainder 0
    test_rr 19, div, 0x8000000000000000, 0x8000000000000000, -1
    test_rr 20, rem, 0, 0x8000000000000000, -1
    # rounding toward zero, remainder takes the dividend's sign
    test_rr 21, div, 0xfffffffffffffffd, -7, 2
    test_rr 22, rem, 0xffffffffffffffff, -7, 2
    test_rr 23, divu, 0x7fffffffffffffff, -1, 2
    test_rr 24, remu, 5, -1, 10

    # W forms
    test_rr 25, divw, 0xffffffff80000000, 0xffffffff80000000, -1
    test_rr 26, divw, 0xffffffffffffffff, 5, 0
    test_rr 27, divw, 3, 0x100000007, 2
    test_rr 28, divuw, 0xffffffffffffffff, 0xffffffff, 0
    test_rr 29, divuw, 0xffffffff80000000, 0x80000000, 1
    test_rr 30, remw, 0, 0xffffffff80000000, -1
    test_rr 31, remw, 0xfffffffffffffff9, -7, 0
    test_rr 32, remw, 0xffffffffffffffff, 0x80000005, 2
    test_rr 33, remuw, 0xffffffff80000005, 0x80000005, 0
    test_rr 34, remuw, 0xf, 0xffffffff, 0x10

    # rd == rs1
    test_rr_src1_eq_dest 35, mulhu, 0x7fffffffffffffff, 0xfffffffffffffffe, 0x8000000000000000
    test_rr_src1_eq_dest 36, rem, 0xfffffffffffffffe, -12, 5

rvtest_code_end
