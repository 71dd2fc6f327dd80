//! RISC-V "F" and "D" standard extension arithmetic (Unprivileged ISA 20191213,
//! chapters 11 and 12), bit-exact with IEEE 754-2008 as profiled by RISC-V.
//!
//! All rounding-sensitive arithmetic goes through `rustc_apfloat`; everything
//! that is a pure bit manipulation (sign injection, moves, classification,
//! comparisons, min/max, NaN handling) is done directly on the encodings.
//!
//! RISC-V specifics implemented here (beyond plain IEEE 754):
//! * No NaN payload propagation: every computational instruction that yields a
//!   NaN yields the canonical NaN (§11.3).
//! * Tininess is detected *after* rounding (§11.3), and the underflow flag is
//!   raised only for tiny *and* inexact results (IEEE 754 §7.5 default
//!   handling).
//! * NaN-boxing of single-precision values in the 64-bit f registers (§12.2).
//! * Saturating float→integer conversions (§11.7, Table 11.4).
//!
//! Known deviations of `rustc_apfloat` 0.2 from IEEE 754 that are corrected
//! here (see [`fix_range_flags`]):
//! * it detects tininess on the result rounded to the destination precision
//!   *with* the bounded exponent range, so a result that rounds up to the
//!   smallest normal number never reports underflow;
//! * it does not report overflow when rounding toward zero (or away from the
//!   infinity of the result's sign) turns an overflowing result into the
//!   largest finite number.
//!
//! Square root is not provided by `rustc_apfloat`; it is computed exactly here
//! with an integer square root and a single final rounding.

use rustc_apfloat::ieee::{Double, IeeeFloat, Semantics, Single};
use rustc_apfloat::{Float, FloatConvert, Round, Status, StatusAnd};

/// Rounding modes, encoding of the `rm` field / `frm` CSR (Unprivileged ISA §11.2,
/// Table 11.1). The value 7 (DYN) is resolved by the caller; 5 and 6 are reserved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingMode {
    /// Round to nearest, ties to even.
    Rne = 0,
    /// Round towards zero.
    Rtz = 1,
    /// Round down (towards −∞).
    Rdn = 2,
    /// Round up (towards +∞).
    Rup = 3,
    /// Round to nearest, ties to max magnitude.
    Rmm = 4,
}

impl RoundingMode {
    /// Decodes a 3-bit `rm`/`frm` value (§11.2, Table 11.1). Returns `None` for
    /// the reserved encodings 5 and 6 and for DYN (7), which the caller resolves.
    pub fn from_bits(b: u8) -> Option<Self> {
        match b {
            0 => Some(Self::Rne),
            1 => Some(Self::Rtz),
            2 => Some(Self::Rdn),
            3 => Some(Self::Rup),
            4 => Some(Self::Rmm),
            _ => None,
        }
    }

    #[inline]
    fn round(self) -> Round {
        match self {
            Self::Rne => Round::NearestTiesToEven,
            Self::Rtz => Round::TowardZero,
            Self::Rdn => Round::TowardNegative,
            Self::Rup => Round::TowardPositive,
            Self::Rmm => Round::NearestTiesToAway,
        }
    }
}

/// fflags: inexact (§11.2, Table 11.2).
pub const NX: u8 = 1;
/// fflags: underflow (§11.2, Table 11.2).
pub const UF: u8 = 2;
/// fflags: overflow (§11.2, Table 11.2).
pub const OF: u8 = 4;
/// fflags: divide by zero (§11.2, Table 11.2).
pub const DZ: u8 = 8;
/// fflags: invalid operation (§11.2, Table 11.2).
pub const NV: u8 = 16;

/// Canonical single-precision NaN (§11.3): positive, quiet, all payload bits clear.
pub const CANONICAL_NAN_S: u32 = 0x7fc0_0000;
/// Canonical double-precision NaN (§12.3).
pub const CANONICAL_NAN_D: u64 = 0x7ff8_0000_0000_0000;

const BOX_MASK: u64 = 0xffff_ffff_0000_0000;

/// NaN-boxing (§12.2): a single in a 64-bit f register is valid only if the
/// upper 32 bits are all 1s; otherwise it reads as the canonical NaN.
#[inline]
pub fn unbox_s(reg: u64) -> u32 {
    if reg & BOX_MASK == BOX_MASK {
        reg as u32
    } else {
        CANONICAL_NAN_S
    }
}

