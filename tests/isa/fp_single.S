# RV64F single precision (Unprivileged ISA 20191213 ch. 11): every rounding
# mode (static and dynamic through frm) on values where they differ, each
# fflags bit and their accrual in fflags/fcsr, fused multiply-add with a
# single rounding, fsqrt, division by zero, fmin/fmax on signed zeros and
# NaNs, comparison NaN rules, fclass, float<->integer conversions with
# saturation (Table 11.4), canonical NaN results (§11.3) and NaN-boxing
# (§12.2). Results are checked as full 64-bit registers (NaN-boxed) and
# fflags exactly. Expected values: exact rational arithmetic rounded per
# IEEE 754-2008, tininess after rounding (§11.4).

rvtest_code_begin

    # fadd: ties and a non-tie in every static rounding mode
    test_fp_op2   2, s, fadd.s, 0x3f800000, FF_NX, 0x3f800000, 0x33800000, rne   # 1 + 2^-24: tie, even is 1.0
    test_fp_op2   3, s, fadd.s, 0x3f800000, FF_NX, 0x3f800000, 0x33800000, rtz
    test_fp_op2   4, s, fadd.s, 0x3f800000, FF_NX, 0x3f800000, 0x33800000, rdn
    test_fp_op2   5, s, fadd.s, 0x3f800001, FF_NX, 0x3f800000, 0x33800000, rup
    test_fp_op2   6, s, fadd.s, 0x3f800001, FF_NX, 0x3f800000, 0x33800000, rmm
    test_fp_op2   7, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000, rne   # (1+2^-23) + 2^-24: tie, even is up
    test_fp_op2   8, s, fadd.s, 0x3f800001, FF_NX, 0x3f800001, 0x33800000, rtz
    test_fp_op2   9, s, fadd.s, 0x3f800001, FF_NX, 0x3f800001, 0x33800000, rdn
    test_fp_op2  10, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000, rup
    test_fp_op2  11, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000, rmm
    test_fp_op2  12, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000, rne   # -1 - 2^-24: negative tie
    test_fp_op2  13, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000, rtz
    test_fp_op2  14, s, fsub.s, 0xbf800001, FF_NX, 0xbf800000, 0x33800000, rdn
    test_fp_op2  15, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000, rup
    test_fp_op2  16, s, fsub.s, 0xbf800001, FF_NX, 0xbf800000, 0x33800000, rmm
    # fdiv 1/3 and fmul -1/3 * 3 (not ties)
    test_fp_op2  17, s, fdiv.s, 0x3eaaaaab, FF_NX, 0x3f800000, 0x40400000, rne
    test_fp_op2  18, s, fdiv.s, 0x3eaaaaaa, FF_NX, 0x3f800000, 0x40400000, rtz
    test_fp_op2  19, s, fdiv.s, 0x3eaaaaaa, FF_NX, 0x3f800000, 0x40400000, rdn
    test_fp_op2  20, s, fdiv.s, 0x3eaaaaab, FF_NX, 0x3f800000, 0x40400000, rup
    test_fp_op2  21, s, fdiv.s, 0x3eaaaaab, FF_NX, 0x3f800000, 0x40400000, rmm
    test_fp_op2  22, s, fmul.s, 0xbf800000, FF_NX, 0xbeaaaaab, 0x40400000, rne   # -0x3eaaaaab * 3
    test_fp_op2  23, s, fmul.s, 0xbf800000, FF_NX, 0xbeaaaaab, 0x40400000, rtz
    test_fp_op2  24, s, fmul.s, 0xbf800001, FF_NX, 0xbeaaaaab, 0x40400000, rdn
    test_fp_op2  25, s, fmul.s, 0xbf800000, FF_NX, 0xbeaaaaab, 0x40400000, rup
    test_fp_op2  26, s, fmul.s, 0xbf800000, FF_NX, 0xbeaaaaab, 0x40400000, rmm

    # dynamic rounding: rm = dyn uses frm
    csrwi frm, 0
    test_fp_op2  27, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000
    test_fp_op2  28, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000
    csrwi frm, 1
    test_fp_op2  29, s, fadd.s, 0x3f800001, FF_NX, 0x3f800001, 0x33800000
    test_fp_op2  30, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000
    csrwi frm, 2
    test_fp_op2  31, s, fadd.s, 0x3f800001, FF_NX, 0x3f800001, 0x33800000
    test_fp_op2  32, s, fsub.s, 0xbf800001, FF_NX, 0xbf800000, 0x33800000
    csrwi frm, 3
    test_fp_op2  33, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000
    test_fp_op2  34, s, fsub.s, 0xbf800000, FF_NX, 0xbf800000, 0x33800000
    csrwi frm, 4
    test_fp_op2  35, s, fadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x33800000
    test_fp_op2  36, s, fsub.s, 0xbf800001, FF_NX, 0xbf800000, 0x33800000
    # a static rm overrides frm
    csrwi frm, 3                  # RUP
    test_fp_op2  37, s, fdiv.s, 0x3eaaaaaa, FF_NX, 0x3f800000, 0x40400000, rtz
    test_fp_op2  38, s, fdiv.s, 0x3eaaaaab, FF_NX, 0x3f800000, 0x40400000, rne
    test_case  39
    csrr a4, frm                  # frm unchanged by the operations
    check a4, 3
    test_case  40
    csrr a4, fcsr                 # fcsr = frm << 5 | fflags (flags cleared)
    check a4, 3 << 5
    csrwi frm, 0

    # each exception flag
    test_fp_op2  41, s, fadd.s, 0x7fc00000, FF_NV, 0x7f800000, 0xff800000   # inf + -inf
    test_fp_op2  42, s, fmul.s, 0x7fc00000, FF_NV, 0x00000000, 0xff800000   # 0 * -inf
    test_fp_op2  43, s, fdiv.s, 0x7fc00000, FF_NV, 0x80000000, 0x00000000   # -0 / 0
    test_fp_op2  44, s, fdiv.s, 0x7fc00000, FF_NV, 0x7f800000, 0xff800000   # inf / -inf
    test_fp_op2  45, s, fdiv.s, 0x7f800000, FF_DZ, 0x3f800000, 0x00000000   # 1 / +0
    test_fp_op2  46, s, fdiv.s, 0x7f800000, FF_DZ, 0xbf800000, 0x80000000   # -1 / -0
    test_fp_op2  47, s, fdiv.s, 0xff800000, FF_DZ, 0x00000001, 0x80000000   # subnormal / -0
    test_fp_op2  48, s, fdiv.s, 0x7f800000, 0, 0x7f800000, 0x00000000       # inf / 0: exact, no DZ
    test_fp_op2  49, s, fdiv.s, 0x00000000, 0, 0x00000000, 0x3f800000       # 0 / 1
    test_fp_op2  50, s, fmul.s, 0x7f800000, FF_OF|FF_NX, 0x7f7fffff, 0x40000000, rne   # overflow
    test_fp_op2  51, s, fmul.s, 0x7f7fffff, FF_OF|FF_NX, 0x7f7fffff, 0x40000000, rtz
    test_fp_op2  52, s, fmul.s, 0x7f7fffff, FF_OF|FF_NX, 0x7f7fffff, 0x40000000, rdn
    test_fp_op2  53, s, fmul.s, 0x7f800000, FF_OF|FF_NX, 0x7f7fffff, 0x40000000, rup
    test_fp_op2  54, s, fmul.s, 0x7f800000, FF_OF|FF_NX, 0x7f7fffff, 0x40000000, rmm
    test_fp_op2  55, s, fmul.s, 0xff800000, FF_OF|FF_NX, 0xff7fffff, 0x40000000, rne
    test_fp_op2  56, s, fmul.s, 0xff800000, FF_OF|FF_NX, 0xff7fffff, 0x40000000, rdn
    test_fp_op2  57, s, fmul.s, 0xff7fffff, FF_OF|FF_NX, 0xff7fffff, 0x40000000, rup
    test_fp_op2  58, s, fadd.s, 0x7f800000, FF_OF|FF_NX, 0x7f7fffff, 0x73000000, rne   # max + half ulp: tie to even rounds up: overflow
    test_fp_op2  59, s, fadd.s, 0x7f7fffff, FF_NX, 0x7f7fffff, 0x72800000, rne   # max + quarter ulp: inexact, no overflow
    # underflow: tiny and inexact (tininess after rounding)
    test_fp_op2  60, s, fmul.s, 0x00400000, 0, 0x00800000, 0x3f000000, rne   # 2^-127 exact subnormal: no flag
    test_fp_op2  61, s, fmul.s, 0x00000000, FF_UF|FF_NX, 0x00000001, 0x3f000000, rne   # 2^-150 -> 0
    test_fp_op2  62, s, fmul.s, 0x00000001, FF_UF|FF_NX, 0x00000001, 0x3f000000, rup   # 2^-150 -> 2^-149
    test_fp_op2  63, s, fmul.s, 0x80000001, FF_UF|FF_NX, 0x80000001, 0x3f000000, rdn
    test_fp_op2  64, s, fmul.s, 0x80000000, FF_UF|FF_NX, 0x80000001, 0x3f000000, rne   # -> -0
    test_fp_op2  65, s, fmul.s, 0x00800000, FF_UF|FF_NX, 0x3f7fffff, 0x00800000, rne   # (1-2^-24)*2^-126 rounds to 2^-126 but is tiny after rounding
    test_fp_op2  66, s, fmul.s, 0x007fffff, FF_UF|FF_NX, 0x3f7fffff, 0x00800000, rtz
    test_fp_op2  67, s, fmul.s, 0x00000002, FF_UF|FF_NX, 0x00000003, 0x3f000000, rne   # 1.5 * 2^-149: tie, to 2^-148
    test_fp_op2  68, s, fdiv.s, 0x00800000, FF_UF|FF_NX, 0x00800000, 0x3f800001, rup   # just below 2^-126, RUP -> 2^-126: tiny after rounding? (unbounded result < 2^-126)

    # flags accrue (sticky) in fflags and fcsr until software clears them
    test_case  69
    csrwi fflags, 0
    fp_in_s fa0, 0x3f800000
    fp_in_s fa1, 0x00000000
    fdiv.s fa3, fa0, fa1           # DZ
    fp_in_s fa1, 0x40400000
    fdiv.s fa3, fa0, fa1           # NX
    fadd.s fa3, fa0, fa0           # exact: leaves the flags alone
    csrr a4, fflags
    check a4, FF_DZ|FF_NX
    fp_in_s fa0, 0x7f7fffff
    fmul.s fa3, fa0, fa0           # OF NX
    fp_in_s fa0, 0xbf800000
    fsqrt.s fa3, fa0               # NV
    fp_in_s fa0, 0x00000001
    fmul.s fa3, fa0, fa1           # 3 * 2^-149 exact
    fdiv.s fa3, fa0, fa1           # UF NX
    csrr a4, fflags
    check a4, 0x1f
    csrwi frm, 2
    csrr a4, fcsr
    check a4, (2 << 5) | 0x1f
    fsflags a5, zero               # swap: returns the old flags, clears them
    check a5, 0x1f
    csrr a4, fcsr
    check a4, 2 << 5
    test_case  70
    li a1, 0xffffffff
    csrw fflags, a1                # fflags is 5 bits; frm untouched
    csrr a4, fflags
    check a4, 0x1f
    csrr a4, frm
    check a4, 2
    csrw fcsr, a1                  # fcsr is 8 bits
    csrr a4, fcsr
    check a4, 0xff
    csrr a4, frm
    check a4, 7
    csrwi fcsr, 0

    # fused multiply-add: one rounding (a = 1 + 2^-23, a*a = 1 + 2^-22 + 2^-46)
    test_fp_op3  71, s, fmadd.s, 0x28800000, 0, 0x3f800001, 0x3f800001, 0xbf800002, rne   # a*a - (1+2^-22) = 2^-46 exactly
    test_fp_op3  72, s, fmsub.s, 0x28800000, 0, 0x3f800001, 0x3f800001, 0x3f800002, rne
    test_fp_op3  73, s, fnmadd.s, 0xa8800000, 0, 0x3f800001, 0x3f800001, 0xbf800002, rne   # -(a*a) + (1+2^-22)
    test_fp_op3  74, s, fnmsub.s, 0xa8800000, 0, 0x3f800001, 0x3f800001, 0x3f800002, rne
    test_fp_op3  75, s, fmadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x3f800001, 0x80000000, rne   # a*a + -0 = 1 + 2^-22 + 2^-46, inexact
    test_fp_op3  76, s, fmadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x3f800001, 0x80000000, rtz
    test_fp_op3  77, s, fmadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x3f800001, 0x80000000, rdn
    test_fp_op3  78, s, fmadd.s, 0x3f800003, FF_NX, 0x3f800001, 0x3f800001, 0x80000000, rup
    test_fp_op3  79, s, fmadd.s, 0x3f800002, FF_NX, 0x3f800001, 0x3f800001, 0x80000000, rmm
    test_fp_op3  80, s, fnmsub.s, 0xb4800000, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rne   # -(a*a) + 1 = -(2^-22 + 2^-46)
    test_fp_op3  81, s, fnmsub.s, 0xb4800001, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rdn
    test_fp_op3  82, s, fnmsub.s, 0xb4800000, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rup
    test_fp_op3  83, s, fnmadd.s, 0xc0000001, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rne
    test_fp_op3  84, s, fnmadd.s, 0xc0000002, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rdn
    test_fp_op3  85, s, fnmadd.s, 0xc0000001, FF_NX, 0x3f800001, 0x3f800001, 0x3f800000, rup
    test_fp_op3  86, s, fmadd.s, 0x7f7fffff, 0, 0x7f7fffff, 0x40000000, 0xff7fffff, rne   # product overflows, the sum does not
    test_fp_op3  87, s, fmadd.s, 0x7fc00000, FF_NV, 0x7f800000, 0x00000000, 0x7fc00000   # inf*0 + qNaN: NV anyway
    test_fp_op3  88, s, fmadd.s, 0x7fc00000, FF_NV, 0x7f800000, 0x3f800000, 0xff800000   # inf - inf
    test_fp_op3  89, s, fmsub.s, 0x7fc00000, 0, 0x3f800000, 0x7fc12345, 0x3f800000       # qNaN in: canonical NaN, no flag
    test_fp_op3  90, s, fnmadd.s, 0x7fc00000, FF_NV, 0x3f800000, 0x3f800000, 0xff800001  # sNaN addend
    test_fp_op3  91, s, fmadd.s, 0x80000000, 0, 0x80000000, 0x3f800000, 0x80000000      # -0*1 + -0 = -0
    test_fp_op3  92, s, fmadd.s, 0x00000000, 0, 0x80000000, 0x3f800000, 0x00000000      # -0 + +0 = +0 (RNE)
    test_fp_op3  93, s, fmadd.s, 0x80000000, 0, 0x80000000, 0x3f800000, 0x00000000, rdn # -0 + +0 = -0 (RDN)

    # fsqrt
    test_fp_op1  94, s, fsqrt.s, 0x40000000, 0, 0x40800000, rne   # sqrt(4) = 2 exact
    test_fp_op1  95, s, fsqrt.s, 0x3fb504f3, FF_NX, 0x40000000, rne
    test_fp_op1  96, s, fsqrt.s, 0x3fb504f3, FF_NX, 0x40000000, rtz
    test_fp_op1  97, s, fsqrt.s, 0x3fb504f3, FF_NX, 0x40000000, rdn
    test_fp_op1  98, s, fsqrt.s, 0x3fb504f4, FF_NX, 0x40000000, rup
    test_fp_op1  99, s, fsqrt.s, 0x3fb504f3, FF_NX, 0x40000000, rmm
    test_fp_op1 100, s, fsqrt.s, 0x1a3504f3, FF_NX, 0x00000001, rne   # sqrt(2^-149) = 2^-74.5
    test_fp_op1 101, s, fsqrt.s, 0x80000000, 0, 0x80000000          # sqrt(-0) = -0
    test_fp_op1 102, s, fsqrt.s, 0x7f800000, 0, 0x7f800000          # sqrt(inf) = inf
    test_fp_op1 103, s, fsqrt.s, 0x7fc00000, FF_NV, 0xbf800000      # sqrt(-1): NV, canonical NaN
    test_fp_op1 104, s, fsqrt.s, 0x7fc00000, FF_NV, 0xff800000      # sqrt(-inf)
    test_fp_op1 105, s, fsqrt.s, 0x7fc00000, FF_NV, 0x80000001      # sqrt(-subnormal)
    test_fp_op1 106, s, fsqrt.s, 0x7fc00000, 0, 0xffc00001          # qNaN: canonical, no flag
    test_fp_op1 107, s, fsqrt.s, 0x7fc00000, FF_NV, 0x7f800001      # sNaN: NV

    # fmin / fmax: -0 < +0; a quiet NaN loses to a number; a signalling NaN
    # also sets NV; two NaNs give the canonical NaN (§11.6, 2.2 semantics)
    test_fp_op2n 108, s, fmin.s, 0x80000000, 0, 0x80000000, 0x00000000
    test_fp_op2n 109, s, fmin.s, 0x80000000, 0, 0x00000000, 0x80000000
    test_fp_op2n 110, s, fmax.s, 0x00000000, 0, 0x80000000, 0x00000000
    test_fp_op2n 111, s, fmax.s, 0x00000000, 0, 0x00000000, 0x80000000
    test_fp_op2n 112, s, fmin.s, 0xbf800000, 0, 0x3f800000, 0xbf800000
    test_fp_op2n 113, s, fmax.s, 0x3f800000, 0, 0x3f800000, 0xbf800000
    test_fp_op2n 114, s, fmin.s, 0x3f800000, 0, 0x7fc00000, 0x3f800000
    test_fp_op2n 115, s, fmin.s, 0x3f800000, 0, 0x3f800000, 0xffc12345
    test_fp_op2n 116, s, fmax.s, 0xff800000, 0, 0x7fc00000, 0xff800000
    test_fp_op2n 117, s, fmin.s, 0x3f800000, FF_NV, 0x7f800001, 0x3f800000
    test_fp_op2n 118, s, fmax.s, 0x3f800000, FF_NV, 0x3f800000, 0x7fa00000
    test_fp_op2n 119, s, fmin.s, 0x7fc00000, 0, 0x7fc00000, 0xffc12345
    test_fp_op2n 120, s, fmax.s, 0x7fc00000, FF_NV, 0x7f800001, 0x7fc00000
    test_fp_op2n 121, s, fmin.s, 0x7fc00000, FF_NV, 0x7f800001, 0xff800001

    # comparisons: feq is quiet (NV only for a signalling NaN), flt/fle are
    # signalling (NV for any NaN); -0 == +0
    test_fp_cmp 122, s, feq.s, 1, 0, 0x80000000, 0x00000000
    test_fp_cmp 123, s, flt.s, 0, 0, 0x80000000, 0x00000000
    test_fp_cmp 124, s, fle.s, 1, 0, 0x80000000, 0x00000000
    test_fp_cmp 125, s, flt.s, 1, 0, 0xbf800000, 0x3f800000
    test_fp_cmp 126, s, flt.s, 0, 0, 0x3f800000, 0x3f800000
    test_fp_cmp 127, s, fle.s, 1, 0, 0x3f800000, 0x3f800000
    test_fp_cmp 128, s, fle.s, 0, 0, 0x3f800001, 0x3f800000
    test_fp_cmp 129, s, flt.s, 1, 0, 0xff800000, 0xff7fffff
    test_fp_cmp 130, s, feq.s, 0, 0, 0x7fc00000, 0x7fc00000
    test_fp_cmp 131, s, feq.s, 0, 0, 0x3f800000, 0x7fc00000
    test_fp_cmp 132, s, feq.s, 0, FF_NV, 0x7f800001, 0x3f800000
    test_fp_cmp 133, s, feq.s, 0, FF_NV, 0x3f800000, 0xff800001
    test_fp_cmp 134, s, flt.s, 0, FF_NV, 0x7fc00000, 0x3f800000
    test_fp_cmp 135, s, flt.s, 0, FF_NV, 0x3f800000, 0x7fc00000
    test_fp_cmp 136, s, fle.s, 0, FF_NV, 0x7fc00000, 0x3f800000
    test_fp_cmp 137, s, fle.s, 0, FF_NV, 0x3f800000, 0x7f800001

    # fclass: one result bit per class (Table 11.5)
    test_fp_class 138, s, 0x1, 0xff800000   # -inf
    test_fp_class 139, s, 0x2, 0xbf800000   # -normal
    test_fp_class 140, s, 0x4, 0x807fffff   # -subnormal
    test_fp_class 141, s, 0x8, 0x80000000   # -0
    test_fp_class 142, s, 0x10, 0x00000000   # +0
    test_fp_class 143, s, 0x20, 0x00000001   # +subnormal
    test_fp_class 144, s, 0x40, 0x7f7fffff   # +normal
    test_fp_class 145, s, 0x80, 0x7f800000   # +inf
    test_fp_class 146, s, 0x100, 0x7f800001   # signalling NaN
    test_fp_class 147, s, 0x100, 0xffbfffff   # signalling NaN, negative
    test_fp_class 148, s, 0x200, 0x7fc00000   # quiet NaN
    test_fp_class 149, s, 0x200, 0xffffffff   # quiet NaN, negative

    # float -> integer: rounding in each mode, NX when inexact
    test_fp_toint 150, s, fcvt.w.s, 0x0000000000000002, FF_NX, 0x40200000, rne   # 2.5
    test_fp_toint 151, s, fcvt.w.s, 0x0000000000000002, FF_NX, 0x40200000, rtz
    test_fp_toint 152, s, fcvt.w.s, 0x0000000000000002, FF_NX, 0x40200000, rdn
    test_fp_toint 153, s, fcvt.w.s, 0x0000000000000003, FF_NX, 0x40200000, rup
    test_fp_toint 154, s, fcvt.w.s, 0x0000000000000003, FF_NX, 0x40200000, rmm
    test_fp_toint 155, s, fcvt.w.s, 0xfffffffffffffffe, FF_NX, 0xc0200000, rne   # -2.5
    test_fp_toint 156, s, fcvt.w.s, 0xfffffffffffffffe, FF_NX, 0xc0200000, rtz
    test_fp_toint 157, s, fcvt.w.s, 0xfffffffffffffffd, FF_NX, 0xc0200000, rdn
    test_fp_toint 158, s, fcvt.w.s, 0xfffffffffffffffe, FF_NX, 0xc0200000, rup
    test_fp_toint 159, s, fcvt.w.s, 0xfffffffffffffffd, FF_NX, 0xc0200000, rmm
    test_fp_toint 160, s, fcvt.l.s, 0xfffffffffffffffe, FF_NX, 0xbfc00000, rne   # -1.5
    test_fp_toint 161, s, fcvt.l.s, 0xfffffffffffffffe, FF_NX, 0xbfc00000, rmm   # -1.5
    test_fp_toint 162, s, fcvt.l.s, 0x0000000000000000, FF_NX, 0x3f000000, rne   # 0.5 -> 0
    test_fp_toint 163, s, fcvt.w.s, 0x0000000000000003, 0, 0x40400000, rne   # exact
    # saturation and NaN (Table 11.4): NV, no NX
    test_fp_toint 164, s, fcvt.w.s, 0x000000007fffffff, FF_NV, 0x4f000000, rne   # 2^31: too large
    test_fp_toint 165, s, fcvt.w.s, 0xffffffff80000000, 0, 0xcf000000, rne   # -2^31: fits
    test_fp_toint 166, s, fcvt.w.s, 0xffffffff80000000, FF_NV, 0xcf000001, rne   # below -2^31
    test_fp_toint 167, s, fcvt.w.s, 0x000000007fffff80, 0, 0x4effffff, rne   # largest single below 2^31
    test_fp_toint 168, s, fcvt.w.s, 0x000000007fffffff, FF_NV, 0x7f800000   # +inf
    test_fp_toint 169, s, fcvt.w.s, 0xffffffff80000000, FF_NV, 0xff800000   # -inf
    test_fp_toint 170, s, fcvt.w.s, 0x000000007fffffff, FF_NV, 0x7fc00000   # qNaN: 2^31-1
    test_fp_toint 171, s, fcvt.w.s, 0x000000007fffffff, FF_NV, 0xffc00000   # negative NaN: 2^31-1 too
    test_fp_toint 172, s, fcvt.wu.s, 0xffffffffffffffff, FF_NV, 0x4f800000, rne   # 2^32: too large
    test_fp_toint 173, s, fcvt.wu.s, 0xffffffffffffff00, 0, 0x4f7fffff, rne   # fits; result sign-extended from bit 31
    test_fp_toint 174, s, fcvt.wu.s, 0x0000000000000000, FF_NV, 0xbf800000, rne   # -1: NV, 0
    test_fp_toint 175, s, fcvt.wu.s, 0x0000000000000000, FF_NX, 0xbf000000, rtz   # -0.5 rounds to 0: only NX
    test_fp_toint 176, s, fcvt.wu.s, 0x0000000000000000, FF_NV, 0xbf000000, rdn   # -0.5 rounds to -1: NV
    test_fp_toint 177, s, fcvt.wu.s, 0x0000000000000000, FF_NX, 0xbf7fffff, rup
    test_fp_toint 178, s, fcvt.wu.s, 0xffffffffffffffff, FF_NV, 0x7f800000  # +inf: 2^32-1, sign-extended
    test_fp_toint 179, s, fcvt.wu.s, 0x0000000000000000, FF_NV, 0xff800000  # -inf: 0
    test_fp_toint 180, s, fcvt.wu.s, 0xffffffffffffffff, FF_NV, 0x7f800001  # sNaN: 2^32-1
    test_fp_toint 181, s, fcvt.l.s, 0x7fffffffffffffff, FF_NV, 0x5f000000, rne   # 2^63: too large
    test_fp_toint 182, s, fcvt.l.s, 0x8000000000000000, 0, 0xdf000000, rne   # -2^63 fits
    test_fp_toint 183, s, fcvt.l.s, 0x8000000000000000, FF_NV, 0xdf000001, rne
    test_fp_toint 184, s, fcvt.l.s, 0x7fffff8000000000, 0, 0x5effffff, rne
    test_fp_toint 185, s, fcvt.l.s, 0x7fffffffffffffff, FF_NV, 0x7f800000   # +inf
    test_fp_toint 186, s, fcvt.l.s, 0x8000000000000000, FF_NV, 0xff800000   # -inf
    test_fp_toint 187, s, fcvt.l.s, 0x7fffffffffffffff, FF_NV, 0xffc00000   # NaN
    test_fp_toint 188, s, fcvt.lu.s, 0xffffffffffffffff, FF_NV, 0x5f800000, rne   # 2^64
    test_fp_toint 189, s, fcvt.lu.s, 0xffffff0000000000, 0, 0x5f7fffff, rne
    test_fp_toint 190, s, fcvt.lu.s, 0x0000000000000000, FF_NV, 0xbf800000, rne
    test_fp_toint 191, s, fcvt.lu.s, 0x0000000000000000, FF_NX, 0xbe800000, rmm   # -0.25 -> -0: NX only
    test_fp_toint 192, s, fcvt.lu.s, 0xffffffffffffffff, FF_NV, 0x7f800000  # +inf
    test_fp_toint 193, s, fcvt.lu.s, 0x0000000000000000, FF_NV, 0xff800000  # -inf
    test_fp_toint 194, s, fcvt.lu.s, 0xffffffffffffffff, FF_NV, 0x7fc00000  # NaN
    test_fp_toint 195, s, fcvt.w.s, 0x0000000000000000, 0, 0x80000000      # -0 -> 0, exact

    # integer -> float: rounding
    test_fp_fromint 196, s, fcvt.s.w, 0x4b800000, FF_NX, 0x1000001, rne   # 2^24+1: tie
    test_fp_fromint 197, s, fcvt.s.w, 0x4b800000, FF_NX, 0x1000001, rtz
    test_fp_fromint 198, s, fcvt.s.w, 0x4b800000, FF_NX, 0x1000001, rdn
    test_fp_fromint 199, s, fcvt.s.w, 0x4b800001, FF_NX, 0x1000001, rup
    test_fp_fromint 200, s, fcvt.s.w, 0x4b800001, FF_NX, 0x1000001, rmm
    test_fp_fromint 201, s, fcvt.s.w, 0xcb800002, FF_NX, 0xfffffffffefffffd, rne   # -(2^24+3): tie
    test_fp_fromint 202, s, fcvt.s.w, 0xcb800002, FF_NX, 0xfffffffffefffffd, rdn
    test_fp_fromint 203, s, fcvt.s.w, 0xcb800001, FF_NX, 0xfffffffffefffffd, rup
    test_fp_fromint 204, s, fcvt.s.w, 0x40400000, 0, 0xffffffff00000003, rne   # .w uses the low 32 bits only
    test_fp_fromint 205, s, fcvt.s.w, 0xcf000000, 0, 0x80000000, rne   # low word is -2^31
    test_fp_fromint 206, s, fcvt.s.wu, 0x4f800000, FF_NX, 0xffffffff, rne
    test_fp_fromint 207, s, fcvt.s.wu, 0x4f7fffff, FF_NX, 0x12345678ffffffff, rtz   # .wu: low 32 bits, unsigned
    test_fp_fromint 208, s, fcvt.s.l, 0x5f000000, FF_NX, 0x7fffffffffffffff, rne
    test_fp_fromint 209, s, fcvt.s.l, 0x5effffff, FF_NX, 0x7fffffffffffffff, rtz
    test_fp_fromint 210, s, fcvt.s.l, 0xdf000000, 0, 0x8000000000000000, rne   # -2^63 exact
    test_fp_fromint 211, s, fcvt.s.l, 0xdeffffff, FF_NX, 0x8000000000000001, rup
    test_fp_fromint 212, s, fcvt.s.lu, 0x5f800000, FF_NX, 0xffffffffffffffff, rne
    test_fp_fromint 213, s, fcvt.s.lu, 0x5f7fffff, FF_NX, 0xffffffffffffffff, rdn
    test_fp_fromint 214, s, fcvt.s.w, 0x00000000, 0, 0x0, rdn   # 0 -> +0 even in RDN
    test_fp_fromint 215, s, fcvt.s.lu, 0x4b7fffff, 0, 0xffffff, rne   # exact

    # canonical NaN results (§11.3): never a payload or sign from an input
    test_fp_op2 216, s, fadd.s, 0x7fc00000, 0, 0xffc12345, 0x3f800000      # negative qNaN with payload
    test_fp_op2 217, s, fmul.s, 0x7fc00000, FF_NV, 0x7f812345, 0x3f800000  # sNaN with payload
    test_fp_op2 218, s, fsub.s, 0x7fc00000, FF_NV, 0x7fc00001, 0xff800001  # qNaN and sNaN
    test_fp_op2 219, s, fdiv.s, 0x7fc00000, 0, 0x3f800000, 0xffc00000

    # sign injection does not canonicalise, never raises flags
    test_fp_op2n 220, s, fsgnj.s,  0xffc12345, 0, 0x7fc12345, 0xbf800000
    test_fp_op2n 221, s, fsgnjn.s, 0x7f800001, 0, 0x7f800001, 0xbf800000
    test_fp_op2n 222, s, fsgnjx.s, 0x3f800000, 0, 0xbf800000, 0xbf800000
    test_fp_op2n 223, s, fsgnjx.s, 0x80000000, 0, 0x00000000, 0x80000000

    # NaN-boxing (§12.2): a single whose upper 32 bits are not all ones is the
    # canonical NaN to every single operation except the transfers
    # (flw/fsw/fmv.w.x/fmv.x.w)
