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
//! * Tininess is detected *after* rounding (§11.4), and the underflow flag is
//!   raised only for tiny *and* inexact results (IEEE 754 §7.5 default
//!   handling).
//! * NaN-boxing of single-precision values in the 64-bit f registers (§12.2).
//! * Saturating float→integer conversions (§11.7, Table 11.4).
//!
//! Known deviations of `rustc_apfloat` 0.2 from IEEE 754 that are corrected
//! here (see `fix_range_flags`):
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
/// Canonical double-precision NaN (the §11.3 rule applied to D, §12.4).
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

/// Floating-point operations of the F (§11.6–§11.9) and D (§12.4–§12.7) extensions.
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

/// Operand format (the instruction's `fmt` field, §11.6 Table 11.3, §12.4).
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
/// RISC-V's after-rounding tininess (§11.4): underflow is signalled when that
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
    let precision = T::FRAC_BITS + 1;
    let k = precision / 2 + 2;
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

/// fclass (§11.9, Table 11.5): one-hot mask; bits 0..=7 are −∞, −normal,
/// −subnormal, −0, +0, +subnormal, +normal, +∞; bit 8 sNaN, bit 9 qNaN.
fn classify<T: Fmt>(x: u64) -> u64 {
    let mag = x & !T::SIGN;
    let bit = if mag > T::EXP_MASK {
        8 + u64::from(x & T::QUIET != 0)
    } else {
        let positive_bit = match mag {
            m if m == T::EXP_MASK => 7,
            m if m >= T::MIN_NORMAL => 6,
            0 => 4,
            _ => 5,
        };
        if T::is_neg(x) {
            7 - positive_bit
        } else {
            positive_bit
        }
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
    use super::FpOp::*;
    use super::Precision::{D, S};
    use super::RoundingMode::*;
    use super::*;

    const ALL_RM: [RoundingMode; 5] = [Rne, Rtz, Rdn, Rup, Rmm];

    // Single-precision encodings.
    const S_QNAN: u32 = CANONICAL_NAN_S;
    const S_SNAN: u32 = 0x7f80_0001;
    const S_INF: u32 = 0x7f80_0000;
    const S_NINF: u32 = 0xff80_0000;
    const S_MAX: u32 = 0x7f7f_ffff;
    const S_MIN_NORMAL: u32 = 0x0080_0000;
    const S_MIN_SUB: u32 = 0x0000_0001;
    const S_NZERO: u32 = 0x8000_0000;
    // Double-precision encodings.
    const D_QNAN: u64 = CANONICAL_NAN_D;
    const D_SNAN: u64 = 0x7ff0_0000_0000_0001;
    const D_INF: u64 = 0x7ff0_0000_0000_0000;
    const D_NINF: u64 = 0xfff0_0000_0000_0000;
    const D_MAX: u64 = 0x7fef_ffff_ffff_ffff;
    const D_MIN_NORMAL: u64 = 0x0010_0000_0000_0000;
    const D_MIN_SUB: u64 = 1;
    const D_NZERO: u64 = 0x8000_0000_0000_0000;

    fn fs(x: f32) -> u32 {
        x.to_bits()
    }
    fn fd(x: f64) -> u64 {
        x.to_bits()
    }

    /// Single-precision op on properly boxed operands.
    fn s3(op: FpOp, rm: RoundingMode, a: u32, b: u32, c: u32) -> FpOut {
        execute(op, S, box_s(a), box_s(b), box_s(c), rm)
    }
    fn d3(op: FpOp, rm: RoundingMode, a: u64, b: u64, c: u64) -> FpOut {
        execute(op, D, a, b, c, rm)
    }

    /// Asserts a single-precision f-register result (NaN-boxed) and flags.
    #[track_caller]
    fn chk_s(op: FpOp, rm: RoundingMode, a: u32, b: u32, c: u32, want: u32, flags: u8) {
        let got = s3(op, rm, a, b, c);
        assert_eq!(
            got,
            FpOut::new(box_s(want), flags),
            "{op:?} {rm:?} a={a:#010x} b={b:#010x} c={c:#010x}: got {:#x}/{:#x}, want {want:#010x}/{flags:#x}",
            got.value,
            got.flags
        );
    }
    #[track_caller]
    fn chk_d(op: FpOp, rm: RoundingMode, a: u64, b: u64, c: u64, want: u64, flags: u8) {
        let got = d3(op, rm, a, b, c);
        assert_eq!(
            got,
            FpOut::new(want, flags),
            "{op:?} {rm:?} a={a:#x} b={b:#x} c={c:#x}: got {:#x}/{:#x}, want {want:#x}/{flags:#x}",
            got.value,
            got.flags
        );
    }
    /// Asserts an x-register result of an op on single-precision operands.
    #[track_caller]
    fn chk_xs(op: FpOp, rm: RoundingMode, a: u32, b: u32, want: u64, flags: u8) {
        let got = s3(op, rm, a, b, 0);
        assert_eq!(
            got,
            FpOut::new(want, flags),
            "{op:?} {rm:?} a={a:#010x} b={b:#010x}"
        );
    }
    #[track_caller]
    fn chk_xd(op: FpOp, rm: RoundingMode, a: u64, b: u64, want: u64, flags: u8) {
        let got = d3(op, rm, a, b, 0);
        assert_eq!(
            got,
            FpOut::new(want, flags),
            "{op:?} {rm:?} a={a:#x} b={b:#x}"
        );
    }

    /// Small deterministic PRNG (splitmix64) for property tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    // ----- API basics ----------------------------------------------------

    #[test]
    fn rounding_mode_from_bits() {
        assert_eq!(RoundingMode::from_bits(0), Some(Rne));
        assert_eq!(RoundingMode::from_bits(1), Some(Rtz));
        assert_eq!(RoundingMode::from_bits(2), Some(Rdn));
        assert_eq!(RoundingMode::from_bits(3), Some(Rup));
        assert_eq!(RoundingMode::from_bits(4), Some(Rmm));
        for b in 5..=255u8 {
            assert_eq!(RoundingMode::from_bits(b), None);
        }
        assert_eq!(Rmm as u8, 4);
    }

    #[test]
    fn flag_constants() {
        assert_eq!((NX, UF, OF, DZ, NV), (1, 2, 4, 8, 16));
    }

    #[test]
    fn nan_boxing() {
        assert_eq!(box_s(0x3f80_0000), 0xffff_ffff_3f80_0000);
        assert_eq!(unbox_s(0xffff_ffff_3f80_0000), 0x3f80_0000);
        assert_eq!(unbox_s(0x7fff_ffff_3f80_0000), CANONICAL_NAN_S);
        assert_eq!(unbox_s(0xffff_fffe_3f80_0000), CANONICAL_NAN_S);
        assert_eq!(unbox_s(0x3f80_0000), CANONICAL_NAN_S);
        // An improperly boxed operand is the canonical (quiet) NaN: no NV.
        let r = execute(Add, S, 0x0000_0000_3f80_0000, box_s(fs(1.0)), 0, Rne);
        assert_eq!(r, FpOut::new(box_s(S_QNAN), 0));
        let r = execute(Class, S, 0x0000_0000_3f80_0000, 0, 0, Rne);
        assert_eq!(r, FpOut::new(1 << 9, 0));
        // feq on a badly boxed value is a quiet comparison with a qNaN.
        let r = execute(Eq, S, 0x1234, box_s(0), 0, Rne);
        assert_eq!(r, FpOut::new(0, 0));
        let r = execute(Lt, S, 0x1234, box_s(0), 0, Rne);
        assert_eq!(r, FpOut::new(0, NV));
    }

    // ----- riscv-tests rv64uf / rv64ud vectors --------------------------

    /// Parses a decimal literal the way the assembler does (round to nearest).
    fn ps(x: &str) -> u32 {
        x.parse::<f32>().unwrap().to_bits()
    }
    fn pd(x: &str) -> u64 {
        x.parse::<f64>().unwrap().to_bits()
    }

    /// `TEST_FP_OP{1,2,3}_{S,D}` vectors: (op, flags, result, a, b, c), operands
    /// as written in the .S files, shared by the single and double tests.
    type Vector = (
        FpOp,
        u8,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );

    #[track_caller]
    fn run_vectors_s(v: &[Vector]) {
        for &(op, fl, r, a, b, c) in v {
            chk_s(op, Rne, ps(a), ps(b), ps(c), ps(r), fl);
        }
    }
    #[track_caller]
    fn run_vectors_d(v: &[Vector]) {
        for &(op, fl, r, a, b, c) in v {
            chk_d(op, Rne, pd(a), pd(b), pd(c), pd(r), fl);
        }
    }

    #[test]
    fn riscv_tests_fadd() {
        // rv64uf/fadd.S
        run_vectors_s(&[
            (Add, 0, "3.5", "2.5", "1.0", "0"),
            (Add, NX, "-1234", "-1235.1", "1.1", "0"),
            (Add, NX, "3.14159265", "3.14159265", "0.00000001", "0"),
            (Sub, 0, "1.5", "2.5", "1.0", "0"),
            (Sub, NX, "-1234", "-1235.1", "-1.1", "0"),
            (Sub, NX, "3.14159265", "3.14159265", "0.00000001", "0"),
            (Mul, 0, "2.5", "2.5", "1.0", "0"),
            (Mul, NX, "1358.61", "-1235.1", "-1.1", "0"),
            (Mul, NX, "3.14159265e-8", "3.14159265", "0.00000001", "0"),
        ]);
        chk_s(Sub, Rne, S_INF, S_INF, 0, S_QNAN, NV);
        // rv64ud/fadd.S
        run_vectors_d(&[
            (Add, 0, "3.5", "2.5", "1.0", "0"),
            (Add, NX, "-1234", "-1235.1", "1.1", "0"),
            (Add, NX, "3.14159266", "3.14159265", "0.00000001", "0"),
            (Sub, 0, "1.5", "2.5", "1.0", "0"),
            (Sub, NX, "-1234", "-1235.1", "-1.1", "0"),
            (
                Sub,
                NX,
                "3.1415926400000001",
                "3.14159265",
                "0.00000001",
                "0",
            ),
            (Mul, 0, "2.5", "2.5", "1.0", "0"),
            (Mul, NX, "1358.61", "-1235.1", "-1.1", "0"),
            (Mul, NX, "3.14159265e-8", "3.14159265", "0.00000001", "0"),
        ]);
        chk_d(Sub, Rne, D_INF, D_INF, 0, D_QNAN, NV);
    }

    #[test]
    fn riscv_tests_fdiv_fsqrt() {
        // rv64uf/fdiv.S
        run_vectors_s(&[
            (
                Div,
                NX,
                "1.1557273520668288",
                "3.14159265",
                "2.71828182",
                "0",
            ),
            (Div, NX, "-0.9991093838555584", "-1234", "1235.1", "0"),
            (Div, 0, "3.14159265", "3.14159265", "1.0", "0"),
            (Sqrt, NX, "1.7724538498928541", "3.14159265", "0", "0"),
            (Sqrt, 0, "100", "10000", "0", "0"),
            (Sqrt, NX, "13.076696", "171.0", "0", "0"),
        ]);
        chk_s(Sqrt, Rne, ps("-1.0"), 0, 0, S_QNAN, NV);
        // rv64ud/fdiv.S
        run_vectors_d(&[
            (
                Div,
                NX,
                "1.1557273520668288",
                "3.14159265",
                "2.71828182",
                "0",
            ),
            (Div, NX, "-0.9991093838555584", "-1234", "1235.1", "0"),
            (Div, 0, "3.14159265", "3.14159265", "1.0", "0"),
            (Sqrt, NX, "1.7724538498928541", "3.14159265", "0", "0"),
            (Sqrt, 0, "100", "10000", "0", "0"),
            (Sqrt, NX, "13.076696830622021", "171.0", "0", "0"),
            (
                Sqrt,
                NX,
                "0.00040099251863345283320230749702",
                "1.60795e-7",
                "0",
                "0",
            ),
        ]);
        chk_d(Sqrt, Rne, pd("-1.0"), 0, 0, D_QNAN, NV);
    }

    #[test]
    fn riscv_tests_fmadd() {
        // rv64uf/fmadd.S
        run_vectors_s(&[
            (Madd, 0, "3.5", "1.0", "2.5", "1.0"),
            (Madd, NX, "1236.2", "-1.0", "-1235.1", "1.1"),
            (Madd, 0, "-12.0", "2.0", "-5.0", "-2.0"),
            (Nmadd, 0, "-3.5", "1.0", "2.5", "1.0"),
            (Nmadd, NX, "-1236.2", "-1.0", "-1235.1", "1.1"),
            (Nmadd, 0, "12.0", "2.0", "-5.0", "-2.0"),
            (Msub, 0, "1.5", "1.0", "2.5", "1.0"),
            (Msub, NX, "1234", "-1.0", "-1235.1", "1.1"),
            (Msub, 0, "-8.0", "2.0", "-5.0", "-2.0"),
            (Nmsub, 0, "-1.5", "1.0", "2.5", "1.0"),
            (Nmsub, NX, "-1234", "-1.0", "-1235.1", "1.1"),
            (Nmsub, 0, "8.0", "2.0", "-5.0", "-2.0"),
        ]);
        // rv64ud/fmadd.S
        run_vectors_d(&[
            (Madd, 0, "3.5", "1.0", "2.5", "1.0"),
            (Madd, NX, "1236.1999999999999", "-1.0", "-1235.1", "1.1"),
            (Madd, 0, "-12.0", "2.0", "-5.0", "-2.0"),
            (Nmadd, 0, "-3.5", "1.0", "2.5", "1.0"),
            (Nmadd, NX, "-1236.1999999999999", "-1.0", "-1235.1", "1.1"),
            (Nmadd, 0, "12.0", "2.0", "-5.0", "-2.0"),
            (Msub, 0, "1.5", "1.0", "2.5", "1.0"),
            (Msub, NX, "1234", "-1.0", "-1235.1", "1.1"),
            (Msub, 0, "-8.0", "2.0", "-5.0", "-2.0"),
            (Nmsub, 0, "-1.5", "1.0", "2.5", "1.0"),
            (Nmsub, NX, "-1234", "-1.0", "-1235.1", "1.1"),
            (Nmsub, 0, "8.0", "2.0", "-5.0", "-2.0"),
        ]);
    }

    #[test]
    fn riscv_tests_fmin() {
        // rv64uf/fmin.S and rv64ud/fmin.S
        let v: &[Vector] = &[
            (Min, 0, "1.0", "2.5", "1.0", "0"),
            (Min, 0, "-1235.1", "-1235.1", "1.1", "0"),
            (Min, 0, "-1235.1", "1.1", "-1235.1", "0"),
            (Min, 0, "-1235.1", "NaN", "-1235.1", "0"),
            (Min, 0, "0.00000001", "3.14159265", "0.00000001", "0"),
            (Min, 0, "-2.0", "-1.0", "-2.0", "0"),
            (Max, 0, "2.5", "2.5", "1.0", "0"),
            (Max, 0, "1.1", "-1235.1", "1.1", "0"),
            (Max, 0, "1.1", "1.1", "-1235.1", "0"),
            (Max, 0, "-1235.1", "NaN", "-1235.1", "0"),
            (Max, 0, "3.14159265", "3.14159265", "0.00000001", "0"),
            (Max, 0, "-1.0", "-1.0", "-2.0", "0"),
            (Min, 0, "-0.0", "-0.0", "0.0", "0"),
            (Min, 0, "-0.0", "0.0", "-0.0", "0"),
            (Max, 0, "0.0", "-0.0", "0.0", "0"),
            (Max, 0, "0.0", "0.0", "-0.0", "0"),
        ];
        run_vectors_s(v);
        run_vectors_d(v);
        chk_s(Max, Rne, S_SNAN, 0x3f80_0000, 0, 0x3f80_0000, NV);
        chk_s(Max, Rne, 0x7fff_ffff, 0x7fff_ffff, 0, S_QNAN, 0);
        chk_d(
            Max,
            Rne,
            D_SNAN,
            0x3ff0_0000_0000_0000,
            0,
            0x3ff0_0000_0000_0000,
            NV,
        );
        chk_d(
            Max,
            Rne,
            0x7fff_ffff_ffff_ffff,
            0x7fff_ffff_ffff_ffff,
            0,
            D_QNAN,
            0,
        );
    }

    #[test]
    fn riscv_tests_fcmp() {
        let n = f64::NAN;
        let cases: [(FpOp, u8, u64, f64, f64); 11] = [
            (Eq, 0, 1, -1.36, -1.36),
            (Le, 0, 1, -1.36, -1.36),
            (Lt, 0, 0, -1.36, -1.36),
            (Eq, 0, 0, -1.37, -1.36),
            (Le, 0, 1, -1.37, -1.36),
            (Lt, 0, 1, -1.37, -1.36),
            (Eq, 0, 0, n, 0.0),
            (Eq, 0, 0, n, n),
            (Lt, NV, 0, n, 0.0),
            (Lt, NV, 0, n, n),
            (Le, NV, 0, n, 0.0),
        ];
        for (op, fl, r, a, b) in cases {
            chk_xs(op, Rne, fs(a as f32), fs(b as f32), r, fl);
            chk_xd(op, Rne, fd(a), fd(b), r, fl);
        }
        chk_xs(Le, Rne, fs(f32::NAN), fs(f32::NAN), 0, NV);
        for op in [Eq, Lt, Le] {
            chk_xs(op, Rne, S_SNAN, 0, 0, NV);
            chk_xd(op, Rne, D_SNAN, 0, 0, NV);
        }
    }

    #[test]
    fn riscv_tests_fclass() {
        let s = [
            S_NINF,
            0xbf80_0000,
            0x807f_ffff,
            0x8000_0000,
            0x0000_0000,
            0x007f_ffff,
            0x3f80_0000,
            S_INF,
            S_SNAN,
            S_QNAN,
        ];
        let d = [
            D_NINF,
            0xbff0_0000_0000_0000,
            0x800f_ffff_ffff_ffff,
            0x8000_0000_0000_0000,
            0,
            0x000f_ffff_ffff_ffff,
            0x3ff0_0000_0000_0000,
            D_INF,
            D_SNAN,
            D_QNAN,
        ];
        for bit in 0..10 {
            chk_xs(Class, Rne, s[bit], 0, 1 << bit, 0);
            chk_xd(Class, Rne, d[bit], 0, 1 << bit, 0);
        }
        // Negative NaNs, smallest subnormal, smallest normal.
        chk_xs(Class, Rne, 0xff80_0001, 0, 1 << 8, 0);
        chk_xs(Class, Rne, 0xffc0_0000, 0, 1 << 9, 0);
        chk_xs(Class, Rne, S_MIN_SUB, 0, 1 << 5, 0);
        chk_xs(Class, Rne, S_MIN_NORMAL, 0, 1 << 6, 0);
        chk_xd(Class, Rne, 0xfff8_0000_0000_0001, 0, 1 << 9, 0);
        chk_xd(Class, Rne, D_MIN_NORMAL | D_NZERO, 0, 1 << 1, 0);
    }

    #[test]
    fn riscv_tests_fcvt_int_to_float() {
        let m2 = (-2i64) as u64;
        chk_s(CvtFFromW, Rne, 2, 0, 0, fs(2.0), 0);
        chk_s(CvtFFromW, Rne, m2 as u32, 0, 0, fs(-2.0), 0);
        chk_s(CvtFFromWu, Rne, 2, 0, 0, fs(2.0), 0);
        let r = execute(CvtFFromWu, S, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(ps("4.2949673e9")), NX));
        let r = execute(CvtFFromL, S, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(fs(-2.0)), 0));
        let r = execute(CvtFFromLu, S, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(ps("1.8446744e19")), NX));
        let r = execute(CvtFFromWu, D, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(4_294_967_294.0), 0));
        let r = execute(CvtFFromW, D, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(-2.0), 0));
        let r = execute(CvtFFromL, D, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(-2.0), 0));
        let r = execute(CvtFFromLu, D, m2, 0, 0, Rne);
        assert_eq!(r, FpOut::new(pd("1.8446744073709552e19"), NX));
        // fcvt.s.d / fcvt.d.s
        let r = execute(CvtSFromD, S, fd(-1.5), 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(fs(-1.5)), 0));
        let r = execute(CvtDFromS, D, box_s(fs(-1.5)), 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(-1.5), 0));
        // NaN payload is not propagated through fcvt.s.d / fcvt.d.s.
        let r = execute(CvtSFromD, S, 0x7ffc_ffff_ffff_8004, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(S_QNAN), 0));
        let r = execute(CvtDFromS, D, r.value, 0, 0, Rne);
        assert_eq!(r, FpOut::new(D_QNAN, 0));
    }

    #[test]
    fn riscv_tests_fcvt_w() {
        // (op, flags, result, input) with rtz.
        let cases: [(FpOp, u8, i64, f64); 28] = [
            (CvtWFromF, NX, -1, -1.1),
            (CvtWFromF, 0, -1, -1.0),
            (CvtWFromF, NX, 0, -0.9),
            (CvtWFromF, NX, 0, 0.9),
            (CvtWFromF, 0, 1, 1.0),
            (CvtWFromF, NX, 1, 1.1),
            (CvtWFromF, NV, -1 << 31, -3e9),
            (CvtWFromF, NV, (1 << 31) - 1, 3e9),
            (CvtWuFromF, NV, 0, -3.0),
            (CvtWuFromF, NV, 0, -1.0),
            (CvtWuFromF, NX, 0, -0.9),
            (CvtWuFromF, NX, 0, 0.9),
            (CvtWuFromF, 0, 1, 1.0),
            (CvtWuFromF, NX, 1, 1.1),
            (CvtWuFromF, NV, 0, -3e9),
            // 3e9 = 0xb2d05e00, sign-extended from bit 31.
            (CvtWuFromF, 0, 0xffff_ffff_b2d0_5e00_u64 as i64, 3e9),
            (CvtLFromF, NX, -1, -1.1),
            (CvtLFromF, 0, -1, -1.0),
            (CvtLFromF, NX, 0, -0.9),
            (CvtLFromF, NX, 0, 0.9),
            (CvtLFromF, 0, 1, 1.0),
            (CvtLFromF, NX, 1, 1.1),
            (CvtLuFromF, NV, 0, -3.0),
            (CvtLuFromF, NV, 0, -1.0),
            (CvtLuFromF, NX, 0, -0.9),
            (CvtLuFromF, NX, 0, 0.9),
            (CvtLuFromF, 0, 1, 1.0),
            (CvtLuFromF, NV, 0, -3e9),
        ];
        for (op, fl, r, x) in cases {
            chk_xs(op, Rtz, fs(x as f32), 0, r as u64, fl);
            chk_xd(op, Rtz, fd(x), 0, r as u64, fl);
        }
        chk_xs(CvtLuFromF, Rtz, fs(1.1), 0, 1, NX);
        chk_xd(CvtLFromF, Rtz, fd(-3e9), 0, (-3_000_000_000i64) as u64, 0);
        chk_xd(CvtLFromF, Rtz, fd(3e9), 0, 3_000_000_000, 0);
        chk_xd(CvtLFromF, Rtz, fd(-3e19), 0, 1 << 63, NV);
        chk_xd(CvtLFromF, Rtz, fd(3e19), 0, i64::MAX as u64, NV);
        chk_xd(CvtLuFromF, Rtz, fd(3e9), 0, 3_000_000_000, 0);

        // NaN and infinity inputs (tdat: -NaN, +NaN, -inf, +inf).
        let sdat = [0xffff_ffff, 0x7fff_ffff, S_NINF, S_INF];
        let ddat = [u64::MAX, 0x7fff_ffff_ffff_ffff, D_NINF, D_INF];
        let w = [0x7fff_ffff, 0x7fff_ffff, 0xffff_ffff_8000_0000, 0x7fff_ffff];
        let l = [i64::MAX as u64, i64::MAX as u64, 1 << 63, i64::MAX as u64];
        let wu = [u64::MAX, u64::MAX, 0, u64::MAX];
        let lu = [u64::MAX, u64::MAX, 0, u64::MAX];
        for i in 0..4 {
            for rm in ALL_RM {
                chk_xs(CvtWFromF, rm, sdat[i], 0, w[i], NV);
                chk_xs(CvtLFromF, rm, sdat[i], 0, l[i], NV);
                chk_xs(CvtWuFromF, rm, sdat[i], 0, wu[i], NV);
                chk_xs(CvtLuFromF, rm, sdat[i], 0, lu[i], NV);
                chk_xd(CvtWFromF, rm, ddat[i], 0, w[i], NV);
                chk_xd(CvtLFromF, rm, ddat[i], 0, l[i], NV);
                chk_xd(CvtWuFromF, rm, ddat[i], 0, wu[i], NV);
                chk_xd(CvtLuFromF, rm, ddat[i], 0, lu[i], NV);
            }
        }
    }

    #[test]
    fn riscv_tests_move_and_sgnj() {
        // TEST_FSGNJS from rv64uf/move.S (properly boxed).
        for (op, new, s1, s2) in [
            (Sgnj, 0, 0, 0),
            (Sgnj, 1, 0, 1),
            (Sgnj, 0, 1, 0),
            (Sgnj, 1, 1, 1),
            (Sgnjn, 1, 0, 0),
            (Sgnjn, 0, 0, 1),
            (Sgnjn, 1, 1, 0),
            (Sgnjn, 0, 1, 1),
            (Sgnjx, 0, 0, 0),
            (Sgnjx, 1, 0, 1),
            (Sgnjx, 1, 1, 0),
            (Sgnjx, 0, 1, 1),
        ] {
            let a = execute(MvFFromX, S, (s1 << 31) | 0x1234_5678, 0, 0, Rne).value;
            let b = execute(MvFFromX, S, (-(s2 as i64)) as u64, 0, 0, Rne).value;
            let r = execute(op, S, a, b, 0, Rne);
            assert_eq!(r.flags, 0);
            let x = execute(MvXFromF, S, r.value, 0, 0, Rne);
            assert_eq!(x, FpOut::new(0x1234_5678 | (-(new as i64) << 31) as u64, 0));
            // Double version (rv64ud/move.S TEST_FSGNJD).
            let a = (s1 << 63) | 0x1234_5678_9abc_def0;
            let b = (-(s2 as i64)) as u64;
            let r = execute(op, D, a, b, 0, Rne);
            assert_eq!(
                r,
                FpOut::new(0x1234_5678_9abc_def0 | (-(new as i64) << 63) as u64, 0)
            );
        }
        // fsgnj.s with improperly boxed inputs (rv64ud/move.S TEST_FSGNJS).
        for (rd, rs1, rs2) in [
            (S_QNAN, 0x7fff_fffe_1234_5678, 0u64),
            (S_QNAN, 0xffff_fffe_1234_5678, 0),
            (S_QNAN, 0x7fff_ffff_1234_5678, 0),
            (0x1234_5678, 0xffff_ffff_1234_5678, 0),
            (S_QNAN, 0x7fff_fffe_1234_5678, 0x8000_0000),
            (S_QNAN, 0xffff_fffe_1234_5678, 0x8000_0000),
            (S_QNAN, 0x7fff_ffff_1234_5678, 0x8000_0000),
            (0x1234_5678, 0xffff_ffff_1234_5678, 0x8000_0000),
            (0xffc0_0000, 0x7fff_fffe_1234_5678, 0xffff_ffff_8000_0000),
            (0xffc0_0000, 0xffff_fffe_1234_5678, 0xffff_ffff_8000_0000),
            (0x9234_5678, 0xffff_ffff_1234_5678, 0xffff_ffff_8000_0000),
            (0x1234_5678, 0xffff_ffff_1234_5678, 0x7fff_ffff_8000_0000),
        ] {
            let r = execute(Sgnj, S, rs1, rs2, 0, Rne);
            assert_eq!(r, FpOut::new(box_s(rd), 0), "rs1={rs1:#x} rs2={rs2:#x}");
            let x = execute(MvXFromF, S, r.value, 0, 0, Rne).value;
            assert_eq!(x, rd as i32 as i64 as u64);
        }
        // fsgnj.d operates on all 64 bits, ignoring boxing (TEST_FSGNJD_SP).
        for (rd, rs1, rs2) in [
            (
                0xffff_ffff_1111_1111u64,
                0xffff_ffff_1111_1111u64,
                0xffff_ffff_1111_1111u64,
            ),
            (
                0x7fff_ffff_1111_1111,
                0xffff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
            ),
            (
                0xffff_ffff_1111_1111,
                0xffff_ffff_1111_1111,
                0xffff_ffff_9111_1111,
            ),
            (
                0xffff_ffff_1111_1111,
                0xffff_ffff_1111_1111,
                0x8000_0000_0000_0000,
            ),
            (
                0xffff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
                0xffff_ffff_1111_1111,
            ),
            (
                0x7fff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
            ),
            (
                0xffff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
                0xffff_ffff_9111_1111,
            ),
            (
                0xffff_ffff_1111_1111,
                0x7fff_ffff_1111_1111,
                0x8000_0000_0000_0000,
            ),
        ] {
            assert_eq!(execute(Sgnj, D, rs1, rs2, 0, Rne), FpOut::new(rd, 0));
        }
    }

    #[test]
    fn riscv_tests_recoding() {
        // -inf * 3 == -inf; infinities compare equal.
        let m = s3(Mul, Rne, S_NINF, fs(3.0), 0);
        assert_eq!(m, FpOut::new(box_s(S_NINF), 0));
        assert_eq!(execute(Eq, S, box_s(S_NINF), m.value, 0, Rne).value, 1);
        assert_eq!(execute(Le, S, box_s(S_NINF), m.value, 0, Rne).value, 1);
        assert_eq!(execute(Lt, S, box_s(S_NINF), m.value, 0, Rne).value, 0);
        // 0 * 1 == 0
        let z = execute(CvtFFromW, D, 0, 0, 0, Rne).value;
        let one = execute(CvtFFromW, D, 1, 0, 0, Rne).value;
        let p = execute(Mul, D, one, z, 0, Rne).value;
        assert_eq!(execute(Eq, D, z, p, 0, Rne), FpOut::new(1, 0));
        assert_eq!(execute(Lt, D, z, p, 0, Rne), FpOut::new(0, 0));
        // fcvt.s.d to a subnormal discards the extra precision (the value is
        // exactly 170271 * 2^-149, so the conversion is exact).
        let tiny = execute(CvtSFromD, S, pd("2.3860049081905093e-40"), 0, 0, Rne);
        assert_eq!(tiny, FpOut::new(box_s(170_271), 0));
        let r = execute(Mul, S, box_s(ps("1221")), tiny.value, 0, Rne);
        assert_eq!(r.value, box_s(ps("2.9133121e-37")));
    }

    // ----- rounding, zeros, special values -------------------------------

    #[test]
    fn rounding_modes_div() {
        // 1/3 single: 0x3eaaaaaa (+ 0.333... ulp remainder).
        let want = [
            0x3eaa_aaab,
            0x3eaa_aaaa,
            0x3eaa_aaaa,
            0x3eaa_aaab,
            0x3eaa_aaab,
        ];
        for (rm, w) in ALL_RM.into_iter().zip(want) {
            chk_s(Div, rm, fs(1.0), fs(3.0), 0, w, NX);
        }
        // Explicit -1/3: RDN rounds away from zero, RUP towards zero.
        chk_s(Div, Rdn, fs(-1.0), fs(3.0), 0, 0xbeaa_aaab, NX);
        chk_s(Div, Rup, fs(-1.0), fs(3.0), 0, 0xbeaa_aaaa, NX);
        chk_d(Div, Rne, fd(1.0), fd(3.0), 0, 0x3fd5_5555_5555_5555, NX);
        chk_d(Div, Rup, fd(1.0), fd(3.0), 0, 0x3fd5_5555_5555_5556, NX);
        chk_d(Div, Rdn, fd(-1.0), fd(3.0), 0, 0xbfd5_5555_5555_5556, NX);
    }

    #[test]
    fn rounding_ties() {
        // 1 + 2^-24 is exactly half an ulp above 1.0 (1.0 has an even significand).
        let half = fs(2f32.powi(-24));
        chk_s(Add, Rne, fs(1.0), half, 0, fs(1.0), NX);
        chk_s(Add, Rmm, fs(1.0), half, 0, 0x3f80_0001, NX);
        chk_s(Add, Rtz, fs(1.0), half, 0, fs(1.0), NX);
        chk_s(Add, Rdn, fs(1.0), half, 0, fs(1.0), NX);
        chk_s(Add, Rup, fs(1.0), half, 0, 0x3f80_0001, NX);
        // Odd significand: ties-to-even rounds up.
        chk_s(Add, Rne, 0x3f80_0001, half, 0, 0x3f80_0002, NX);
        chk_s(
            Add,
            Rmm,
            0xbf80_0001,
            half | 0x8000_0000,
            0,
            0xbf80_0002,
            NX,
        );
        chk_s(Add, Rmm, fs(-1.0), half | 0x8000_0000, 0, 0xbf80_0001, NX);
        let half_d = fd(2f64.powi(-53));
        chk_d(Add, Rne, fd(1.0), half_d, 0, fd(1.0), NX);
        chk_d(Add, Rmm, fd(1.0), half_d, 0, fd(1.0) + 1, NX);
        chk_d(Add, Rne, fd(1.0) + 1, half_d, 0, fd(1.0) + 2, NX);
    }

    #[test]
    fn signed_zero_results() {
        for rm in ALL_RM {
            let z = if rm == Rdn { S_NZERO } else { 0 };
            let zd = if rm == Rdn { D_NZERO } else { 0 };
            // x - x
            chk_s(Sub, rm, fs(1.5), fs(1.5), 0, z, 0);
            chk_d(Sub, rm, fd(1.5), fd(1.5), 0, zd, 0);
            chk_s(Add, rm, fs(-7.0), fs(7.0), 0, z, 0);
            // (+0) + (-0)
            chk_s(Add, rm, 0, S_NZERO, 0, z, 0);
            chk_d(Add, rm, D_NZERO, 0, 0, zd, 0);
            // (-0) + (-0) = -0, (+0) + (+0) = +0, (-0) - (+0) = -0
            chk_s(Add, rm, S_NZERO, S_NZERO, 0, S_NZERO, 0);
            chk_s(Add, rm, 0, 0, 0, 0, 0);
            chk_s(Sub, rm, S_NZERO, 0, 0, S_NZERO, 0);
            chk_d(Sub, rm, D_NZERO, 0, 0, D_NZERO, 0);
            // Exact FMA cancellation.
            chk_s(Madd, rm, fs(1.0), fs(1.0), fs(-1.0), z, 0);
            chk_s(Msub, rm, fs(2.0), fs(3.0), fs(6.0), z, 0);
            chk_s(Nmadd, rm, fs(1.0), fs(1.0), fs(-1.0), z, 0);
            chk_s(Nmsub, rm, fs(1.0), fs(1.0), fs(1.0), z, 0);
            chk_d(Madd, rm, fd(1.0), fd(1.0), fd(-1.0), zd, 0);
            chk_d(Nmsub, rm, fd(1.0), fd(1.0), fd(1.0), zd, 0);
            // Zero product plus zero addend: sign follows IEEE addition rules.
            chk_s(Madd, rm, S_NZERO, fs(1.0), S_NZERO, S_NZERO, 0);
            chk_s(Madd, rm, S_NZERO, fs(1.0), 0, z, 0);
            chk_s(Nmadd, rm, 0, fs(1.0), 0, S_NZERO, 0); // -(+0) - (+0)
            chk_s(Nmsub, rm, 0, fs(1.0), 0, z, 0); // -(+0) + (+0)
            chk_d(Nmadd, rm, 0, fd(1.0), 0, D_NZERO, 0);
            // Multiplication/division sign of zero.
            chk_s(Mul, rm, S_NZERO, fs(2.0), 0, S_NZERO, 0);
            chk_s(Mul, rm, S_NZERO, fs(-2.0), 0, 0, 0);
            chk_s(Div, rm, 0, fs(-2.0), 0, S_NZERO, 0);
            // sqrt(-0) = -0
            chk_s(Sqrt, rm, S_NZERO, 0, 0, S_NZERO, 0);
            chk_d(Sqrt, rm, D_NZERO, 0, 0, D_NZERO, 0);
        }
    }

    #[test]
    fn canonical_nan_outputs() {
        let s_nans = [
            S_QNAN,
            S_SNAN,
            0xffc0_1234,
            0x7fbf_ffff,
            0xff80_0001,
            0x7fff_ffff,
        ];
        for &n in &s_nans {
            let nv = if n & 0x0040_0000 == 0 { NV } else { 0 };
            for op in [Add, Sub, Mul, Div] {
                chk_s(op, Rne, n, fs(1.0), 0, S_QNAN, nv);
                chk_s(op, Rne, fs(1.0), n, 0, S_QNAN, nv);
            }
            for op in [Madd, Msub, Nmsub, Nmadd] {
                chk_s(op, Rne, n, fs(1.0), fs(1.0), S_QNAN, nv);
                chk_s(op, Rne, fs(1.0), n, fs(1.0), S_QNAN, nv);
                chk_s(op, Rne, fs(1.0), fs(1.0), n, S_QNAN, nv);
            }
            chk_s(Sqrt, Rne, n, 0, 0, S_QNAN, nv);
            let r = execute(CvtDFromS, D, box_s(n), 0, 0, Rne);
            assert_eq!(r, FpOut::new(D_QNAN, nv));
        }
        let d_nans = [
            D_QNAN,
            D_SNAN,
            0xfff8_0000_0000_1234,
            0x7ff7_ffff_ffff_ffff,
            u64::MAX,
        ];
        for &n in &d_nans {
            let nv = if n & (1 << 51) == 0 { NV } else { 0 };
            for op in [Add, Sub, Mul, Div] {
                chk_d(op, Rup, n, fd(1.0), 0, D_QNAN, nv);
                chk_d(op, Rup, fd(1.0), n, 0, D_QNAN, nv);
            }
            for op in [Madd, Msub, Nmsub, Nmadd] {
                chk_d(op, Rne, fd(1.0), fd(1.0), n, D_QNAN, nv);
            }
            chk_d(Sqrt, Rne, n, 0, 0, D_QNAN, nv);
            let r = execute(CvtSFromD, S, n, 0, 0, Rne);
            assert_eq!(r, FpOut::new(box_s(S_QNAN), nv));
        }
        // Invalid operations.
        chk_s(Add, Rne, S_INF, S_NINF, 0, S_QNAN, NV);
        chk_s(Mul, Rne, S_INF, 0, 0, S_QNAN, NV);
        chk_s(Mul, Rne, S_NZERO, S_NINF, 0, S_QNAN, NV);
        chk_s(Div, Rne, 0, S_NZERO, 0, S_QNAN, NV);
        chk_s(Div, Rne, S_NINF, S_INF, 0, S_QNAN, NV);
        chk_d(Div, Rne, 0, 0, 0, D_QNAN, NV);
        chk_d(Mul, Rne, D_INF, D_NZERO, 0, D_QNAN, NV);
        chk_s(Madd, Rne, S_INF, fs(1.0), S_NINF, S_QNAN, NV);
        chk_d(Msub, Rne, D_INF, fd(1.0), D_INF, D_QNAN, NV);
    }

    #[test]
    fn fma_inf_times_zero_with_nan_addend() {
        // §11.6: NV for ∞×0 even when the addend is a quiet NaN.
        for op in [Madd, Msub, Nmsub, Nmadd] {
            chk_s(op, Rne, S_INF, 0, S_QNAN, S_QNAN, NV);
            chk_s(op, Rne, S_NZERO, S_NINF, S_QNAN, S_QNAN, NV);
            chk_s(op, Rne, S_INF, 0, fs(1.0), S_QNAN, NV);
            chk_s(op, Rne, S_INF, 0, S_SNAN, S_QNAN, NV);
            chk_d(op, Rne, 0, D_INF, D_QNAN, D_QNAN, NV);
            chk_d(op, Rne, D_NINF, D_NZERO, 0xfff8_0000_0000_0042, D_QNAN, NV);
            // A NaN multiplicand is not ∞×0: quiet NaNs raise nothing.
            chk_s(op, Rne, S_QNAN, 0, S_INF, S_QNAN, 0);
            chk_s(op, Rne, S_INF, S_QNAN, fs(1.0), S_QNAN, 0);
            chk_d(op, Rne, D_QNAN, D_INF, D_QNAN, D_QNAN, 0);
            // ∞ × finite + NaN: just the NaN.
            chk_s(op, Rne, S_INF, fs(2.0), S_QNAN, S_QNAN, 0);
        }
        // ∞×2 + (-∞) is invalid, +∞ + ∞ is fine.
        chk_s(Madd, Rne, S_INF, fs(2.0), S_NINF, S_QNAN, NV);
        chk_s(Madd, Rne, S_INF, fs(2.0), S_INF, S_INF, 0);
        chk_s(Nmadd, Rne, S_INF, fs(2.0), S_INF, S_NINF, 0);
        // Finite product overflowing is irrelevant next to an infinite addend.
        chk_s(Madd, Rne, S_MAX, S_MAX, S_NINF, S_NINF, 0);
    }

    #[test]
    fn fma_single_rounding() {
        // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; a separate multiply would give 0.
        chk_s(
            Madd,
            Rne,
            0x3f80_0001,
            0x3f7f_fffe,
            fs(-1.0),
            fs(-(2f32.powi(-46))),
            0,
        );
        assert_eq!(
            s3(Mul, Rne, 0x3f80_0001, 0x3f7f_fffe, 0).value,
            box_s(fs(1.0))
        );
        chk_d(
            Madd,
            Rne,
            fd(1.0) + 1,
            fd(1.0) - 2,
            fd(-1.0),
            fd(-(2f64.powi(-104))),
            0,
        );
        chk_d(
            Nmadd,
            Rne,
            fd(1.0) + 1,
            fd(1.0) - 2,
            fd(-1.0),
            fd(2f64.powi(-104)),
            0,
        );
        chk_d(
            Msub,
            Rne,
            fd(1.0) + 1,
            fd(1.0) - 2,
            fd(1.0),
            fd(-(2f64.powi(-104))),
            0,
        );
        chk_d(
            Nmsub,
            Rne,
            fd(1.0) + 1,
            fd(1.0) - 2,
            fd(1.0),
            fd(2f64.powi(-104)),
            0,
        );
        // 0.1*10 - 1 in double: the exact residual of the rounded 0.1.
        chk_d(
            Madd,
            Rne,
            fd(0.1),
            fd(10.0),
            fd(-1.0),
            fd(0.1f64.mul_add(10.0, -1.0)),
            0,
        );
        // Product tiny relative to the addend: the addend is rounded with the product as sticky.
        chk_s(Madd, Rtz, fs(1.0), fs(1e-30), fs(1.0), fs(1.0), NX);
        chk_s(Madd, Rup, fs(1.0), fs(1e-30), fs(1.0), 0x3f80_0001, NX);
        chk_s(Madd, Rdn, fs(-1.0), fs(1e-30), fs(1.0), 0x3f7f_ffff, NX);
        chk_s(Madd, Rne, fs(-1.0), fs(1e-30), fs(1.0), fs(1.0), NX);
    }

    /// Host RNE result with NaN replaced by the canonical NaN. The value goes
    /// through `black_box`: rustc 1.95 at -O was seen folding
    /// `x.sqrt().is_nan()` to false for negative `x` inside these loops.
    fn host_d(v: f64) -> u64 {
        let v = std::hint::black_box(v);
        match v.is_nan() {
            true => D_QNAN,
            false => v.to_bits(),
        }
    }
    fn host_s(v: f32) -> u64 {
        let v = std::hint::black_box(v);
        box_s(if v.is_nan() { S_QNAN } else { v.to_bits() })
    }

    #[test]
    fn fma_matches_host_rne() {
        // The host's fused multiply-add is correctly rounded (RNE); compare values.
        let mut r = Rng(7);
        for _ in 0..20000 {
            let (a, b) = (r.next(), r.next());
            // Make c close to -(a*b) half the time to exercise cancellation.
            let c = if r.next() & 1 == 0 {
                (-(f64::from_bits(a) * f64::from_bits(b))).to_bits() ^ (r.next() & 0xff)
            } else {
                r.next()
            };
            let want = f64::from_bits(a).mul_add(f64::from_bits(b), f64::from_bits(c));
            let got = d3(Madd, Rne, a, b, c).value;
            assert_eq!(got, host_d(want), "a={a:#x} b={b:#x} c={c:#x}");
            let (a32, b32, c32) = (a as u32, b as u32, c as u32);
            let want = f32::from_bits(a32).mul_add(f32::from_bits(b32), f32::from_bits(c32));
            let got = s3(Madd, Rne, a32, b32, c32).value;
            assert_eq!(got, host_s(want), "a={a32:#x} b={b32:#x} c={c32:#x}");
        }
    }

    #[test]
    fn basic_ops_match_host_rne() {
        let mut r = Rng(11);
        for _ in 0..20000 {
            let (a, b) = (r.next(), r.next());
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            for (op, want) in [(Add, x + y), (Sub, x - y), (Mul, x * y), (Div, x / y)] {
                assert_eq!(
                    d3(op, Rne, a, b, 0).value,
                    host_d(want),
                    "{op:?} {a:#x} {b:#x}"
                );
            }
            assert_eq!(
                d3(Sqrt, Rne, a, 0, 0).value,
                host_d(x.sqrt()),
                "sqrt {a:#x}"
            );
            let (a, b) = (a as u32, b as u32);
            let (x, y) = (f32::from_bits(a), f32::from_bits(b));
            for (op, want) in [(Add, x + y), (Sub, x - y), (Mul, x * y), (Div, x / y)] {
                assert_eq!(
                    s3(op, Rne, a, b, 0).value,
                    host_s(want),
                    "{op:?} {a:#x} {b:#x}"
                );
            }
            assert_eq!(
                s3(Sqrt, Rne, a, 0, 0).value,
                host_s(x.sqrt()),
                "sqrt {a:#x}"
            );
            // fcvt.s.d
            let d = r.next();
            let want = host_s(f64::from_bits(d) as f32);
            assert_eq!(
                execute(CvtSFromD, S, d, 0, 0, Rne).value,
                want,
                "fcvt.s.d {d:#x}"
            );
        }
    }

    // ----- exceptions: overflow, underflow, divide by zero ---------------

    #[test]
    fn divide_by_zero() {
        chk_s(Div, Rne, fs(1.0), 0, 0, S_INF, DZ);
        chk_s(Div, Rne, fs(-1.0), 0, 0, S_NINF, DZ);
        chk_s(Div, Rtz, fs(1.0), S_NZERO, 0, S_NINF, DZ);
        chk_s(Div, Rne, S_MIN_SUB, 0, 0, S_INF, DZ);
        chk_d(Div, Rdn, fd(-3.0), D_NZERO, 0, D_INF, DZ);
        // ∞/0 and x/∞ raise nothing.
        chk_s(Div, Rne, S_INF, 0, 0, S_INF, 0);
        chk_s(Div, Rne, fs(1.0), S_NINF, 0, S_NZERO, 0);
        chk_d(Div, Rne, D_INF, D_NZERO, 0, D_NINF, 0);
    }

    #[test]
    fn overflow() {
        // max * 2 per rounding mode, positive and negative.
        let pos = [S_INF, S_MAX, S_MAX, S_INF, S_INF];
        let neg = [
            S_NINF,
            S_MAX | 0x8000_0000,
            S_NINF,
            S_MAX | 0x8000_0000,
            S_NINF,
        ];
        for (i, rm) in ALL_RM.into_iter().enumerate() {
            chk_s(Mul, rm, S_MAX, fs(2.0), 0, pos[i], OF | NX);
            chk_s(Mul, rm, S_MAX, fs(-2.0), 0, neg[i], OF | NX);
            chk_s(Add, rm, S_MAX, S_MAX, 0, pos[i], OF | NX);
            chk_s(Div, rm, S_MAX, fs(0.5), 0, pos[i], OF | NX);
            chk_s(Madd, rm, S_MAX, fs(2.0), 0, pos[i], OF | NX);
            chk_s(Nmadd, rm, S_MAX, fs(2.0), 0, neg[i], OF | NX);
            let dpos = if pos[i] == S_INF { D_INF } else { D_MAX };
            chk_d(Mul, rm, D_MAX, fd(2.0), 0, dpos, OF | NX);
            chk_d(Madd, rm, D_MAX, fd(1.5), D_MAX, dpos, OF | NX);
            let r = execute(CvtSFromD, S, fd(1e39), 0, 0, rm);
            assert_eq!(r, FpOut::new(box_s(pos[i]), OF | NX), "{rm:?}");
            let r = execute(CvtSFromD, S, fd(-1e39), 0, 0, rm);
            assert_eq!(r, FpOut::new(box_s(neg[i]), OF | NX), "{rm:?}");
        }
        // max + half an ulp of max (2^103): a tie. RNE rounds to the even
        // neighbour 2^128, which overflows; RTZ/RDN deliver max with no
        // overflow because the unbounded-exponent result is max itself.
        let h = 0x7300_0000; // 2^103
        chk_s(Add, Rne, S_MAX, h, 0, S_INF, OF | NX);
        chk_s(Add, Rmm, S_MAX, h, 0, S_INF, OF | NX);
        chk_s(Add, Rup, S_MAX, h, 0, S_INF, OF | NX);
        chk_s(Add, Rtz, S_MAX, h, 0, S_MAX, NX);
        chk_s(Add, Rdn, S_MAX, h, 0, S_MAX, NX);
        // Slightly less than half an ulp: no overflow in any mode except RUP.
        chk_s(Add, Rne, S_MAX, 0x72ff_ffff, 0, S_MAX, NX);
        chk_s(Add, Rup, S_MAX, 0x72ff_ffff, 0, S_INF, OF | NX);
        chk_s(Add, Rtz, S_MAX, S_MAX - 0x0c00_0000, 0, S_MAX, NX);
        // fcvt.s.d just above max single in RTZ: no overflow.
        let just_above = fd(f64::from(f32::MAX)) + 1;
        let r = execute(CvtSFromD, S, just_above, 0, 0, Rtz);
        assert_eq!(r, FpOut::new(box_s(S_MAX), NX));
        // Infinite operands do not overflow.
        chk_s(Mul, Rne, S_INF, fs(2.0), 0, S_INF, 0);
        chk_s(Add, Rtz, S_INF, fs(2.0), 0, S_INF, 0);
    }

    #[test]
    fn underflow_tininess_after_rounding() {
        // (1 - 2^-24) * 2^-126: exactly representable with unbounded exponent,
        // hence tiny; rounds to 2^-126 in RNE/RUP/RMM but is still tiny and inexact.
        let a = 0x3f7f_ffff;
        let want = [
            S_MIN_NORMAL,
            0x007f_ffff,
            0x007f_ffff,
            S_MIN_NORMAL,
            S_MIN_NORMAL,
        ];
        for (rm, w) in ALL_RM.into_iter().zip(want) {
            chk_s(Mul, rm, a, S_MIN_NORMAL, 0, w, UF | NX);
            chk_s(Madd, rm, a, S_MIN_NORMAL, 0, w, UF | NX);
            chk_s(Madd, rm, a, S_MIN_NORMAL, S_NZERO, w, UF | NX);
            chk_s(Div, rm, a, 0x7e80_0000, 0, w, UF | NX); // / 2^126
            let r = execute(
                CvtSFromD,
                S,
                fd(f64::from(f32::from_bits(a)) * 2f64.powi(-126)),
                0,
                0,
                rm,
            );
            assert_eq!(r, FpOut::new(box_s(w), UF | NX), "{rm:?}");
        }
        // Double: (1 - 2^-53) * 2^-1022.
        let ad = 0x3fef_ffff_ffff_ffff;
        chk_d(Mul, Rne, ad, D_MIN_NORMAL, 0, D_MIN_NORMAL, UF | NX);
        chk_d(Mul, Rup, ad, D_MIN_NORMAL, 0, D_MIN_NORMAL, UF | NX);
        chk_d(Mul, Rtz, ad, D_MIN_NORMAL, 0, D_MIN_NORMAL - 1, UF | NX);
        chk_d(Madd, Rne, ad, D_MIN_NORMAL, 0, D_MIN_NORMAL, UF | NX);
        // (2^25 - 1) * 2^-151 = (1 - 2^-25) * 2^-126: with unbounded exponent it
        // rounds (RNE, tie to even) to 2^-126, so it is *not* tiny: NX only.
        let x = fs(18631.0 * 2f32.powi(-20));
        let y = fs((1801.0 * 2f64.powi(-131)) as f32);
        chk_s(Mul, Rne, x, y, 0, S_MIN_NORMAL, NX);
        chk_s(Mul, Rup, x, y, 0, S_MIN_NORMAL, NX);
        chk_s(Mul, Rmm, x, y, 0, S_MIN_NORMAL, NX);
        chk_s(Mul, Rtz, x, y, 0, 0x007f_ffff, UF | NX);
        chk_s(Mul, Rdn, x, y, 0, 0x007f_ffff, UF | NX);
        let r = execute(
            CvtSFromD,
            S,
            fd(2f64.powi(-126) - 2f64.powi(-151)),
            0,
            0,
            Rne,
        );
        assert_eq!(r, FpOut::new(box_s(S_MIN_NORMAL), NX));
        // (2^23 - 16)(1 + 2^-19) * 2^-149 = 2^-126 - 2^-164: rounds to 2^-126 even
        // with an unbounded exponent, so NX only.
        chk_s(Mul, Rne, 0x007f_fff0, 0x3f80_0010, 0, S_MIN_NORMAL, NX);
        // Exact subnormal results raise nothing.
        chk_s(Mul, Rne, S_MIN_NORMAL, fs(0.5), 0, 0x0040_0000, 0);
        chk_s(Sub, Rne, 0x0080_0001, S_MIN_NORMAL, 0, S_MIN_SUB, 0);
        chk_d(Div, Rne, D_MIN_NORMAL, fd(4.0), 0, 0x0004_0000_0000_0000, 0);
        let r = execute(CvtSFromD, S, fd(2f64.powi(-149)), 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(S_MIN_SUB), 0));
        // Inexact subnormal / zero results.
        chk_s(Mul, Rne, S_MIN_SUB, fs(0.5), 0, 0, UF | NX);
        chk_s(Mul, Rup, S_MIN_SUB, fs(0.5), 0, S_MIN_SUB, UF | NX);
        chk_s(Mul, Rmm, S_MIN_SUB, fs(0.5), 0, S_MIN_SUB, UF | NX);
        chk_s(
            Mul,
            Rdn,
            S_MIN_SUB,
            fs(-0.5),
            0,
            S_MIN_SUB | 0x8000_0000,
            UF | NX,
        );
        chk_s(
            Mul,
            Rne,
            S_MIN_SUB,
            fs(-0.75),
            0,
            S_MIN_SUB | 0x8000_0000,
            UF | NX,
        );
        chk_d(Mul, Rne, D_MIN_SUB, fd(0.25), 0, 0, UF | NX);
        chk_d(Div, Rup, D_MIN_SUB, fd(3.0), 0, D_MIN_SUB, UF | NX);
        let r = execute(CvtSFromD, S, fd(1e-300), 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(0), UF | NX));
        let r = execute(CvtSFromD, S, fd(-1e-300), 0, 0, Rdn);
        assert_eq!(r, FpOut::new(box_s(0x8000_0001), UF | NX));
        // Tiny FMA result via cancellation, exact: no flags.
        chk_s(
            Madd,
            Rne,
            S_MIN_NORMAL,
            fs(1.5),
            0x8090_0000,
            0x0030_0000,
            0,
        );
    }

    // ----- sqrt --------------------------------------------------------------

    #[test]
    fn sqrt_special_and_rounding() {
        for rm in ALL_RM {
            chk_s(Sqrt, rm, 0, 0, 0, 0, 0);
            chk_s(Sqrt, rm, S_INF, 0, 0, S_INF, 0);
            chk_s(Sqrt, rm, S_NINF, 0, 0, S_QNAN, NV);
            chk_s(Sqrt, rm, S_MIN_SUB | 0x8000_0000, 0, 0, S_QNAN, NV);
            chk_s(Sqrt, rm, fs(4.0), 0, 0, fs(2.0), 0);
            chk_s(Sqrt, rm, fs(0.25), 0, 0, fs(0.5), 0);
            chk_d(Sqrt, rm, D_INF, 0, 0, D_INF, 0);
            chk_d(Sqrt, rm, D_NINF, 0, 0, D_QNAN, NV);
            chk_d(Sqrt, rm, D_MIN_SUB, 0, 0, (1023 - 537) << 52, 0);
            chk_s(Sqrt, rm, 2, 0, 0, (127 - 74) << 23, 0);
        }
        // sqrt(2) = 1.41421356...: 0x3fb504f3 is below, 0x3fb504f4 above.
        chk_s(Sqrt, Rne, fs(2.0), 0, 0, 0x3fb5_04f3, NX);
        chk_s(Sqrt, Rtz, fs(2.0), 0, 0, 0x3fb5_04f3, NX);
        chk_s(Sqrt, Rdn, fs(2.0), 0, 0, 0x3fb5_04f3, NX);
        chk_s(Sqrt, Rup, fs(2.0), 0, 0, 0x3fb5_04f4, NX);
        chk_s(Sqrt, Rmm, fs(2.0), 0, 0, 0x3fb5_04f3, NX);
        chk_d(Sqrt, Rne, fd(2.0), 0, 0, 0x3ff6_a09e_667f_3bcd, NX);
        chk_d(Sqrt, Rup, fd(2.0), 0, 0, 0x3ff6_a09e_667f_3bcd, NX);
        chk_d(Sqrt, Rtz, fd(2.0), 0, 0, 0x3ff6_a09e_667f_3bcc, NX);
        // Extremes: largest finite, smallest subnormal (never under/overflow).
        chk_s(Sqrt, Rne, S_MAX, 0, 0, fs(f32::MAX.sqrt()), NX);
        chk_s(Sqrt, Rne, S_MIN_SUB, 0, 0, fs(f32::from_bits(1).sqrt()), NX);
        chk_d(Sqrt, Rne, D_MAX, 0, 0, fd(f64::MAX.sqrt()), NX);
        chk_d(
            Sqrt,
            Rne,
            0x000f_ffff_ffff_ffff,
            0,
            0,
            fd(f64::from_bits(0x000f_ffff_ffff_ffff).sqrt()),
            NX,
        );
    }

    #[test]
    fn sqrt_directed_rounding_property() {
        // For every mode, the result r must satisfy the directed inequalities,
        // checked exactly with the host FMA: r*r - x.
        let mut r = Rng(3);
        for _ in 0..20000 {
            let x = r.next() >> 1; // positive doubles (incl. subnormals, inf, NaN)
            let xf = f64::from_bits(x);
            // Keep r*r - x representable so the host FMA decides exactness.
            if !xf.is_finite() || xf < 1e-250 {
                continue;
            }
            let host = xf.sqrt();
            let exact = host.mul_add(host, -xf) == 0.0;
            let fl = if exact { 0 } else { NX };
            let below = if host.mul_add(host, -xf) > 0.0 {
                host.next_down()
            } else {
                host
            };
            let above = if exact { host } else { below.next_up() };
            chk_d(Sqrt, Rne, x, 0, 0, host.to_bits(), fl);
            chk_d(Sqrt, Rtz, x, 0, 0, below.to_bits(), fl);
            chk_d(Sqrt, Rdn, x, 0, 0, below.to_bits(), fl);
            chk_d(Sqrt, Rup, x, 0, 0, above.to_bits(), fl);
            // sqrt never ties, so RMM == RNE.
            chk_d(Sqrt, Rmm, x, 0, 0, host.to_bits(), fl);
        }
    }

    // ----- min/max, compare, classify ---------------------------------------

    #[test]
    fn min_max_nan_rules() {
        // One NaN: the other operand; sNaN raises NV even though the result is not NaN.
        chk_s(Min, Rne, S_QNAN, fs(-3.0), 0, fs(-3.0), 0);
        chk_s(Max, Rne, fs(-3.0), 0xffc0_1234, 0, fs(-3.0), 0);
        chk_s(Min, Rne, fs(5.0), S_SNAN, 0, fs(5.0), NV);
        chk_s(Max, Rne, 0xff80_0005, S_NINF, 0, S_NINF, NV);
        // Both NaN: canonical NaN.
        chk_s(Min, Rne, S_SNAN, S_QNAN, 0, S_QNAN, NV);
        chk_s(Max, Rne, 0xffc0_0001, 0x7fc0_0002, 0, S_QNAN, 0);
        chk_d(Min, Rne, D_SNAN, D_SNAN, 0, D_QNAN, NV);
        chk_d(Max, Rne, 0xfff8_0000_0000_0001, fd(1.0), 0, fd(1.0), 0);
        // Ordering with infinities and subnormals.
        chk_s(Min, Rne, S_NINF, S_MAX | 0x8000_0000, 0, S_NINF, 0);
        chk_s(Max, Rne, S_INF, S_MAX, 0, S_INF, 0);
        chk_s(Min, Rne, S_MIN_SUB, 0, 0, 0, 0);
        chk_s(Max, Rne, S_MIN_SUB | 0x8000_0000, S_NZERO, 0, S_NZERO, 0);
        chk_d(Min, Rne, fd(-1.0), fd(-2.0), 0, fd(-2.0), 0);
        chk_d(Max, Rne, D_MIN_SUB, D_NZERO, 0, D_MIN_SUB, 0);
        // Improperly boxed operand acts as the canonical quiet NaN.
        let r = execute(Min, S, 0x1234, box_s(fs(7.0)), 0, Rne);
        assert_eq!(r, FpOut::new(box_s(fs(7.0)), 0));
        let r = execute(Max, S, 0x1234, 0x5678, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(S_QNAN), 0));
    }

    #[test]
    fn comparisons() {
        for (a, b, eq, lt, le) in [
            (0u32, S_NZERO, 1, 0, 1),
            (S_NZERO, 0, 1, 0, 1),
            (S_NINF, S_INF, 0, 1, 1),
            (S_INF, S_INF, 1, 0, 1),
            (S_INF, S_MAX, 0, 0, 0),
            (fs(-1.0), fs(-2.0), 0, 0, 0),
            (fs(-2.0), fs(-1.0), 0, 1, 1),
            (S_MIN_SUB, 0, 0, 0, 0),
            (S_MIN_SUB | 0x8000_0000, 0, 0, 1, 1),
            (fs(1.0), fs(1.0), 1, 0, 1),
        ] {
            chk_xs(Eq, Rne, a, b, eq, 0);
            chk_xs(Lt, Rne, a, b, lt, 0);
            chk_xs(Le, Rne, a, b, le, 0);
            let (x, y) = (
                f64::from(f32::from_bits(a)).to_bits(),
                f64::from(f32::from_bits(b)).to_bits(),
            );
            chk_xd(Eq, Rne, x, y, eq, 0);
            chk_xd(Lt, Rne, x, y, lt, 0);
            chk_xd(Le, Rne, x, y, le, 0);
        }
        // feq is quiet for qNaN, signalling for sNaN; flt/fle signal for any NaN.
        chk_xs(Eq, Rne, S_QNAN, S_QNAN, 0, 0);
        chk_xs(Eq, Rne, fs(1.0), S_SNAN, 0, NV);
        chk_xs(Lt, Rne, fs(1.0), S_QNAN, 0, NV);
        chk_xs(Le, Rne, 0xffc0_0000, fs(1.0), 0, NV);
        chk_xd(Eq, Rne, D_QNAN, fd(1.0), 0, 0);
        chk_xd(Eq, Rne, fd(1.0), D_SNAN, 0, NV);
        chk_xd(Lt, Rne, fd(1.0), D_QNAN, 0, NV);
    }

    // ----- conversions ----------------------------------------------------------

    #[test]
    fn float_to_int_rounding() {
        // (x, [rne, rtz, rdn, rup, rmm])
        let cases: [(f64, [i64; 5]); 10] = [
            (2.5, [2, 2, 2, 3, 3]),
            (-2.5, [-2, -2, -3, -2, -3]),
            (3.5, [4, 3, 3, 4, 4]),
            (-3.5, [-4, -3, -4, -3, -4]),
            (0.5, [0, 0, 0, 1, 1]),
            (-0.5, [0, 0, -1, 0, -1]),
            (1.25, [1, 1, 1, 2, 1]),
            (-1.75, [-2, -1, -2, -1, -2]),
            (1e-30, [0, 0, 0, 1, 0]),
            (-1e-30, [0, 0, -1, 0, 0]),
        ];
        for (x, want) in cases {
            for (rm, w) in ALL_RM.into_iter().zip(want) {
                chk_xd(CvtWFromF, rm, fd(x), 0, w as u64, NX);
                chk_xd(CvtLFromF, rm, fd(x), 0, w as u64, NX);
                chk_xs(CvtWFromF, rm, fs(x as f32), 0, w as u64, NX);
                chk_xs(CvtLFromF, rm, fs(x as f32), 0, w as u64, NX);
                // Unsigned: negative results are invalid, but a negative input that
                // rounds to 0 is merely inexact.
                let (uw, uf) = if w < 0 { (0, NV) } else { (w as u64, NX) };
                chk_xd(CvtWuFromF, rm, fd(x), 0, uw, uf);
                chk_xd(CvtLuFromF, rm, fd(x), 0, uw, uf);
                chk_xs(CvtLuFromF, rm, fs(x as f32), 0, uw, uf);
            }
        }
        // Subnormal inputs.
        chk_xs(CvtWFromF, Rup, S_MIN_SUB, 0, 1, NX);
        chk_xs(CvtWFromF, Rne, S_MIN_SUB, 0, 0, NX);
        chk_xd(CvtLFromF, Rdn, D_MIN_SUB | D_NZERO, 0, u64::MAX, NX);
        // Zeros are exact.
        for rm in ALL_RM {
            chk_xs(CvtWuFromF, rm, S_NZERO, 0, 0, 0);
            chk_xd(CvtLFromF, rm, D_NZERO, 0, 0, 0);
        }
    }

    #[test]
    fn float_to_int_range_edges() {
        // Exactly representable extremes.
        chk_xs(
            CvtWFromF,
            Rne,
            fs(-2147483648.0),
            0,
            0xffff_ffff_8000_0000,
            0,
        );
        chk_xs(CvtWFromF, Rne, fs(2147483648.0), 0, 0x7fff_ffff, NV);
        chk_xs(CvtWFromF, Rne, 0x4eff_ffff, 0, 0x7fff_ff80, 0);
        // fcvt.wu.s of a value yielding 0xffffffff... (largest single below 2^32)
        // gives 0xffffff00 sign-extended.
        chk_xs(CvtWuFromF, Rne, 0x4f7f_ffff, 0, 0xffff_ffff_ffff_ff00, 0);
        chk_xs(CvtWuFromF, Rne, fs(4294967296.0), 0, u64::MAX, NV);
        chk_xd(CvtWuFromF, Rne, fd(4294967295.0), 0, u64::MAX, 0);
        chk_xd(CvtWuFromF, Rtz, fd(4294967295.9), 0, u64::MAX, NX);
        chk_xd(CvtWuFromF, Rne, fd(4294967295.5), 0, u64::MAX, NV);
        chk_xd(
            CvtWuFromF,
            Rne,
            fd(2147483648.0),
            0,
            0xffff_ffff_8000_0000,
            0,
        );
        chk_xd(CvtWFromF, Rtz, fd(2147483647.5), 0, 0x7fff_ffff, NX);
        chk_xd(CvtWFromF, Rne, fd(2147483647.5), 0, 0x7fff_ffff, NV);
        chk_xd(CvtWFromF, Rne, fd(2147483646.5), 0, 0x7fff_fffe, NX);
        chk_xd(
            CvtWFromF,
            Rtz,
            fd(-2147483648.5),
            0,
            0xffff_ffff_8000_0000,
            NX,
        );
        chk_xd(
            CvtWFromF,
            Rne,
            fd(-2147483648.5),
            0,
            0xffff_ffff_8000_0000,
            NX,
        );
        chk_xd(
            CvtWFromF,
            Rdn,
            fd(-2147483648.5),
            0,
            0xffff_ffff_8000_0000,
            NV,
        );
        chk_xd(
            CvtWFromF,
            Rmm,
            fd(-2147483648.5),
            0,
            0xffff_ffff_8000_0000,
            NV,
        );
        chk_xd(CvtLFromF, Rne, fd(-9223372036854775808.0), 0, 1 << 63, 0);
        chk_xd(
            CvtLFromF,
            Rne,
            fd(9223372036854775808.0),
            0,
            i64::MAX as u64,
            NV,
        );
        chk_xd(
            CvtLFromF,
            Rne,
            0x43df_ffff_ffff_ffff,
            0,
            0x7fff_ffff_ffff_fc00,
            0,
        );
        chk_xd(
            CvtLuFromF,
            Rne,
            0x43ef_ffff_ffff_ffff,
            0,
            0xffff_ffff_ffff_f800,
            0,
        );
        chk_xd(CvtLuFromF, Rne, fd(18446744073709551616.0), 0, u64::MAX, NV);
        chk_xd(CvtLuFromF, Rne, D_MAX, 0, u64::MAX, NV);
        chk_xd(CvtLFromF, Rne, D_MAX | D_NZERO, 0, 1 << 63, NV);
        chk_xs(CvtLFromF, Rne, S_MAX, 0, i64::MAX as u64, NV);
        chk_xs(CvtLuFromF, Rne, fs(-1e30), 0, 0, NV);
        chk_xs(CvtLuFromF, Rtz, 0x5f7f_ffff, 0, 0xffff_ff00_0000_0000, 0);
        // sNaN/qNaN of either sign -> max positive.
        chk_xs(CvtWFromF, Rne, S_SNAN | 0x8000_0000, 0, 0x7fff_ffff, NV);
        chk_xd(CvtWuFromF, Rne, D_SNAN, 0, u64::MAX, NV);
        // Improperly boxed single -> canonical NaN -> NV, max.
        let r = execute(CvtWFromF, S, 0x4000_0000, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0x7fff_ffff, NV));
    }

    #[test]
    fn int_to_float() {
        // W/WU read only the low 32 bits of the source.
        let r = execute(CvtFFromW, S, 0x1234_5678_0000_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(fs(1.0)), 0));
        let r = execute(CvtFFromW, D, 0x0000_0000_ffff_ffff, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(-1.0), 0));
        let r = execute(CvtFFromWu, D, 0xffff_ffff_ffff_ffff, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(4294967295.0), 0));
        let r = execute(CvtFFromW, D, 0x8000_0000, 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(-2147483648.0), 0));
        // Zero is +0.
        for op in [CvtFFromW, CvtFFromWu, CvtFFromL, CvtFFromLu] {
            for rm in ALL_RM {
                assert_eq!(execute(op, S, 0, 0, 0, rm), FpOut::new(box_s(0), 0));
                assert_eq!(execute(op, D, 0, 0, 0, rm), FpOut::new(0, 0));
            }
        }
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2.
        let t = 16_777_217;
        let want = [
            0x4b80_0000,
            0x4b80_0000,
            0x4b80_0000,
            0x4b80_0001,
            0x4b80_0001,
        ];
        for (rm, w) in ALL_RM.into_iter().zip(want) {
            assert_eq!(
                execute(CvtFFromW, S, t, 0, 0, rm),
                FpOut::new(box_s(w), NX),
                "{rm:?}"
            );
            let nt = (-(t as i64)) as u64;
            let nw = match rm {
                Rdn => 0xcb80_0001,
                Rup => 0xcb80_0000,
                _ => w | 0x8000_0000,
            };
            assert_eq!(
                execute(CvtFFromL, S, nt, 0, 0, rm),
                FpOut::new(box_s(nw), NX),
                "{rm:?}"
            );
        }
        // Large 64-bit values.
        let r = execute(CvtFFromL, S, i64::MAX as u64, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(0x5f00_0000), NX));
        let r = execute(CvtFFromL, S, i64::MAX as u64, 0, 0, Rtz);
        assert_eq!(r, FpOut::new(box_s(0x5eff_ffff), NX));
        let r = execute(CvtFFromL, D, 1 << 63, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0xc3e0_0000_0000_0000, 0));
        let r = execute(CvtFFromLu, S, u64::MAX, 0, 0, Rne);
        assert_eq!(r, FpOut::new(box_s(0x5f80_0000), NX));
        let r = execute(CvtFFromLu, D, u64::MAX, 0, 0, Rtz);
        assert_eq!(r, FpOut::new(0x43ef_ffff_ffff_ffff, NX));
        let r = execute(CvtFFromLu, D, u64::MAX, 0, 0, Rup);
        assert_eq!(r, FpOut::new(0x43f0_0000_0000_0000, NX));
        let r = execute(CvtFFromL, D, (1 << 53) + 1, 0, 0, Rmm);
        assert_eq!(r, FpOut::new(fd(9007199254740994.0), NX));
    }

    #[test]
    fn float_float_conversions() {
        for rm in ALL_RM {
            // 0.1 (double) is not representable in single.
            let r = execute(CvtSFromD, S, fd(0.1), 0, 0, rm);
            let w = match rm {
                Rne | Rup | Rmm => 0x3dcc_cccd,
                _ => 0x3dcc_cccc,
            };
            assert_eq!(r, FpOut::new(box_s(w), NX), "{rm:?}");
            // Infinities, zeros pass through exactly.
            for (d, s) in [(D_INF, S_INF), (D_NINF, S_NINF), (0, 0), (D_NZERO, S_NZERO)] {
                assert_eq!(execute(CvtSFromD, S, d, 0, 0, rm), FpOut::new(box_s(s), 0));
                assert_eq!(execute(CvtDFromS, D, box_s(s), 0, 0, rm), FpOut::new(d, 0));
            }
        }
        // fcvt.d.s is exact, including subnormals.
        let r = execute(CvtDFromS, D, box_s(S_MIN_SUB), 0, 0, Rne);
        assert_eq!(r, FpOut::new(fd(2f64.powi(-149)), 0));
        let r = execute(CvtDFromS, D, box_s(0x807f_ffff), 0, 0, Rne);
        assert_eq!(
            r,
            FpOut::new(fd(-(f64::from(0x7f_ffffu32) * 2f64.powi(-149))), 0)
        );
        // Improperly boxed -> canonical NaN, no NV; sNaN -> NV.
        assert_eq!(
            execute(CvtDFromS, D, 0x3f80_0000, 0, 0, Rne),
            FpOut::new(D_QNAN, 0)
        );
        assert_eq!(
            execute(CvtDFromS, D, box_s(S_SNAN), 0, 0, Rne),
            FpOut::new(D_QNAN, NV)
        );
        assert_eq!(
            execute(CvtSFromD, S, D_SNAN, 0, 0, Rne),
            FpOut::new(box_s(S_QNAN), NV)
        );
        // Round-trip of a subnormal single through double is exact.
        let r = execute(
            CvtSFromD,
            S,
            fd(f64::from(f32::from_bits(0x0012_3457))),
            0,
            0,
            Rne,
        );
        assert_eq!(r, FpOut::new(box_s(0x0012_3457), 0));
        // Inexact conversion into the subnormal range.
        let d = fd(f64::from(f32::from_bits(0x0012_3457)) * (1.0 + 2f64.powi(-40)));
        assert_eq!(
            execute(CvtSFromD, S, d, 0, 0, Rne),
            FpOut::new(box_s(0x0012_3457), UF | NX)
        );
        assert_eq!(
            execute(CvtSFromD, S, d, 0, 0, Rup),
            FpOut::new(box_s(0x0012_3458), UF | NX)
        );
    }

    #[test]
    fn moves() {
        // fmv.x.w sign-extends the low 32 bits and ignores boxing.
        let r = execute(MvXFromF, S, 0xffff_ffff_8000_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0xffff_ffff_8000_0001, 0));
        let r = execute(MvXFromF, S, 0x0000_0000_8000_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0xffff_ffff_8000_0001, 0));
        let r = execute(MvXFromF, S, 0x1234_5678_7f80_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0x7f80_0001, 0));
        // fmv.w.x NaN-boxes the low 32 bits, keeping sNaN payloads.
        let r = execute(MvFFromX, S, 0x1234_5678_7f80_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0xffff_ffff_7f80_0001, 0));
        // D moves are raw.
        let r = execute(MvXFromF, D, 0x7ff0_0000_0000_0001, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0x7ff0_0000_0000_0001, 0));
        let r = execute(MvFFromX, D, 0x0123_4567_89ab_cdef, 0, 0, Rne);
        assert_eq!(r, FpOut::new(0x0123_4567_89ab_cdef, 0));
    }

    #[test]
    fn sign_injection_keeps_nan_payloads() {
        // fsgnj* are not arithmetic: NaN payloads (even sNaN) pass unchanged, no NV.
        chk_s(Sgnj, Rne, S_SNAN, S_NZERO, 0, S_SNAN | 0x8000_0000, 0);
        chk_s(Sgnjn, Rne, 0xffc1_2345, 0xffc1_2345, 0, 0x7fc1_2345, 0);
        chk_s(Sgnjx, Rne, fs(-1.0), fs(-2.0), 0, fs(1.0), 0);
        chk_d(Sgnjx, Rne, D_SNAN | D_NZERO, D_NZERO, 0, D_SNAN, 0);
        chk_d(Sgnjn, Rne, fd(3.0), fd(3.0), 0, fd(-3.0), 0);
    }
}