/// NaN-boxes a single-precision value for writing to a 64-bit f register (§12.2).
#[inline]
pub fn box_s(v: u32) -> u64 {
    BOX_MASK | u64::from(v)
}

/// Floating-point operations of the F (§11.4–§11.8) and D (§12.3–§12.6) extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FpOp {
    /// fadd (§11.6).
    Add,
    /// fsub (§11.6).
    Sub,
    /// fmul (§11.6).
    Mul,
    /// fdiv (§11.6).
    Div,
    /// fsqrt (§11.6).
    Sqrt,
    /// fmin (§11.6): IEEE 754-2019 minimumNumber.
    Min,
    /// fmax (§11.6): IEEE 754-2019 maximumNumber.
    Max,
    /// fmadd: `a*b + c`, single rounding (§11.6).
    Madd,
    /// fmsub: `a*b - c` (§11.6).
    Msub,
    /// fnmsub: `-(a*b) + c` (§11.6).
    Nmsub,
    /// fnmadd: `-(a*b) - c` (§11.6).
    Nmadd,
    /// fsgnj (§11.7).
    Sgnj,
    /// fsgnjn (§11.7).
    Sgnjn,
    /// fsgnjx (§11.7).
    Sgnjx,
    /// feq, quiet comparison (§11.8).
    Eq,
    /// flt, signalling comparison (§11.8).
    Lt,
    /// fle, signalling comparison (§11.8).
    Le,
    /// fclass (§11.9, Table 11.5).
    Class,
    /// fcvt.w.{s,d}: float → signed 32-bit, result sign-extended (§11.7, Table 11.4).
    CvtWFromF,
    /// fcvt.wu.{s,d}: float → unsigned 32-bit, result sign-extended (§11.7).
    CvtWuFromF,
    /// fcvt.l.{s,d}: float → signed 64-bit (§11.7).
    CvtLFromF,
    /// fcvt.lu.{s,d}: float → unsigned 64-bit (§11.7).
    CvtLuFromF,
    /// fcvt.{s,d}.w: signed 32-bit (low half of `a`) → float (§11.7).
    CvtFFromW,
    /// fcvt.{s,d}.wu: unsigned 32-bit (low half of `a`) → float (§11.7).
    CvtFFromWu,
    /// fcvt.{s,d}.l: signed 64-bit → float (§11.7).
    CvtFFromL,
    /// fcvt.{s,d}.lu: unsigned 64-bit → float (§11.7).
    CvtFFromLu,
    /// fcvt.s.d (§12.5): `a` is a double, the result a NaN-boxed single.
    CvtSFromD,
    /// fcvt.d.s (§12.5): `a` is a (boxed) single, the result a double; exact.
    CvtDFromS,
    /// fmv.x.w / fmv.x.d (§11.7, §12.5): raw bits, fmv.x.w sign-extends the low 32 bits.
    MvXFromF,
    /// fmv.w.x / fmv.d.x (§11.7, §12.5): raw bits, fmv.w.x NaN-boxes the low 32 bits.
    MvFFromX,
}

/// Operand format (the instruction's `fmt` field, §11.6 / §12.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// Single precision (F extension).
    S,
    /// Double precision (D extension).
    D,
}

/// Result: `value` is the raw 64-bit value to write to the destination register
/// (f register: NaN-boxed if single; x register: per spec, e.g. fcvt.w results
/// and fmv.x.w sign-extended from 32 bits, feq/flt/fle 0/1, fclass a one-hot
/// mask), `flags` the fflags to OR into fcsr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FpOut {
    /// Raw value for the destination register.
    pub value: u64,
    /// Accrued exception flags to OR into `fflags` (§11.2).
    pub flags: u8,
}

impl FpOut {
    #[inline]
    const fn new(value: u64, flags: u8) -> Self {
        Self { value, flags }
    }
}

