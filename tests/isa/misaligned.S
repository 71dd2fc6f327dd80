# Misaligned loads and stores are performed in hardware (Zicclsm; the
# Unprivileged ISA 20191213 §2.6 allows it, and QEMU does the same): lh,
# lhu, lw, lwu, ld, sh, sw, sd (and flw/fld/fsw/fsd) at every offset within
# a doubleword, in M, S and U mode, and across a 4 KiB page boundary in
# DRAM, with the correct bytes read and only the addressed bytes written.
#
# The 16-byte pattern at each test address: bytes
#   01 82 13 a4 35 c6 57 e8 79 8a 9b 2c bd 4e df 60
# (alternating top bits so that sign extension is visible).

.equ PAT0, 0xe857c635a4138201
.equ PAT1, 0x60df4ebd2c9b8a79

# Write the pattern at sym (8-byte aligned).
.macro pat_init sym
    la t0, \sym
    li t1, PAT0
    sd t1, 0(t0)
    li t1, PAT1
    sd t1, 8(t0)
.endm

# Store `value` with `inst` at sym+off, then expect the 16 bytes at sym
# to be d0, d1.
.macro test_mis_st n, inst, value, off, sym, d0, d1
    test_case \n
    pat_init \sym
    la a1, \sym
    li a2, \value
    \inst a2, \off(a1)
    ld a4, 0(a1)
    check a4, \d0
    ld a4, 8(a1)
    check a4, \d1
.endm