.macro improper reg, bits
    li t0, \bits
    fmv.d.x \reg, t0
.endm
    test_case 224
    improper fa0, 0x000000003f800000   # 1.0 with upper half 0
    fp_in_s fa1, 0x3f800000
    fadd.s fa3, fa0, fa1
    check_fflags 0
    fp_check_s fa3, 0x7fc00000
    test_case 225
    improper fa0, 0xfffffffe3f800000   # one upper bit clear is enough
    fmul.s fa3, fa1, fa0
    check_fflags 0
    fp_check_s fa3, 0x7fc00000
    test_case 226
    improper fa0, 0x000000003f800000
    fsgnj.s fa3, fa0, fa1               # canonical NaN with fa1's sign (+)
    check_fflags 0
    fp_check_s fa3, 0x7fc00000
    fp_in_s fa1, 0xbf800000
    fsgnj.s fa3, fa0, fa1               # canonical NaN with fa1's sign (-)
    fp_check_s fa3, 0xffc00000
    fp_in_s fa2, 0x40000000
    fsgnjx.s fa3, fa2, fa0              # improper rs2 = canonical NaN: sign 0
    fp_check_s fa3, 0x40000000
    fsgnjn.s fa3, fa2, fa0              # not(sign 0) = 1
    fp_check_s fa3, 0xc0000000
    test_case 227
    improper fa0, 0x00000000bf800000
    fclass.s a4, fa0                    # quiet NaN
    check a4, 0x200
    feq.s a4, fa0, fa0                  # quiet NaN: 0, no NV
    check a4, 0
    check_fflags 0
    fmin.s fa3, fa0, fa2                # the other operand
    fp_check_s fa3, 0x40000000
    fcvt.w.s a4, fa0, rtz               # NaN -> 2^31-1, NV
    check a4, 0x7fffffff
    check_fflags FF_NV
    fcvt.d.s fa3, fa0                   # canonical double NaN
    fmv.x.d a4, fa3
    check a4, 0x7ff8000000000000
    check_fflags 0
    test_case 228
    improper fa0, 0x1234567887654321
    fmv.x.w a4, fa0                     # transfer: low 32 bits, sign-extended
    check a4, 0xffffffff87654321
    improper fa0, 0xffffffff12345678
    fmv.x.w a4, fa0
    check a4, 0x12345678
    test_case 229
    li a1, 0xabcdef0112345678
    fmv.w.x fa0, a1                     # boxes the low 32 bits
    fmv.x.d a4, fa0
    check a4, 0xffffffff12345678
    test_case 230
    la a1, fp_data
    li a2, -1
    sd a2, 0(a1)
    improper fa0, 0x000000003f800000
    fsw fa0, 0(a1)                      # stores the raw low 32 bits
    ld a4, 0(a1)
    check a4, 0xffffffff3f800000
    flw fa3, 0(a1)                      # flw boxes
    fmv.x.d a4, fa3
    check a4, 0xffffffff3f800000
    flw fa3, 4(a1)
    fmv.x.d a4, fa3
    check a4, 0xffffffffffffffff
    fsd fa0, 0(a1)                      # fsd stores all 64 bits
    ld a4, 0(a1)
    check a4, 0x000000003f800000
    check_fflags 0

rvtest_code_end

    .data
    .align 3
fp_data:
    .dword 0, 0