/// Execute one F/D operation. `a`, `b`, `c` are raw source register values (f
/// registers raw 64-bit, unboxed inside as needed; for integer-source ops `a`
/// is the x register value). `prec` is the instruction's fmt (for CvtSFromD
/// prec=S, for CvtDFromS prec=D; those two ops imply their formats and ignore
/// `prec`). `rm` is the already-resolved rounding mode (dynamic frm resolution
/// and illegal-rm checks are done by the caller).
pub fn execute(op: FpOp, prec: Precision, a: u64, b: u64, c: u64, rm: RoundingMode) -> FpOut {
    match op {
        FpOp::CvtSFromD => cvt_s_from_d(a, rm),
        FpOp::CvtDFromS => cvt_d_from_s(a),
        _ => match prec {
            Precision::S => exec::<Sf>(op, a, b, c, rm),
            Precision::D => exec::<Df>(op, a, b, c, rm),
        },
    }
}

// ---------------------------------------------------------------------------
// Format descriptions
// ---------------------------------------------------------------------------

/// Single precision with the exponent range of a double: same rounding
/// precision as `Single`, but (for our purposes) an unbounded exponent.
/// Used to detect tininess after rounding and overflow (IEEE 754 §7.4, §7.5).
struct SingleWideS;
impl Semantics for SingleWideS {
    const BITS: usize = 24 + 11;
    const EXP_BITS: usize = 11;
}

/// Double precision with a 15-bit exponent; see [`SingleWideS`].
struct DoubleWideS;
impl Semantics for DoubleWideS {
    const BITS: usize = 53 + 15;
    const EXP_BITS: usize = 15;
}

/// Description of an IEEE binary interchange format held in an f register.
trait Fmt {
    /// `rustc_apfloat` type of this format.
    type F: Float + FloatConvert<Self::W>;
    /// Same precision, wider exponent range.
    type W: Float;
    /// Number of explicit fraction bits (precision − 1).
    const FRAC_BITS: u32;
    /// Number of exponent bits.
    const EXP_BITS: u32;
    const CANON: u64;
    const SIGN: u64 = 1 << (Self::FRAC_BITS + Self::EXP_BITS);
    const EXP_MASK: u64 = ((1 << Self::EXP_BITS) - 1) << Self::FRAC_BITS;
    const FRAC_MASK: u64 = (1 << Self::FRAC_BITS) - 1;
    const QUIET: u64 = 1 << (Self::FRAC_BITS - 1);
    const BIAS: i32 = (1 << (Self::EXP_BITS - 1)) - 1;
    /// Encoding of the smallest positive normal number.
    const MIN_NORMAL: u64 = 1 << Self::FRAC_BITS;
    /// Encoding of the largest finite number.
    const MAX_FINITE: u64 = Self::EXP_MASK - 1;

    /// Reads the operand bits from a 64-bit f register.
    fn unbox(reg: u64) -> u64;
    /// Produces the 64-bit f register value for the operand bits.
    fn rebox(bits: u64) -> u64;

    #[inline]
    fn is_nan(x: u64) -> bool {
        x & !Self::SIGN > Self::EXP_MASK
    }
    #[inline]
    fn is_snan(x: u64) -> bool {
        Self::is_nan(x) && x & Self::QUIET == 0
    }
    #[inline]
    fn is_neg(x: u64) -> bool {
        x & Self::SIGN != 0
    }
    #[inline]
    fn to_f(x: u64) -> Self::F {
        Self::F::from_bits(u128::from(x))
    }
    #[inline]
    fn from_f(f: Self::F) -> u64 {
        f.to_bits() as u64
    }
    #[inline]
    fn widen(f: Self::F) -> Self::W {
        let mut loses = false;
        f.convert(&mut loses).value
    }
    /// Decodes a finite non-zero value as `(negative, m, e)` with value
    /// `(-1)^negative * m * 2^e` and `m` normalized to exactly `FRAC_BITS + 1` bits.
    #[inline]
    fn decode(x: u64) -> (bool, u64, i32) {
        let neg = Self::is_neg(x);
        let biased = ((x & Self::EXP_MASK) >> Self::FRAC_BITS) as i32;
        let frac = x & Self::FRAC_MASK;
        let (mut m, mut e) = if biased == 0 {
            (frac, 1 - Self::BIAS - Self::FRAC_BITS as i32)
        } else {
            (
                frac | Self::MIN_NORMAL,
                biased - Self::BIAS - Self::FRAC_BITS as i32,
            )
        };
        let shift = m.leading_zeros() - (63 - Self::FRAC_BITS);
        m <<= shift;
        e -= shift as i32;
        (neg, m, e)
    }
}