rvtest_code_begin

    pat_init mis_buf
    pat_init mis_cross

    # loads within a doubleword (M-mode)
    test_ld   2, lh, 0xffffffffffff8201, 0, mis_buf
    test_ld   3, lh, 0x0000000000001382, 1, mis_buf
    test_ld   4, lh, 0xffffffffffffa413, 2, mis_buf
    test_ld   5, lh, 0x00000000000035a4, 3, mis_buf
    test_ld   6, lh, 0xffffffffffffc635, 4, mis_buf
    test_ld   7, lh, 0x00000000000057c6, 5, mis_buf
    test_ld   8, lh, 0xffffffffffffe857, 6, mis_buf
    test_ld   9, lh, 0x00000000000079e8, 7, mis_buf
    test_ld  10, lhu, 0x0000000000008201, 0, mis_buf
    test_ld  11, lhu, 0x0000000000001382, 1, mis_buf
    test_ld  12, lhu, 0x000000000000a413, 2, mis_buf
    test_ld  13, lhu, 0x00000000000035a4, 3, mis_buf
    test_ld  14, lhu, 0x000000000000c635, 4, mis_buf
    test_ld  15, lhu, 0x00000000000057c6, 5, mis_buf
    test_ld  16, lhu, 0x000000000000e857, 6, mis_buf
    test_ld  17, lhu, 0x00000000000079e8, 7, mis_buf
    test_ld  18, lw, 0xffffffffa4138201, 0, mis_buf
    test_ld  19, lw, 0x0000000035a41382, 1, mis_buf
    test_ld  20, lw, 0xffffffffc635a413, 2, mis_buf
    test_ld  21, lw, 0x0000000057c635a4, 3, mis_buf
    test_ld  22, lw, 0xffffffffe857c635, 4, mis_buf
    test_ld  23, lw, 0x0000000079e857c6, 5, mis_buf
    test_ld  24, lw, 0xffffffff8a79e857, 6, mis_buf
    test_ld  25, lw, 0xffffffff9b8a79e8, 7, mis_buf
    test_ld  26, lwu, 0x00000000a4138201, 0, mis_buf
    test_ld  27, lwu, 0x0000000035a41382, 1, mis_buf
    test_ld  28, lwu, 0x00000000c635a413, 2, mis_buf
    test_ld  29, lwu, 0x0000000057c635a4, 3, mis_buf
    test_ld  30, lwu, 0x00000000e857c635, 4, mis_buf
    test_ld  31, lwu, 0x0000000079e857c6, 5, mis_buf
    test_ld  32, lwu, 0x000000008a79e857, 6, mis_buf
    test_ld  33, lwu, 0x000000009b8a79e8, 7, mis_buf
    test_ld  34, ld, 0xe857c635a4138201, 0, mis_buf
    test_ld  35, ld, 0x79e857c635a41382, 1, mis_buf
    test_ld  36, ld, 0x8a79e857c635a413, 2, mis_buf
    test_ld  37, ld, 0x9b8a79e857c635a4, 3, mis_buf
    test_ld  38, ld, 0x2c9b8a79e857c635, 4, mis_buf
    test_ld  39, ld, 0xbd2c9b8a79e857c6, 5, mis_buf
    test_ld  40, ld, 0x4ebd2c9b8a79e857, 6, mis_buf
    test_ld  41, ld, 0xdf4ebd2c9b8a79e8, 7, mis_buf

    # loads across the page boundary at mis_cross + 8
    test_ld  42, lh, 0x00000000000079e8, 7, mis_cross
    test_ld  43, lhu, 0x00000000000079e8, 7, mis_cross
    test_ld  44, lw, 0x0000000079e857c6, 5, mis_cross
    test_ld  45, lw, 0xffffffff8a79e857, 6, mis_cross
    test_ld  46, lw, 0xffffffff9b8a79e8, 7, mis_cross
    test_ld  47, lwu, 0x0000000079e857c6, 5, mis_cross
    test_ld  48, lwu, 0x000000008a79e857, 6, mis_cross
    test_ld  49, lwu, 0x000000009b8a79e8, 7, mis_cross
    test_ld  50, ld, 0x79e857c635a41382, 1, mis_cross
    test_ld  51, ld, 0x8a79e857c635a413, 2, mis_cross
    test_ld  52, ld, 0x9b8a79e857c635a4, 3, mis_cross
    test_ld  53, ld, 0x2c9b8a79e857c635, 4, mis_cross
    test_ld  54, ld, 0xbd2c9b8a79e857c6, 5, mis_cross
    test_ld  55, ld, 0x4ebd2c9b8a79e857, 6, mis_cross
    test_ld  56, ld, 0xdf4ebd2c9b8a79e8, 7, mis_cross

    # stores within a doubleword: only the addressed bytes change
    test_mis_st  57, sh, 0xf00d, 0, mis_buf, 0xe857c635a413f00d, 0x60df4ebd2c9b8a79
    test_mis_st  58, sh, 0xf00d, 1, mis_buf, 0xe857c635a4f00d01, 0x60df4ebd2c9b8a79
    test_mis_st  59, sh, 0xf00d, 2, mis_buf, 0xe857c635f00d8201, 0x60df4ebd2c9b8a79
    test_mis_st  60, sh, 0xf00d, 3, mis_buf, 0xe857c6f00d138201, 0x60df4ebd2c9b8a79
    test_mis_st  61, sh, 0xf00d, 4, mis_buf, 0xe857f00da4138201, 0x60df4ebd2c9b8a79
    test_mis_st  62, sh, 0xf00d, 5, mis_buf, 0xe8f00d35a4138201, 0x60df4ebd2c9b8a79
    test_mis_st  63, sh, 0xf00d, 6, mis_buf, 0xf00dc635a4138201, 0x60df4ebd2c9b8a79
    test_mis_st  64, sh, 0xf00d, 7, mis_buf, 0x0d57c635a4138201, 0x60df4ebd2c9b8af0
    test_mis_st  65, sw, 0xdeadbeef, 0, mis_buf, 0xe857c635deadbeef, 0x60df4ebd2c9b8a79
    test_mis_st  66, sw, 0xdeadbeef, 1, mis_buf, 0xe857c6deadbeef01, 0x60df4ebd2c9b8a79
    test_mis_st  67, sw, 0xdeadbeef, 2, mis_buf, 0xe857deadbeef8201, 0x60df4ebd2c9b8a79
    test_mis_st  68, sw, 0xdeadbeef, 3, mis_buf, 0xe8deadbeef138201, 0x60df4ebd2c9b8a79
    test_mis_st  69, sw, 0xdeadbeef, 4, mis_buf, 0xdeadbeefa4138201, 0x60df4ebd2c9b8a79
    test_mis_st  70, sw, 0xdeadbeef, 5, mis_buf, 0xadbeef35a4138201, 0x60df4ebd2c9b8ade
    test_mis_st  71, sw, 0xdeadbeef, 6, mis_buf, 0xbeefc635a4138201, 0x60df4ebd2c9bdead
    test_mis_st  72, sw, 0xdeadbeef, 7, mis_buf, 0xef57c635a4138201, 0x60df4ebd2cdeadbe
    test_mis_st  73, sd, 0x123456789abcdef, 0, mis_buf, 0x0123456789abcdef, 0x60df4ebd2c9b8a79
    test_mis_st  74, sd, 0x123456789abcdef, 1, mis_buf, 0x23456789abcdef01, 0x60df4ebd2c9b8a01
    test_mis_st  75, sd, 0x123456789abcdef, 2, mis_buf, 0x456789abcdef8201, 0x60df4ebd2c9b0123
    test_mis_st  76, sd, 0x123456789abcdef, 3, mis_buf, 0x6789abcdef138201, 0x60df4ebd2c012345
    test_mis_st  77, sd, 0x123456789abcdef, 4, mis_buf, 0x89abcdefa4138201, 0x60df4ebd01234567
    test_mis_st  78, sd, 0x123456789abcdef, 5, mis_buf, 0xabcdef35a4138201, 0x60df4e0123456789
    test_mis_st  79, sd, 0x123456789abcdef, 6, mis_buf, 0xcdefc635a4138201, 0x60df0123456789ab
    test_mis_st  80, sd, 0x123456789abcdef, 7, mis_buf, 0xef57c635a4138201, 0x600123456789abcd

    # stores across the page boundary: only the addressed bytes change
    test_mis_st  81, sh, 0xf00d, 7, mis_cross, 0x0d57c635a4138201, 0x60df4ebd2c9b8af0
    test_mis_st  82, sw, 0xdeadbeef, 5, mis_cross, 0xadbeef35a4138201, 0x60df4ebd2c9b8ade
    test_mis_st  83, sw, 0xdeadbeef, 6, mis_cross, 0xbeefc635a4138201, 0x60df4ebd2c9bdead
    test_mis_st  84, sw, 0xdeadbeef, 7, mis_cross, 0xef57c635a4138201, 0x60df4ebd2cdeadbe
    test_mis_st  85, sd, 0x123456789abcdef, 1, mis_cross, 0x23456789abcdef01, 0x60df4ebd2c9b8a01
    test_mis_st  86, sd, 0x123456789abcdef, 2, mis_cross, 0x456789abcdef8201, 0x60df4ebd2c9b0123
    test_mis_st  87, sd, 0x123456789abcdef, 3, mis_cross, 0x6789abcdef138201, 0x60df4ebd2c012345
    test_mis_st  88, sd, 0x123456789abcdef, 4, mis_cross, 0x89abcdefa4138201, 0x60df4ebd01234567
    test_mis_st  89, sd, 0x123456789abcdef, 5, mis_cross, 0xabcdef35a4138201, 0x60df4e0123456789
    test_mis_st  90, sd, 0x123456789abcdef, 6, mis_cross, 0xcdefc635a4138201, 0x60df0123456789ab
    test_mis_st  91, sd, 0x123456789abcdef, 7, mis_cross, 0xef57c635a4138201, 0x600123456789abcd

    # the same in S and U mode
    pat_init mis_cross
    la a1, mis_cross
    run_in_mode 92, PRV_S
    lw a2, 5(a1)
    ld a3, 3(a1)
    lh a4, 7(a1)
    li a5, 0x1122334455667788
    sd a5, 9(a1)
    ld a5, 9(a1)
    run_in_mode_end 92, PRV_S
    check a2, 0x0000000079e857c6
    check a3, 0x9b8a79e857c635a4
    check a4, 0x00000000000079e8
    check a5, 0x1122334455667788
    pat_init mis_cross
    la a1, mis_cross
    run_in_mode 93, PRV_U
    lw a2, 5(a1)
    ld a3, 3(a1)
    lh a4, 7(a1)
    li a5, 0x1122334455667788
    sd a5, 9(a1)
    ld a5, 9(a1)
    run_in_mode_end 93, PRV_U
    check a2, 0x0000000079e857c6
    check a3, 0x9b8a79e857c635a4
    check a4, 0x00000000000079e8
    check a5, 0x1122334455667788

    # floating-point loads and stores, misaligned and across the page
    test_case 94
    pat_init mis_cross
    la a1, mis_cross
    flw fa0, 6(a1)
    fmv.x.d a4, fa0
    check a4, 0xffffffff8a79e857
    fld fa1, 5(a1)
    fmv.x.d a4, fa1
    check a4, 0xbd2c9b8a79e857c6
    fsd fa1, 1(a1)
    ld a4, 0(a1)
    check a4, 0x2c9b8a79e857c601
    fsw fa0, 7(a1)
    ld a4, 8(a1)
    check a4, 0x60df4ebd2c8a79e8

rvtest_code_end

    .data
    .align 3
mis_buf:
    .zero 16
    .align 12
    .zero 4096 - 8
mis_cross:                          # 8 bytes below a page boundary
    .zero 16
