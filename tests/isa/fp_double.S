# RV64D double precision (Unprivileged ISA 20191213 ch. 12): rounding modes
# (static and dynamic), each fflags bit, fused multiply-add single rounding,
# fsqrt, division by zero, fmin/fmax, comparisons, fclass, float<->integer
# conversions with saturation (Table 11.4), fcvt.s.d / fcvt.d.s (rounding,
# NaN -> canonical NaN), canonical NaN 0x7ff8000000000000, fld/fsd.
# Expected values: exact rational arithmetic rounded per IEEE 754-2008,
# tininess after rounding (§11.4).

rvtest_code_begin

    # fadd/fsub ties and fdiv/fmul non-ties in every static rounding mode
    test_fp_op2   2, d, fadd.d, 0x3ff0000000000000, FF_NX, 0x3ff0000000000000, 0x3ca0000000000000, rne   # 1 + 2^-53: tie, even is 1.0
    test_fp_op2   3, d, fadd.d, 0x3ff0000000000000, FF_NX, 0x3ff0000000000000, 0x3ca0000000000000, rtz
    test_fp_op2   4, d, fadd.d, 0x3ff0000000000000, FF_NX, 0x3ff0000000000000, 0x3ca0000000000000, rdn
    test_fp_op2   5, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000000, 0x3ca0000000000000, rup
    test_fp_op2   6, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000000, 0x3ca0000000000000, rmm
    test_fp_op2   7, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000, rne   # (1+2^-52) + 2^-53: tie, even is up
    test_fp_op2   8, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000, rtz
    test_fp_op2   9, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000, rdn
    test_fp_op2  10, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000, rup
    test_fp_op2  11, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000, rmm
    test_fp_op2  12, d, fsub.d, 0xbff0000000000000, FF_NX, 0xbff0000000000000, 0x3ca0000000000000, rne   # -1 - 2^-53
    test_fp_op2  13, d, fsub.d, 0xbff0000000000000, FF_NX, 0xbff0000000000000, 0x3ca0000000000000, rtz
    test_fp_op2  14, d, fsub.d, 0xbff0000000000001, FF_NX, 0xbff0000000000000, 0x3ca0000000000000, rdn
    test_fp_op2  15, d, fsub.d, 0xbff0000000000000, FF_NX, 0xbff0000000000000, 0x3ca0000000000000, rup
    test_fp_op2  16, d, fsub.d, 0xbff0000000000001, FF_NX, 0xbff0000000000000, 0x3ca0000000000000, rmm
    test_fp_op2  17, d, fdiv.d, 0x3fd5555555555555, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rne   # 1/3
    test_fp_op2  18, d, fdiv.d, 0x3fd5555555555555, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rtz
    test_fp_op2  19, d, fdiv.d, 0x3fd5555555555555, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rdn
    test_fp_op2  20, d, fdiv.d, 0x3fd5555555555556, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rup
    test_fp_op2  21, d, fdiv.d, 0x3fd5555555555555, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rmm
    test_fp_op2  22, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000, rne   # -1/3
    test_fp_op2  23, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000, rtz
    test_fp_op2  24, d, fdiv.d, 0xbfd5555555555556, FF_NX, 0xbff0000000000000, 0x4008000000000000, rdn
    test_fp_op2  25, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000, rup
    test_fp_op2  26, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000, rmm
    test_fp_op2  27, d, fmul.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, rne   # (1+2^-52)^2 = 1 + 2^-51 + 2^-104
    test_fp_op2  28, d, fmul.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, rtz
    test_fp_op2  29, d, fmul.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, rdn
    test_fp_op2  30, d, fmul.d, 0x3ff0000000000003, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, rup
    test_fp_op2  31, d, fmul.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, rmm

    # dynamic rounding through frm
    csrwi frm, 0
    test_fp_op2  32, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000
    test_fp_op2  33, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000
    csrwi frm, 1
    test_fp_op2  34, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000
    test_fp_op2  35, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000
    csrwi frm, 2
    test_fp_op2  36, d, fadd.d, 0x3ff0000000000001, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000
    test_fp_op2  37, d, fdiv.d, 0xbfd5555555555556, FF_NX, 0xbff0000000000000, 0x4008000000000000
    csrwi frm, 3
    test_fp_op2  38, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000
    test_fp_op2  39, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000
    csrwi frm, 4
    test_fp_op2  40, d, fadd.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ca0000000000000
    test_fp_op2  41, d, fdiv.d, 0xbfd5555555555555, FF_NX, 0xbff0000000000000, 0x4008000000000000
    csrwi frm, 2                  # RDN; static modes override it
    test_fp_op2  42, d, fdiv.d, 0x3fd5555555555556, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rup
    test_fp_op2  43, d, fdiv.d, 0x3fd5555555555555, FF_NX, 0x3ff0000000000000, 0x4008000000000000, rmm
    csrwi frm, 0

    # each exception flag
    test_fp_op2  44, d, fsub.d, 0x7ff8000000000000, FF_NV, 0x7ff0000000000000, 0x7ff0000000000000   # inf - inf
    test_fp_op2  45, d, fmul.d, 0x7ff8000000000000, FF_NV, 0xfff0000000000000, 0x8000000000000000   # -inf * -0
    test_fp_op2  46, d, fdiv.d, 0x7ff8000000000000, FF_NV, 0x0000000000000000, 0x8000000000000000   # 0 / -0
    test_fp_op2  47, d, fdiv.d, 0xfff0000000000000, FF_DZ, 0x4000000000000000, 0x8000000000000000   # 2 / -0
    test_fp_op2  48, d, fdiv.d, 0x7ff0000000000000, FF_DZ, 0x8000000000000001, 0x8000000000000000   # -subnormal / -0
    test_fp_op2  49, d, fdiv.d, 0xfff0000000000000, 0, 0xfff0000000000000, 0x0000000000000000       # -inf / 0: no DZ
    test_fp_op2  50, d, fdiv.d, 0x0000000000000000, 0, 0x0000000000000000, 0x7ff0000000000000       # 0 / inf
    test_fp_op2  51, d, fmul.d, 0x7ff0000000000000, FF_OF|FF_NX, 0x7fefffffffffffff, 0x4000000000000000, rne   # overflow
    test_fp_op2  52, d, fmul.d, 0x7fefffffffffffff, FF_OF|FF_NX, 0x7fefffffffffffff, 0x4000000000000000, rtz
    test_fp_op2  53, d, fmul.d, 0x7fefffffffffffff, FF_OF|FF_NX, 0x7fefffffffffffff, 0x4000000000000000, rdn
    test_fp_op2  54, d, fmul.d, 0x7ff0000000000000, FF_OF|FF_NX, 0x7fefffffffffffff, 0x4000000000000000, rup
    test_fp_op2  55, d, fmul.d, 0x7ff0000000000000, FF_OF|FF_NX, 0x7fefffffffffffff, 0x4000000000000000, rmm
    test_fp_op2  56, d, fadd.d, 0xfff0000000000000, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, rne
    test_fp_op2  57, d, fadd.d, 0xfff0000000000000, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, rdn
    test_fp_op2  58, d, fadd.d, 0xffefffffffffffff, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, rup
    # underflow (tiny and inexact, tininess after rounding)
    test_fp_op2  59, d, fmul.d, 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000, rne   # 2^-1023 exact: no flag
    test_fp_op2  60, d, fmul.d, 0x0000000000000000, FF_UF|FF_NX, 0x0000000000000001, 0x3fe0000000000000, rne   # 2^-1075 -> +0
    test_fp_op2  61, d, fmul.d, 0x0000000000000001, FF_UF|FF_NX, 0x0000000000000001, 0x3fe0000000000000, rup
    test_fp_op2  62, d, fmul.d, 0x8000000000000001, FF_UF|FF_NX, 0x8000000000000001, 0x3fe0000000000000, rdn
    test_fp_op2  63, d, fmul.d, 0x0010000000000000, FF_UF|FF_NX, 0x3fefffffffffffff, 0x0010000000000000, rne   # (1-2^-53)*2^-1022 rounds to 2^-1022 yet is tiny after rounding
    test_fp_op2  64, d, fmul.d, 0x000fffffffffffff, FF_UF|FF_NX, 0x3fefffffffffffff, 0x0010000000000000, rtz
    test_fp_op2  65, d, fdiv.d, 0x0010000000000000, FF_UF|FF_NX, 0x0010000000000000, 0x3ff0000000000001, rup
    test_fp_op2  66, d, fdiv.d, 0x0000000000000002, FF_UF|FF_NX, 0x0000000000000003, 0x4000000000000000, rne   # 1.5 * 2^-1074: tie, to 2^-1073

    # accrual: flags OR together until cleared
    test_case  67
    csrwi fflags, 0
    fp_in_d fa0, 0x7fefffffffffffff
    fadd.d fa3, fa0, fa0           # OF NX
    fp_in_d fa1, 0x0000000000000000
    fdiv.d fa3, fa0, fa1           # DZ
    fmul.d fa3, fa1, fa1           # exact
    csrr a4, fflags
    check a4, FF_OF|FF_DZ|FF_NX
    fp_in_d fa0, 0x0000000000000001
    fp_in_d fa1, 0x3fe0000000000000
    fmul.d fa3, fa0, fa1           # UF NX
    fp_in_d fa0, 0x7ff0000000000001
    feq.d a4, fa0, fa0             # NV (signalling NaN)
    frflags a4
    check a4, 0x1f
    csrci fflags, FF_NX|FF_UF      # clear individual bits
    csrr a4, fflags
    check a4, FF_NV|FF_DZ|FF_OF
    csrsi fflags, FF_UF            # software may set them too
    csrr a4, fcsr
    check a4, FF_NV|FF_DZ|FF_OF|FF_UF
    csrwi fflags, 0

    # fused multiply-add: a = 1 + 2^-52, a*a = 1 + 2^-51 + 2^-104
    test_fp_op3  68, d, fmadd.d, 0x3970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, rne   # a*a - (1+2^-51) = 2^-104 exactly (0 if rounded twice)
    test_fp_op3  69, d, fmsub.d, 0x3970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, rne
    test_fp_op3  70, d, fnmadd.d, 0xb970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, rne
    test_fp_op3  71, d, fnmsub.d, 0xb970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, rne
    test_fp_op3  72, d, fmsub.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rne
    test_fp_op3  73, d, fmsub.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rtz
    test_fp_op3  74, d, fmsub.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rdn
    test_fp_op3  75, d, fmsub.d, 0x3ff0000000000003, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rup
    test_fp_op3  76, d, fmsub.d, 0x3ff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rmm
    test_fp_op3  77, d, fnmadd.d, 0xbff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rne
    test_fp_op3  78, d, fnmadd.d, 0xbff0000000000003, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rdn
    test_fp_op3  79, d, fnmadd.d, 0xbff0000000000002, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0x0000000000000000, rup
    test_fp_op3  80, d, fmadd.d, 0x7fefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, rne   # product beyond range, sum back in range
    test_fp_op3  81, d, fmadd.d, 0x0008000000000001, 0, 0x0010000000000000, 0x3fe0000000000000, 0x0000000000000001, rne   # tiny exact: no UF
    test_fp_op3  82, d, fmadd.d, 0x0000000000000000, FF_UF|FF_NX, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, rne   # 2^-1075: UF NX
    test_fp_op3  83, d, fmadd.d, 0x7ff8000000000000, FF_NV, 0x0000000000000000, 0xfff0000000000000, 0x7ff8000000000000   # 0*inf + qNaN: NV
    test_fp_op3  84, d, fmsub.d, 0x7ff8000000000000, FF_NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000   # inf - inf
    test_fp_op3  85, d, fnmsub.d, 0x7ff8000000000000, 0, 0xfff8000000000123, 0x3ff0000000000000, 0x3ff0000000000000     # qNaN: canonical
    test_fp_op3  86, d, fmadd.d, 0x7ff8000000000000, FF_NV, 0x3ff0000000000000, 0x7ff4000000000000, 0x3ff0000000000000   # sNaN
    test_fp_op3  87, d, fnmadd.d, 0x8000000000000000, 0, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000     # -(0*1) - 0 = -0

    # fsqrt
    test_fp_op1  88, d, fsqrt.d, 0x4008000000000000, 0, 0x4022000000000000, rne   # sqrt(9) = 3
    test_fp_op1  89, d, fsqrt.d, 0x3ff6a09e667f3bcd, FF_NX, 0x4000000000000000, rne
    test_fp_op1  90, d, fsqrt.d, 0x3ff6a09e667f3bcc, FF_NX, 0x4000000000000000, rtz
    test_fp_op1  91, d, fsqrt.d, 0x3ff6a09e667f3bcc, FF_NX, 0x4000000000000000, rdn
    test_fp_op1  92, d, fsqrt.d, 0x3ff6a09e667f3bcd, FF_NX, 0x4000000000000000, rup
    test_fp_op1  93, d, fsqrt.d, 0x3ff6a09e667f3bcd, FF_NX, 0x4000000000000000, rmm
    test_fp_op1  94, d, fsqrt.d, 0x1e60000000000000, 0, 0x0000000000000001, rne   # sqrt(2^-1074) = 2^-537 exact
    test_fp_op1  95, d, fsqrt.d, 0x5fefffffffffffff, FF_NX, 0x7fefffffffffffff, rne
    test_fp_op1  96, d, fsqrt.d, 0x8000000000000000, 0, 0x8000000000000000       # sqrt(-0)
    test_fp_op1  97, d, fsqrt.d, 0x7ff0000000000000, 0, 0x7ff0000000000000       # sqrt(inf)
    test_fp_op1  98, d, fsqrt.d, 0x7ff8000000000000, FF_NV, 0xc010000000000000   # sqrt(-4)
    test_fp_op1  99, d, fsqrt.d, 0x7ff8000000000000, FF_NV, 0xfff0000000000000   # sqrt(-inf)
    test_fp_op1 100, d, fsqrt.d, 0x7ff8000000000000, 0, 0x7ff8000000000001       # qNaN
    test_fp_op1 101, d, fsqrt.d, 0x7ff8000000000000, FF_NV, 0xfff0000000000001   # sNaN

    # fmin / fmax
    test_fp_op2n 102, d, fmin.d, 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000
    test_fp_op2n 103, d, fmax.d, 0x0000000000000000, 0, 0x8000000000000000, 0x0000000000000000
    test_fp_op2n 104, d, fmin.d, 0x8000000000000000, 0, 0x8000000000000000, 0x0000000000000000
    test_fp_op2n 105, d, fmax.d, 0x0000000000000000, 0, 0x0000000000000000, 0x8000000000000000
    test_fp_op2n 106, d, fmin.d, 0xfff0000000000000, 0, 0xfff0000000000000, 0x7ff0000000000000
    test_fp_op2n 107, d, fmax.d, 0x3ff0000000000001, 0, 0x3ff0000000000000, 0x3ff0000000000001
    test_fp_op2n 108, d, fmin.d, 0xbff0000000000000, 0, 0x7ff8000000000000, 0xbff0000000000000
    test_fp_op2n 109, d, fmax.d, 0xbff0000000000000, 0, 0xbff0000000000000, 0xfff8000000000001
    test_fp_op2n 110, d, fmin.d, 0x3ff0000000000000, FF_NV, 0x7ff0000000000001, 0x3ff0000000000000
    test_fp_op2n 111, d, fmax.d, 0x3ff0000000000000, FF_NV, 0x3ff0000000000000, 0xfff4000000000000
    test_fp_op2n 112, d, fmax.d, 0x7ff8000000000000, 0, 0xfff8000000000000, 0x7ff8000000000123
    test_fp_op2n 113, d, fmin.d, 0x7ff8000000000000, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001

    # comparisons
    test_fp_cmp 114, d, feq.d, 1, 0, 0x0000000000000000, 0x8000000000000000
    test_fp_cmp 115, d, fle.d, 1, 0, 0x0000000000000000, 0x8000000000000000
    test_fp_cmp 116, d, flt.d, 0, 0, 0x0000000000000000, 0x8000000000000000
    test_fp_cmp 117, d, flt.d, 1, 0, 0x3ff0000000000000, 0x3ff0000000000001
    test_fp_cmp 118, d, fle.d, 0, 0, 0x3ff0000000000001, 0x3ff0000000000000
    test_fp_cmp 119, d, feq.d, 0, 0, 0x3ff0000000000000, 0x3ff0000000000001
    test_fp_cmp 120, d, flt.d, 1, 0, 0x8000000000000001, 0x0000000000000000
    test_fp_cmp 121, d, feq.d, 0, 0, 0x7ff8000000000000, 0x7ff8000000000000
    test_fp_cmp 122, d, feq.d, 0, FF_NV, 0x7ff0000000000001, 0x7ff0000000000001
    test_fp_cmp 123, d, flt.d, 0, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000
    test_fp_cmp 124, d, fle.d, 0, FF_NV, 0xfff0000000000000, 0xfff8000000000000
    test_fp_cmp 125, d, fle.d, 0, FF_NV, 0x3ff0000000000000, 0x7ff0000000000001

    # fclass
    test_fp_class 126, d, 0x1, 0xfff0000000000000   # -inf
    test_fp_class 127, d, 0x2, 0x8010000000000000   # -normal
    test_fp_class 128, d, 0x4, 0x800fffffffffffff   # -subnormal
    test_fp_class 129, d, 0x8, 0x8000000000000000   # -0
    test_fp_class 130, d, 0x10, 0x0000000000000000   # +0
    test_fp_class 131, d, 0x20, 0x0000000000000001   # +subnormal
    test_fp_class 132, d, 0x40, 0x3ff0000000000000   # +normal
    test_fp_class 133, d, 0x80, 0x7ff0000000000000   # +inf
    test_fp_class 134, d, 0x100, 0x7ff7ffffffffffff   # signalling NaN
    test_fp_class 135, d, 0x200, 0xfff8000000000000   # quiet NaN

    # double -> integer: rounding, saturation, NaN (Table 11.4)
    test_fp_toint 136, d, fcvt.l.d, 0xfffffffffffffffe, FF_NX, 0xc004000000000000, rne   # -2.5
    test_fp_toint 137, d, fcvt.l.d, 0xfffffffffffffffe, FF_NX, 0xc004000000000000, rtz
    test_fp_toint 138, d, fcvt.l.d, 0xfffffffffffffffd, FF_NX, 0xc004000000000000, rdn
    test_fp_toint 139, d, fcvt.l.d, 0xfffffffffffffffe, FF_NX, 0xc004000000000000, rup
    test_fp_toint 140, d, fcvt.l.d, 0xfffffffffffffffd, FF_NX, 0xc004000000000000, rmm
    test_fp_toint 141, d, fcvt.w.d, 0x000000007fffffff, FF_NV, 0x41dfffffffe00000, rne   # 2^31 - 0.5: rounding up overflows
    test_fp_toint 142, d, fcvt.w.d, 0x000000007fffffff, FF_NX, 0x41dfffffffe00000, rtz
    test_fp_toint 143, d, fcvt.w.d, 0x000000007fffffff, FF_NX, 0x41dfffffffe00000, rdn
    test_fp_toint 144, d, fcvt.w.d, 0x000000007fffffff, FF_NV, 0x41dfffffffe00000, rup
    test_fp_toint 145, d, fcvt.w.d, 0x000000007fffffff, FF_NV, 0x41dfffffffe00000, rmm
    test_fp_toint 146, d, fcvt.w.d, 0xffffffff80000000, 0, 0xc1e0000000000000, rne   # -2^31
    test_fp_toint 147, d, fcvt.w.d, 0xffffffff80000000, FF_NX, 0xc1e0000000100000, rtz   # -2^31 - 0.5, RTZ: fits
    test_fp_toint 148, d, fcvt.w.d, 0xffffffff80000000, FF_NX, 0xc1e0000000100000, rne   # rounds to -2^31 (even)
    test_fp_toint 149, d, fcvt.w.d, 0xffffffff80000000, FF_NV, 0xc1e0000000100000, rdn   # rounds below -2^31
    test_fp_toint 150, d, fcvt.w.d, 0x000000007fffffff, FF_NV, 0x7ff0000000000000   # +inf
    test_fp_toint 151, d, fcvt.w.d, 0xffffffff80000000, FF_NV, 0xfff0000000000000   # -inf
    test_fp_toint 152, d, fcvt.w.d, 0x000000007fffffff, FF_NV, 0xfff8000000000000   # NaN
    test_fp_toint 153, d, fcvt.wu.d, 0xffffffffffffffff, 0, 0x41efffffffe00000, rtz   # 2^32 - 0.5
    test_fp_toint 154, d, fcvt.wu.d, 0xffffffffffffffff, 0, 0x41efffffffe00000, rup
    test_fp_toint 155, d, fcvt.wu.d, 0x000000007fffffff, 0, 0x41dfffffffc00000, rne   # 2^31 - 1 positive
    test_fp_toint 156, d, fcvt.wu.d, 0x0000000000000000, FF_NX, 0xbfefffffffffffff, rtz   # -0.99..: NX, 0
    test_fp_toint 157, d, fcvt.wu.d, 0x0000000000000000, FF_NV, 0xbfefffffffffffff, rne   # rounds to -1: NV, 0
    test_fp_toint 158, d, fcvt.wu.d, 0xffffffffffffffff, FF_NV, 0x7ff0000000000000  # +inf
    test_fp_toint 159, d, fcvt.wu.d, 0x0000000000000000, FF_NV, 0xfff0000000000000  # -inf
    test_fp_toint 160, d, fcvt.wu.d, 0xffffffffffffffff, FF_NV, 0x7ff0000000000001  # sNaN
    test_fp_toint 161, d, fcvt.l.d, 0x7fffffffffffffff, FF_NV, 0x43e0000000000000, rne   # 2^63
    test_fp_toint 162, d, fcvt.l.d, 0x7ffffffffffffc00, 0, 0x43dfffffffffffff, rne   # largest below 2^63
    test_fp_toint 163, d, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000, rne   # -2^63
    test_fp_toint 164, d, fcvt.l.d, 0x8000000000000000, FF_NV, 0xc3e0000000000001, rne
    test_fp_toint 165, d, fcvt.l.d, 0x7fffffffffffffff, FF_NV, 0x7ff0000000000000   # +inf
    test_fp_toint 166, d, fcvt.l.d, 0x8000000000000000, FF_NV, 0xfff0000000000000   # -inf
    test_fp_toint 167, d, fcvt.l.d, 0x7fffffffffffffff, FF_NV, 0x7ff8000000000000   # NaN
    test_fp_toint 168, d, fcvt.lu.d, 0xffffffffffffffff, FF_NV, 0x43f0000000000000, rne   # 2^64
    test_fp_toint 169, d, fcvt.lu.d, 0xfffffffffffff800, 0, 0x43efffffffffffff, rne
    test_fp_toint 170, d, fcvt.lu.d, 0x0000000000000000, FF_NV, 0xbff0000000000000, rne
    test_fp_toint 171, d, fcvt.lu.d, 0x0000000000000000, FF_NX, 0x3fe8000000000000, rdn   # 0.75
    test_fp_toint 172, d, fcvt.lu.d, 0x0000000000000001, FF_NX, 0x3fe8000000000000, rmm
    test_fp_toint 173, d, fcvt.lu.d, 0xffffffffffffffff, FF_NV, 0x7ff0000000000000  # +inf
    test_fp_toint 174, d, fcvt.lu.d, 0x0000000000000000, FF_NV, 0xfff0000000000000  # -inf
    test_fp_toint 175, d, fcvt.lu.d, 0xffffffffffffffff, FF_NV, 0xfff8000000000000  # NaN

    # integer -> double
    test_fp_fromint 176, d, fcvt.d.w, 0xc1e0000000000000, 0, 0xffffffff80000000, rne   # exact
    test_fp_fromint 177, d, fcvt.d.w, 0xbff0000000000000, 0, 0xffffffff, rne   # .w: low word -1
    test_fp_fromint 178, d, fcvt.d.wu, 0x41efffffffe00000, 0, 0xffffffffffffffff, rne   # .wu: 2^32-1
    test_fp_fromint 179, d, fcvt.d.l, 0x4340000000000000, FF_NX, 0x20000000000001, rne   # 2^53 + 1: tie
    test_fp_fromint 180, d, fcvt.d.l, 0x4340000000000000, FF_NX, 0x20000000000001, rtz
    test_fp_fromint 181, d, fcvt.d.l, 0x4340000000000000, FF_NX, 0x20000000000001, rdn
    test_fp_fromint 182, d, fcvt.d.l, 0x4340000000000001, FF_NX, 0x20000000000001, rup
    test_fp_fromint 183, d, fcvt.d.l, 0x4340000000000001, FF_NX, 0x20000000000001, rmm
    test_fp_fromint 184, d, fcvt.d.l, 0xc340000000000002, FF_NX, 0xffdffffffffffffd, rne
    test_fp_fromint 185, d, fcvt.d.l, 0xc340000000000002, FF_NX, 0xffdffffffffffffd, rdn
    test_fp_fromint 186, d, fcvt.d.l, 0xc340000000000001, FF_NX, 0xffdffffffffffffd, rup
    test_fp_fromint 187, d, fcvt.d.l, 0x43e0000000000000, FF_NX, 0x7fffffffffffffff, rne
    test_fp_fromint 188, d, fcvt.d.l, 0x43dfffffffffffff, FF_NX, 0x7fffffffffffffff, rtz
    test_fp_fromint 189, d, fcvt.d.lu, 0x43f0000000000000, FF_NX, 0xffffffffffffffff, rne
    test_fp_fromint 190, d, fcvt.d.lu, 0x43efffffffffffff, FF_NX, 0xffffffffffffffff, rdn
    test_fp_fromint 191, d, fcvt.d.lu, 0x43e0000000000001, FF_NX, 0x8000000000000401, rne   # tie above 2^63... not a tie

    # fcvt.s.d: rounding, overflow, underflow, NaN -> canonical 0x7fc00000
    test_fp_cvt 192, d, s, fcvt.s.d, 0x3f800000, FF_NX, 0x3ff0000010000000, rne   # 1 + 2^-24: tie
    test_fp_cvt 193, d, s, fcvt.s.d, 0x3f800000, FF_NX, 0x3ff0000010000000, rtz
    test_fp_cvt 194, d, s, fcvt.s.d, 0x3f800000, FF_NX, 0x3ff0000010000000, rdn
    test_fp_cvt 195, d, s, fcvt.s.d, 0x3f800001, FF_NX, 0x3ff0000010000000, rup
    test_fp_cvt 196, d, s, fcvt.s.d, 0x3f800001, FF_NX, 0x3ff0000010000000, rmm
    test_fp_cvt 197, d, s, fcvt.s.d, 0xbeaaaaab, FF_NX, 0xbfd5555555555555, rne   # -1/3
    test_fp_cvt 198, d, s, fcvt.s.d, 0xbeaaaaaa, FF_NX, 0xbfd5555555555555, rtz
    test_fp_cvt 199, d, s, fcvt.s.d, 0xbeaaaaab, FF_NX, 0xbfd5555555555555, rdn
    test_fp_cvt 200, d, s, fcvt.s.d, 0xbeaaaaaa, FF_NX, 0xbfd5555555555555, rup
    test_fp_cvt 201, d, s, fcvt.s.d, 0xbeaaaaab, FF_NX, 0xbfd5555555555555, rmm
    test_fp_cvt 202, d, s, fcvt.s.d, 0x3f800000, 0, 0x3ff0000000000000, rne   # exact
    test_fp_cvt 203, d, s, fcvt.s.d, 0x7f800000, FF_OF|FF_NX, 0x47efffffffffffff, rne   # just below 2^128: overflow or max
    test_fp_cvt 204, d, s, fcvt.s.d, 0x7f7fffff, FF_NX, 0x47efffffffffffff, rtz
    test_fp_cvt 205, d, s, fcvt.s.d, 0x7f7fffff, FF_NX, 0x47efffffffffffff, rdn
    test_fp_cvt 206, d, s, fcvt.s.d, 0x7f800000, FF_OF|FF_NX, 0x47efffffffffffff, rup
    test_fp_cvt 207, d, s, fcvt.s.d, 0x7f800000, FF_OF|FF_NX, 0x47efffffffffffff, rmm
    test_fp_cvt 208, d, s, fcvt.s.d, 0x7f7fffff, 0, 0x47efffffe0000000, rne   # max single + half ulp: tie rounds up, overflow
    test_fp_cvt 209, d, s, fcvt.s.d, 0x7f800000, FF_OF|FF_NX, 0x47effffff0000000, rne   # max single + quarter ulp: no overflow
    test_fp_cvt 210, d, s, fcvt.s.d, 0x00800000, 0, 0x3810000000000000, rne   # 2^-126 = min normal single, exact
    test_fp_cvt 211, d, s, fcvt.s.d, 0x00800000, FF_NX, 0x380ffffff0000000, rne   # 2^-126 (1 - 2^-25): rounds to 2^-126 unbounded: not tiny
    test_fp_cvt 212, d, s, fcvt.s.d, 0x00800000, FF_UF|FF_NX, 0x380fffffe0000000, rne   # 2^-126 (1 - 2^-24): tiny after rounding, UF
    test_fp_cvt 213, d, s, fcvt.s.d, 0x00000001, 0, 0x36a0000000000000, rne   # 2^-149 exact subnormal
    test_fp_cvt 214, d, s, fcvt.s.d, 0x00000000, FF_UF|FF_NX, 0x3690000000000000, rne   # 2^-150: tie to 0
    test_fp_cvt 215, d, s, fcvt.s.d, 0x00000001, FF_UF|FF_NX, 0x3690000000000001, rne   # just above 2^-150: to 2^-149
    test_fp_cvt 216, d, s, fcvt.s.d, 0x00000001, FF_UF|FF_NX, 0x0000000000000001, rup   # double subnormal: smallest single
    test_fp_cvt 217, d, s, fcvt.s.d, 0x80000000, FF_UF|FF_NX, 0x8000000000000001, rne   # -0 with UF NX
    test_fp_cvt 218, d, s, fcvt.s.d, 0x7f800000, 0, 0x7ff0000000000000, rne       # inf
    test_fp_cvt 219, d, s, fcvt.s.d, 0x80000000, 0, 0x8000000000000000, rne       # -0
    test_fp_cvt 220, d, s, fcvt.s.d, 0x7fc00000, 0, 0xfff8000012345678, rne       # qNaN: canonical
    test_fp_cvt 221, d, s, fcvt.s.d, 0x7fc00000, FF_NV, 0x7ff0000000000001, rne   # sNaN: NV
    test_fp_cvt 222, d, s, fcvt.s.d, 0x7fc00000, FF_NV, 0x7ff4000020000000, rne   # sNaN whose payload would survive
    # fcvt.d.s: exact, NaN -> canonical 0x7ff8000000000000
    test_fp_cvt 223, s, d, fcvt.d.s, 0x3ff0000020000000, 0, 0x3f800001, rne
    test_fp_cvt 224, s, d, fcvt.d.s, 0x36a0000000000000, 0, 0x00000001, rne       # subnormal single is normal double
    test_fp_cvt 225, s, d, fcvt.d.s, 0xb810000000000000, 0, 0x80800000, rne
    test_fp_cvt 226, s, d, fcvt.d.s, 0x47efffffe0000000, 0, 0x7f7fffff, rtz
    test_fp_cvt 227, s, d, fcvt.d.s, 0xfff0000000000000, 0, 0xff800000, rne
    test_fp_cvt 228, s, d, fcvt.d.s, 0x7ff8000000000000, 0, 0xffc12345, rne       # qNaN: canonical
    test_fp_cvt 229, s, d, fcvt.d.s, 0x7ff8000000000000, FF_NV, 0x7f800001, rne   # sNaN: NV

    # canonical NaN results
    test_fp_op2 230, d, fadd.d, 0x7ff8000000000000, 0, 0xfff8000000000123, 0x3ff0000000000000
    test_fp_op2 231, d, fmul.d, 0x7ff8000000000000, FF_NV, 0x3ff0000000000000, 0xfff0000000000123
    test_fp_op2 232, d, fdiv.d, 0x7ff8000000000000, 0, 0x7ffc000000000000, 0x7ff8000000000001
    # sign injection keeps payloads, raises nothing
    test_fp_op2n 233, d, fsgnj.d,  0xfff0000000000001, 0, 0x7ff0000000000001, 0x8000000000000000
    test_fp_op2n 234, d, fsgnjn.d, 0x7ff8000000000123, 0, 0x7ff8000000000123, 0x8000000000000000
    test_fp_op2n 235, d, fsgnjx.d, 0x3ff0000000000000, 0, 0xbff0000000000000, 0x8000000000000000
    test_fp_op2n 236, d, fsgnjx.d, 0x8000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000

    # fld / fsd move 64 bits unchanged (sNaN payload too); fmv.x.d / fmv.d.x
    test_case 237
    la a1, fp_data
    li a2, 0x7ff0000000000001
    sd a2, 0(a1)
    fld fa0, 0(a1)
    fsd fa0, 8(a1)
    ld a4, 8(a1)
    check a4, 0x7ff0000000000001
    fmv.x.d a4, fa0
    check a4, 0x7ff0000000000001
    check_fflags 0
    test_case 238
    li a2, 0x0123456789abcdef
    fmv.d.x fa0, a2
    fsd fa0, 4(a1)                 # 4-byte aligned: done in hardware
    fld fa1, 4(a1)
    fmv.x.d a4, fa1
    check a4, 0x0123456789abcdef

rvtest_code_end

    .data
    .align 3
fp_data:
    .dword 0, 0