/// Single precision (F extension).
struct Sf;
impl Fmt for Sf {
    type F = Single;
    type W = IeeeFloat<SingleWideS>;
    const FRAC_BITS: u32 = 23;
    const EXP_BITS: u32 = 8;
    const CANON: u64 = CANONICAL_NAN_S as u64;
    #[inline]
    fn unbox(reg: u64) -> u64 {
        u64::from(unbox_s(reg))
    }
    #[inline]
    fn rebox(bits: u64) -> u64 {
        box_s(bits as u32)
    }
}

/// Double precision (D extension).
struct Df;
impl Fmt for Df {
    type F = Double;
    type W = IeeeFloat<DoubleWideS>;
    const FRAC_BITS: u32 = 52;
    const EXP_BITS: u32 = 11;
    const CANON: u64 = CANONICAL_NAN_D;
    #[inline]
    fn unbox(reg: u64) -> u64 {
        reg
    }
    #[inline]
    fn rebox(bits: u64) -> u64 {
        bits
    }
}

/// Maps `rustc_apfloat` status bits to fflags.
#[inline]
fn status_flags(s: Status) -> u8 {
    let mut f = 0;
    if s.contains(Status::INVALID_OP) {
        f |= NV;
    }
    if s.contains(Status::DIV_BY_ZERO) {
        f |= DZ;
    }
    if s.contains(Status::OVERFLOW) {
        f |= OF;
    }
    if s.contains(Status::UNDERFLOW) {
        f |= UF;
    }
    if s.contains(Status::INEXACT) {
        f |= NX;
    }
    f
}

// ---------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Fma,
}

fn exec<T: Fmt>(op: FpOp, a: u64, b: u64, c: u64, rm: RoundingMode) -> FpOut {
    match op {
        FpOp::Add => arith::<T>(Arith::Add, T::unbox(a), T::unbox(b), 0, rm),
        FpOp::Sub => arith::<T>(Arith::Sub, T::unbox(a), T::unbox(b), 0, rm),
        FpOp::Mul => arith::<T>(Arith::Mul, T::unbox(a), T::unbox(b), 0, rm),
        FpOp::Div => arith::<T>(Arith::Div, T::unbox(a), T::unbox(b), 0, rm),
        FpOp::Madd => arith::<T>(Arith::Fma, T::unbox(a), T::unbox(b), T::unbox(c), rm),
        // a*b - c
        FpOp::Msub => arith::<T>(
            Arith::Fma,
            T::unbox(a),
            T::unbox(b),
            T::unbox(c) ^ T::SIGN,
            rm,
        ),
        // -(a*b) + c
        FpOp::Nmsub => arith::<T>(
            Arith::Fma,
            T::unbox(a) ^ T::SIGN,
            T::unbox(b),
            T::unbox(c),
            rm,
        ),
        // -(a*b) - c
        FpOp::Nmadd => arith::<T>(
            Arith::Fma,
            T::unbox(a) ^ T::SIGN,
            T::unbox(b),
            T::unbox(c) ^ T::SIGN,
            rm,
        ),
        FpOp::Sqrt => sqrt::<T>(T::unbox(a), rm),
        FpOp::Min => min_max::<T>(T::unbox(a), T::unbox(b), false),
        FpOp::Max => min_max::<T>(T::unbox(a), T::unbox(b), true),
        FpOp::Sgnj | FpOp::Sgnjn | FpOp::Sgnjx => {
            let (x, y) = (T::unbox(a), T::unbox(b));
            let sign = match op {
                FpOp::Sgnj => y,
                FpOp::Sgnjn => !y,
                _ => x ^ y,
            } & T::SIGN;
            FpOut::new(T::rebox((x & !T::SIGN) | sign), 0)
        }
        FpOp::Eq | FpOp::Lt | FpOp::Le => compare::<T>(op, T::unbox(a), T::unbox(b)),
        FpOp::Class => FpOut::new(classify::<T>(T::unbox(a)), 0),
        FpOp::CvtWFromF => to_int::<T>(T::unbox(a), rm, IntKind::W),
        FpOp::CvtWuFromF => to_int::<T>(T::unbox(a), rm, IntKind::Wu),
        FpOp::CvtLFromF => to_int::<T>(T::unbox(a), rm, IntKind::L),
        FpOp::CvtLuFromF => to_int::<T>(T::unbox(a), rm, IntKind::Lu),
        FpOp::CvtFFromW => from_int::<T>(i128::from(a as u32 as i32), rm),
        FpOp::CvtFFromWu => from_int::<T>(i128::from(a as u32), rm),
        FpOp::CvtFFromL => from_int::<T>(i128::from(a as i64), rm),
        FpOp::CvtFFromLu => from_int::<T>(i128::from(a), rm),
        // Transfers do not check NaN-boxing (§12.2): fmv.x.w moves the low 32
        // bits, sign-extended (§11.7); fmv.w.x NaN-boxes.
        FpOp::MvXFromF => FpOut::new(
            if T::FRAC_BITS == Sf::FRAC_BITS {
                a as u32 as i32 as i64 as u64
            } else {
                a
            },
            0,
        ),
        FpOp::MvFFromX => FpOut::new(T::rebox(a & (T::SIGN | (T::SIGN - 1))), 0),
        FpOp::CvtSFromD => cvt_s_from_d(a, rm),
        FpOp::CvtDFromS => cvt_d_from_s(a),
    }
}

// ---------------------------------------------------------------------------
// Arithmetic (§11.6)
// ---------------------------------------------------------------------------

#[inline]
fn compute<F: Float>(kind: Arith, a: F, b: F, c: F, r: Round) -> StatusAnd<F> {
    match kind {
        Arith::Add => a.add_r(b, r),
        Arith::Sub => a.sub_r(b, r),
        Arith::Mul => a.mul_r(b, r),
        Arith::Div => a.div_r(b, r),
        Arith::Fma => a.mul_add_r(b, c, r),
    }
}

/// Corrects the underflow and overflow flags of an inexact result `r_bits`.
///
/// IEEE 754 §7.4: overflow is signalled when the result rounded *as if the
/// exponent range were unbounded* exceeds the largest finite number; §7.5 with
/// RISC-V's after-rounding tininess (§11.3): underflow is signalled when that
/// same unbounded-exponent result is below the smallest normal in magnitude
/// (and the final result is inexact). `rustc_apfloat` gets both right except
/// when the delivered result is exactly ±MIN_NORMAL or ±MAX_FINITE, so only
/// those rare cases are recomputed with an extended exponent range `T::W`.
#[inline]
fn fix_range_flags<T: Fmt>(
    status: Status,
    r_bits: u64,
    wide: impl FnOnce() -> StatusAnd<T::W>,
) -> Status {
    let mag = r_bits & !T::SIGN;
    if !status.contains(Status::INEXACT) || (mag != T::MIN_NORMAL && mag != T::MAX_FINITE) {
        return status;
    }
    let w = wide().value.abs();
    if mag == T::MIN_NORMAL {
        if w < T::widen(T::to_f(T::MIN_NORMAL)) {
            return status | Status::UNDERFLOW;
        }
    } else if w > T::widen(T::to_f(T::MAX_FINITE)) {
        return status | Status::OVERFLOW;
    }
    status
}

fn arith<T: Fmt>(kind: Arith, a: u64, b: u64, c: u64, rm: RoundingMode) -> FpOut {
    let fma = matches!(kind, Arith::Fma);
    if T::is_nan(a) || T::is_nan(b) || (fma && T::is_nan(c)) {
        let snan = T::is_snan(a) || T::is_snan(b) || (fma && T::is_snan(c));
        // §11.6: FMA must raise NV for ∞ × 0 even when the addend is a quiet NaN.
        let inf_times_zero = fma && {
            let (ma, mb) = (a & !T::SIGN, b & !T::SIGN);
            (ma == T::EXP_MASK && mb == 0) || (ma == 0 && mb == T::EXP_MASK)
        };
        let flags = if snan || inf_times_zero { NV } else { 0 };
        return FpOut::new(T::rebox(T::CANON), flags);
    }
    let r = rm.round();
    let (fa, fb, fc) = (T::to_f(a), T::to_f(b), T::to_f(c));
    let res = compute(kind, fa, fb, fc, r);
    if res.value.is_nan() {
        // Invalid operation (∞−∞, 0×∞, 0/0, ∞/∞): canonical NaN (§11.3).
        return FpOut::new(T::rebox(T::CANON), status_flags(res.status));
    }
    let bits = T::from_f(res.value);
    let status = fix_range_flags::<T>(res.status, bits, || {
        compute(kind, T::widen(fa), T::widen(fb), T::widen(fc), r)
    });
    FpOut::new(T::rebox(bits), status_flags(status))
}

/// Integer square root: the largest `r` with `r*r <= n`, for `n < 2^112`.
#[inline]
fn isqrt(n: u128) -> u128 {
    // The host float only provides an initial estimate; the result is then
    // corrected exactly in integer arithmetic.
    let mut r = (n as f64).sqrt() as u128;
    while r * r > n {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= n {
        r += 1;
    }
    r
}

/// fsqrt (§11.6): correctly rounded square root. Never overflows or underflows.
fn sqrt<T: Fmt>(x: u64, rm: RoundingMode) -> FpOut {
    if T::is_nan(x) {
        let flags = if T::is_snan(x) { NV } else { 0 };
        return FpOut::new(T::rebox(T::CANON), flags);
    }
    if x & !T::SIGN == 0 || x == T::EXP_MASK {
        // ±0 → ±0, +∞ → +∞ (IEEE 754 §6.3, §9.2).
        return FpOut::new(T::rebox(x), 0);
    }
    if T::is_neg(x) {
        return FpOut::new(T::rebox(T::CANON), NV);
    }
    // x = m * 2^e with m having exactly p = FRAC_BITS + 1 bits.
    let (_, mut m, mut e) = T::decode(x);
    if e & 1 != 0 {
        m <<= 1;
        e -= 1;
    }
    // sqrt(m * 2^2k) has at least p + 2 bits, so that appending a sticky bit
    // below it lets a single rounding to p bits be correct.
    let k = (T::FRAC_BITS + 1) / 2 + 2;
    let n = u128::from(m) << (2 * k);
    let root = isqrt(n);
    let sticky = u128::from(root * root != n);
    let scaled = (root << 1) | sticky;
    let r = T::F::from_u128_r(scaled, rm.round());
    let value = r.value.scalbn(e / 2 - k as i32 - 1);
    FpOut::new(T::rebox(T::from_f(value)), status_flags(r.status))
}

/// fmin/fmax (§11.6): minimumNumber/maximumNumber with −0 < +0; canonical NaN
/// only if both inputs are NaN; NV for any signalling NaN input.
fn min_max<T: Fmt>(a: u64, b: u64, max: bool) -> FpOut {
    let (an, bn) = (T::is_nan(a), T::is_nan(b));
    let flags = if T::is_snan(a) || T::is_snan(b) {
        NV
    } else {
        0
    };
    let v = match (an, bn) {
        (true, true) => T::CANON,
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            if lt::<T>(a, b) != max {
                a
            } else {
                b
            }
        }
    };
    FpOut::new(T::rebox(v), flags)
}

/// Total order on non-NaN encodings where −0 < +0. Returns `a < b`.
#[inline]
fn lt<T: Fmt>(a: u64, b: u64) -> bool {
    match (T::is_neg(a), T::is_neg(b)) {
        (false, false) => a < b,
        (true, true) => a > b,
        (true, false) => true,
        (false, true) => false,
    }
}

/// feq/flt/fle (§11.8).
fn compare<T: Fmt>(op: FpOp, a: u64, b: u64) -> FpOut {
    if T::is_nan(a) || T::is_nan(b) {
        let nv = op != FpOp::Eq || T::is_snan(a) || T::is_snan(b);
        return FpOut::new(0, if nv { NV } else { 0 });
    }
    let both_zero = (a | b) & !T::SIGN == 0;
    let eq = a == b || both_zero;
    let r = match op {
        FpOp::Eq => eq,
        FpOp::Lt => !both_zero && lt::<T>(a, b),
        _ => eq || lt::<T>(a, b),
    };
    FpOut::new(u64::from(r), 0)
}

/// fclass (§11.9, Table 11.5).
fn classify<T: Fmt>(x: u64) -> u64 {
    let neg = T::is_neg(x);
    let mag = x & !T::SIGN;
    let bit = if mag > T::EXP_MASK {
        if x & T::QUIET != 0 {
            9
        } else {
            8
        }
    } else if mag == T::EXP_MASK {
        if neg {
            0
        } else {
            7
        }
    } else if mag >= T::MIN_NORMAL {
        if neg {
            1
        } else {
            6
        }
    } else if mag != 0 {
        if neg {
            2
        } else {
            5
        }
    } else if neg {
        3
    } else {
        4
    };
    1 << bit
}

// ---------------------------------------------------------------------------
// Conversions (§11.7, §12.5)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum IntKind {
    W,
    Wu,
    L,
    Lu,
}

/// fcvt.{w,wu,l,lu}.{s,d}: round per `rm`, saturate per Table 11.4.
fn to_int<T: Fmt>(x: u64, rm: RoundingMode, kind: IntKind) -> FpOut {
    let (signed, bits) = match kind {
        IntKind::W => (true, 32),
        IntKind::Wu => (false, 32),
        IntKind::L => (true, 64),
        IntKind::Lu => (false, 64),
    };
    // Saturation values as i128 (Table 11.4).
    let (min, max): (i128, i128) = if signed {
        (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    } else {
        (0, (1 << bits) - 1)
    };
    let finish = |v: i128, flags: u8| {
        let v = if bits == 32 {
            // 32-bit results are sign-extended from bit 31, also for WU (§11.7).
            v as u32 as i32 as i64 as u64
        } else {
            v as u64
        };
        FpOut::new(v, flags)
    };
    let mag = x & !T::SIGN;
    if mag > T::EXP_MASK {
        // NaN converts to the largest positive value (Table 11.4).
        return finish(max, NV);
    }
    let neg = T::is_neg(x);
    if mag == T::EXP_MASK {
        return finish(if neg { min } else { max }, NV);
    }
    if mag == 0 {
        return finish(0, 0);
    }
    let (_, m, e) = T::decode(x);
    let (int, inexact) = if e >= 0 {
        if e > 64 {
            // Magnitude ≥ 2^(64+p-1): out of range for every destination.
            return finish(if neg { min } else { max }, NV);
        }
        (u128::from(m) << e, false)
    } else {
        let sh = (-e) as u32;
        let m = u128::from(m);
        let (int, rem, half) = if sh >= 100 {
            (0, m, 1u128 << 99)
        } else {
            (m >> sh, m & ((1 << sh) - 1), 1u128 << (sh - 1))
        };
        let up = match rm {
            RoundingMode::Rne => rem > half || (rem == half && int & 1 == 1),
            RoundingMode::Rtz => false,
            RoundingMode::Rdn => neg && rem != 0,
            RoundingMode::Rup => !neg && rem != 0,
            RoundingMode::Rmm => rem >= half,
        };
        (int + u128::from(up), rem != 0)
    };
    let v = if neg { -(int as i128) } else { int as i128 };
    if v < min {
        finish(min, NV)
    } else if v > max {
        finish(max, NV)
    } else {
        finish(v, if inexact { NX } else { 0 })
    }
}

/// fcvt.{s,d}.{w,wu,l,lu}: integer → float, rounded per `rm` (§11.7).
/// Never overflows or underflows; only NX can be raised.
fn from_int<T: Fmt>(v: i128, rm: RoundingMode) -> FpOut {
    let r = T::F::from_i128_r(v, rm.round());
    FpOut::new(T::rebox(T::from_f(r.value)), status_flags(r.status))
}

/// fcvt.s.d (§12.5): rounds per `rm`; NaN → canonical NaN (NV if signalling).
fn cvt_s_from_d(a: u64, rm: RoundingMode) -> FpOut {
    if Df::is_nan(a) {
        let flags = if Df::is_snan(a) { NV } else { 0 };
        return FpOut::new(box_s(CANONICAL_NAN_S), flags);
    }
    let r = rm.round();
    let d = Df::to_f(a);
    let mut loses = false;
    let res: StatusAnd<Single> = d.convert_r(r, &mut loses);
    let bits = Sf::from_f(res.value);
    let status = fix_range_flags::<Sf>(res.status, bits, || {
        let mut loses = false;
        d.convert_r(r, &mut loses)
    });
    FpOut::new(box_s(bits as u32), status_flags(status))
}

/// fcvt.d.s (§12.5): exact widening; NaN → canonical NaN (NV if signalling).
fn cvt_d_from_s(a: u64) -> FpOut {
    let s = u64::from(unbox_s(a));
    if Sf::is_nan(s) {
        let flags = if Sf::is_snan(s) { NV } else { 0 };
        return FpOut::new(CANONICAL_NAN_D, flags);
    }
    let mut loses = false;
    let d: Double = Sf::to_f(s).convert(&mut loses).value;
    FpOut::new(Df::from_f(d), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
}
