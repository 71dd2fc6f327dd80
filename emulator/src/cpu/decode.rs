//! Instruction decoding: 32-bit encodings (Unprivileged ISA 20191213, chapter 24
//! "RV32/64G Instruction Set Listings") into a compact [`Insn`], which the
//! decode cache stores per physical page. Compressed encodings are first
//! expanded to their 32-bit equivalents by [`super::rvc::expand`].

use super::fpu::{FpOp, Precision};

/// Operation of a decoded instruction. One variant per execute routine; the
/// interpreter's hot loop is a single `match` over this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    /// Slot not decoded yet (decode cache filler).
    Undecoded,
    /// Reserved or unsupported encoding: illegal-instruction exception.
    Illegal,
    // RV64I
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
    Sb,
    Sh,
    Sw,
    Sd,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    Fence,
    FenceI,
    Ecall,
    Ebreak,
    // M
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
    // A (width in `Insn::fop`: 2 = word, 3 = doubleword)
    Lr,
    Sc,
    AmoSwap,
    AmoAdd,
    AmoXor,
    AmoAnd,
    AmoOr,
    AmoMin,
    AmoMax,
    AmoMinu,
    AmoMaxu,
    // Zicsr (CSR number in `imm`)
    Csrrw,
    Csrrs,
    Csrrc,
    Csrrwi,
    Csrrsi,
    Csrrci,
    // Privileged
    Mret,
    Sret,
    Wfi,
    SfenceVma,
    // F / D
    Flw,
    Fld,
    Fsw,
    Fsd,
    /// F/D operation with f-register sources and an f-register result.
    FpF,
    /// F/D operation with f-register sources and an x-register result
    /// (compare, classify, fcvt to integer, fmv.x).
    FpX,
    /// F/D operation with an x-register source and an f-register result
    /// (fcvt from integer, fmv from x).
    FpFromX,
}

impl Op {
    /// LR, SC and the AMOs (the A extension): the access address is `rs1`
    /// itself, with no offset.
    pub fn is_atomic(self) -> bool {
        matches!(
            self,
            Op::Lr
                | Op::Sc
                | Op::AmoSwap
                | Op::AmoAdd
                | Op::AmoXor
                | Op::AmoAnd
                | Op::AmoOr
                | Op::AmoMin
                | Op::AmoMax
                | Op::AmoMinu
                | Op::AmoMaxu
        )
    }

    /// Whether the operation writes the integer register `rd`.
    pub fn writes_x(self) -> bool {
        let op = self;
        !matches!(
            op,
            Op::Beq
                | Op::Bne
                | Op::Blt
                | Op::Bge
                | Op::Bltu
                | Op::Bgeu
                | Op::Sb
                | Op::Sh
                | Op::Sw
                | Op::Sd
                | Op::Fence
                | Op::FenceI
                | Op::Ecall
                | Op::Ebreak
                | Op::Mret
                | Op::Sret
                | Op::Wfi
                | Op::SfenceVma
                | Op::Flw
                | Op::Fld
                | Op::Fsw
                | Op::Fsd
                | Op::FpF
                | Op::FpFromX
                | Op::Illegal
                | Op::Undecoded
        )
    }
}

/// A decoded instruction: 16 bytes, copied out of the decode cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub op: Op,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub rs3: u8,
    /// Rounding-mode field of F/D instructions (7 = dynamic); for AMOs, the
    /// aq/rl bits.
    pub rm: u8,
    /// F/D: [`FpOp`] index | 0x80 for double precision. A: log2 of the access
    /// width in bytes.
    pub fop: u8,
    /// Instruction length in bytes: 2 (compressed) or 4.
    pub len: u8,
    /// Sign-extended immediate, CSR number, or shift amount.
    pub imm: i32,
    /// The raw instruction bits as fetched (16-bit parcel for compressed
    /// instructions): `mtval` for illegal instructions and the trace log.
    pub raw: u32,
}

impl Insn {
    /// In a block (see `cpu::block`): the instruction's byte offset
    /// from the block's first instruction, kept in the low 16 bits of
    /// `raw`.
    #[inline(always)]
    pub fn block_offset(&self) -> u64 {
        (self.raw & 0xffff) as u64
    }

    /// In a block: how many loads and stores precede the instruction in
    /// the block, kept in the high 16 bits of `raw` (the data accesses a
    /// block made when it is left at this instruction, which is not itself
    /// a completed access).
    #[inline(always)]
    pub fn mems_before(&self) -> u64 {
        (self.raw >> 16) as u64
    }

    /// The filler of an empty decode-cache slot.
    pub const UNDECODED: Insn = Insn {
        op: Op::Undecoded,
        rd: 0,
        rs1: 0,
        rs2: 0,
        rs3: 0,
        rm: 0,
        fop: 0,
        len: 4,
        imm: 0,
        raw: 0,
    };

    fn new(op: Op, raw: u32) -> Insn {
        Insn {
            op,
            rd: ((raw >> 7) & 31) as u8,
            rs1: ((raw >> 15) & 31) as u8,
            rs2: ((raw >> 20) & 31) as u8,
            rs3: (raw >> 27) as u8,
            rm: ((raw >> 12) & 7) as u8,
            fop: 0,
            len: 4,
            imm: 0,
            raw,
        }
    }

    fn illegal(raw: u32) -> Insn {
        Insn::new(Op::Illegal, raw)
    }

    /// The F/D operation and precision of an `FpF`/`FpX`/`FpFromX` instruction.
    #[inline]
    pub fn fp_op(&self) -> (FpOp, Precision) {
        let prec = if self.fop & 0x80 != 0 {
            Precision::D
        } else {
            Precision::S
        };
        (FP_OPS[(self.fop & 0x7f) as usize], prec)
    }
}

/// Table mapping `Insn::fop & 0x7f` back to an [`FpOp`].
const FP_OPS: [FpOp; 30] = [
    FpOp::Add,
    FpOp::Sub,
    FpOp::Mul,
    FpOp::Div,
    FpOp::Sqrt,
    FpOp::Min,
    FpOp::Max,
    FpOp::Madd,
    FpOp::Msub,
    FpOp::Nmsub,
    FpOp::Nmadd,
    FpOp::Sgnj,
    FpOp::Sgnjn,
    FpOp::Sgnjx,
    FpOp::Eq,
    FpOp::Lt,
    FpOp::Le,
    FpOp::Class,
    FpOp::CvtWFromF,
    FpOp::CvtWuFromF,
    FpOp::CvtLFromF,
    FpOp::CvtLuFromF,
    FpOp::CvtFFromW,
    FpOp::CvtFFromWu,
    FpOp::CvtFFromL,
    FpOp::CvtFFromLu,
    FpOp::CvtSFromD,
    FpOp::CvtDFromS,
    FpOp::MvXFromF,
    FpOp::MvFFromX,
];

fn fp_index(op: FpOp) -> u8 {
    FP_OPS.iter().position(|&o| o == op).unwrap_or(0) as u8
}

/// Sign-extended I-type immediate (bits 31:20).
#[inline]
fn imm_i(raw: u32) -> i32 {
    (raw as i32) >> 20
}

/// Sign-extended S-type immediate.
#[inline]
fn imm_s(raw: u32) -> i32 {
    ((raw as i32) >> 25 << 5) | ((raw >> 7) & 31) as i32
}

/// Sign-extended B-type immediate.
#[inline]
fn imm_b(raw: u32) -> i32 {
    ((raw as i32) >> 31 << 12)
        | (((raw >> 7) & 1) << 11) as i32
        | (((raw >> 25) & 0x3f) << 5) as i32
        | (((raw >> 8) & 0xf) << 1) as i32
}

/// Sign-extended J-type immediate.
#[inline]
fn imm_j(raw: u32) -> i32 {
    ((raw as i32) >> 31 << 20)
        | (raw & 0x000f_f000) as i32
        | (((raw >> 20) & 1) << 11) as i32
        | (((raw >> 21) & 0x3ff) << 1) as i32
}

/// Decode one instruction. `raw` holds a 32-bit instruction, or a 16-bit one
/// in its low half when `raw & 3 != 3`.
pub fn decode(raw: u32) -> Insn {
    let mut insn = decode_any(raw);
    if insn.rd == 0 && insn.op.writes_x() {
        insn.rd = X0_SINK;
    }
    insn
}

/// `Insn::rd` of an instruction that writes x0: the hart's sink register
/// `x[32]`, so the interpreter never has to restore x0 (reads of register
/// 0 always see 0 because nothing else writes `x[0]`).
pub const X0_SINK: u8 = 32;

fn decode_any(raw: u32) -> Insn {
    if raw & 3 != 3 {
        let parcel = raw & 0xffff;
        let mut insn = match super::rvc::expand(parcel as u16) {
            Some(expanded) => decode32(expanded),
            None => Insn::illegal(parcel),
        };
        insn.len = 2;
        insn.raw = parcel;
        return insn;
    }
    decode32(raw)
}

fn with_imm(mut insn: Insn, imm: i32) -> Insn {
    insn.imm = imm;
    insn
}

fn decode32(raw: u32) -> Insn {
    let funct3 = (raw >> 12) & 7;
    let funct7 = raw >> 25;
    let opcode = raw & 0x7f;
    let op = |op: Op| Insn::new(op, raw);
    match opcode {
        0x37 => with_imm(op(Op::Lui), (raw & 0xffff_f000) as i32),
        0x17 => with_imm(op(Op::Auipc), (raw & 0xffff_f000) as i32),
        0x6f => with_imm(op(Op::Jal), imm_j(raw)),
        0x67 if funct3 == 0 => with_imm(op(Op::Jalr), imm_i(raw)),
        0x63 => {
            let o = match funct3 {
                0 => Op::Beq,
                1 => Op::Bne,
                4 => Op::Blt,
                5 => Op::Bge,
                6 => Op::Bltu,
                7 => Op::Bgeu,
                _ => return Insn::illegal(raw),
            };
            with_imm(op(o), imm_b(raw))
        }
        0x03 => {
            let o = match funct3 {
                0 => Op::Lb,
                1 => Op::Lh,
                2 => Op::Lw,
                3 => Op::Ld,
                4 => Op::Lbu,
                5 => Op::Lhu,
                6 => Op::Lwu,
                _ => return Insn::illegal(raw),
            };
            with_imm(op(o), imm_i(raw))
        }
        0x23 => {
            let o = match funct3 {
                0 => Op::Sb,
                1 => Op::Sh,
                2 => Op::Sw,
                3 => Op::Sd,
                _ => return Insn::illegal(raw),
            };
            with_imm(op(o), imm_s(raw))
        }
        0x13 => {
            let shamt = ((raw >> 20) & 0x3f) as i32;
            match funct3 {
                0 => with_imm(op(Op::Addi), imm_i(raw)),
                2 => with_imm(op(Op::Slti), imm_i(raw)),
                3 => with_imm(op(Op::Sltiu), imm_i(raw)),
                4 => with_imm(op(Op::Xori), imm_i(raw)),
                6 => with_imm(op(Op::Ori), imm_i(raw)),
                7 => with_imm(op(Op::Andi), imm_i(raw)),
                1 if raw >> 26 == 0 => with_imm(op(Op::Slli), shamt),
                5 if raw >> 26 == 0 => with_imm(op(Op::Srli), shamt),
                5 if raw >> 26 == 0x10 => with_imm(op(Op::Srai), shamt),
                _ => Insn::illegal(raw),
            }
        }
        0x1b => {
            let shamt = ((raw >> 20) & 0x1f) as i32;
            match (funct3, funct7) {
                (0, _) => with_imm(op(Op::Addiw), imm_i(raw)),
                (1, 0) => with_imm(op(Op::Slliw), shamt),
                (5, 0) => with_imm(op(Op::Srliw), shamt),
                (5, 0x20) => with_imm(op(Op::Sraiw), shamt),
                _ => Insn::illegal(raw),
            }
        }
        0x33 => {
            let o = match (funct7, funct3) {
                (0, 0) => Op::Add,
                (0x20, 0) => Op::Sub,
                (0, 1) => Op::Sll,
                (0, 2) => Op::Slt,
                (0, 3) => Op::Sltu,
                (0, 4) => Op::Xor,
                (0, 5) => Op::Srl,
                (0x20, 5) => Op::Sra,
                (0, 6) => Op::Or,
                (0, 7) => Op::And,
                (1, 0) => Op::Mul,
                (1, 1) => Op::Mulh,
                (1, 2) => Op::Mulhsu,
                (1, 3) => Op::Mulhu,
                (1, 4) => Op::Div,
                (1, 5) => Op::Divu,
                (1, 6) => Op::Rem,
                (1, 7) => Op::Remu,
                _ => return Insn::illegal(raw),
            };
            op(o)
        }
        0x3b => {
            let o = match (funct7, funct3) {
                (0, 0) => Op::Addw,
                (0x20, 0) => Op::Subw,
                (0, 1) => Op::Sllw,
                (0, 5) => Op::Srlw,
                (0x20, 5) => Op::Sraw,
                (1, 0) => Op::Mulw,
                (1, 4) => Op::Divw,
                (1, 5) => Op::Divuw,
                (1, 6) => Op::Remw,
                (1, 7) => Op::Remuw,
                _ => return Insn::illegal(raw),
            };
            op(o)
        }
        0x0f => match funct3 {
            // FENCE (fm/pred/succ ignored: this hart is in order and coherent).
            0 => op(Op::Fence),
            1 => op(Op::FenceI),
            _ => Insn::illegal(raw),
        },
        0x73 => decode_system(raw),
        0x2f => decode_amo(raw),
        0x07 => match funct3 {
            2 => with_imm(op(Op::Flw), imm_i(raw)),
            3 => with_imm(op(Op::Fld), imm_i(raw)),
            _ => Insn::illegal(raw),
        },
        0x27 => match funct3 {
            2 => with_imm(op(Op::Fsw), imm_s(raw)),
            3 => with_imm(op(Op::Fsd), imm_s(raw)),
            _ => Insn::illegal(raw),
        },
        0x43 | 0x47 | 0x4b | 0x4f => {
            let fop = match opcode {
                0x43 => FpOp::Madd,
                0x47 => FpOp::Msub,
                0x4b => FpOp::Nmsub,
                _ => FpOp::Nmadd,
            };
            match (raw >> 25) & 3 {
                0 => fp(raw, Op::FpF, fop, Precision::S),
                1 => fp(raw, Op::FpF, fop, Precision::D),
                _ => Insn::illegal(raw),
            }
        }
        0x53 => decode_op_fp(raw),
        _ => Insn::illegal(raw),
    }
}

fn fp(raw: u32, op: Op, fop: FpOp, prec: Precision) -> Insn {
    let mut insn = Insn::new(op, raw);
    insn.fop = fp_index(fop) | if prec == Precision::D { 0x80 } else { 0 };
    insn
}

/// OP-FP major opcode (Unprivileged ISA §11.6–11.9, §12.3–12.6).
fn decode_op_fp(raw: u32) -> Insn {
    let funct7 = raw >> 25;
    let funct3 = (raw >> 12) & 7;
    let rs2 = (raw >> 20) & 31;
    let prec = match funct7 & 3 {
        0 => Precision::S,
        1 => Precision::D,
        _ => return Insn::illegal(raw),
    };
    let (op, fop) = match (funct7 >> 2, funct3, rs2) {
        (0x00, _, _) => (Op::FpF, FpOp::Add),
        (0x01, _, _) => (Op::FpF, FpOp::Sub),
        (0x02, _, _) => (Op::FpF, FpOp::Mul),
        (0x03, _, _) => (Op::FpF, FpOp::Div),
        (0x0b, _, 0) => (Op::FpF, FpOp::Sqrt),
        (0x04, 0, _) => (Op::FpF, FpOp::Sgnj),
        (0x04, 1, _) => (Op::FpF, FpOp::Sgnjn),
        (0x04, 2, _) => (Op::FpF, FpOp::Sgnjx),
        (0x05, 0, _) => (Op::FpF, FpOp::Min),
        (0x05, 1, _) => (Op::FpF, FpOp::Max),
        // fcvt.s.d (fmt = S, rs2 = 1) and fcvt.d.s (fmt = D, rs2 = 0).
        (0x08, _, 1) if prec == Precision::S => (Op::FpF, FpOp::CvtSFromD),
        (0x08, _, 0) if prec == Precision::D => (Op::FpF, FpOp::CvtDFromS),
        (0x14, 2, _) => (Op::FpX, FpOp::Eq),
        (0x14, 1, _) => (Op::FpX, FpOp::Lt),
        (0x14, 0, _) => (Op::FpX, FpOp::Le),
        (0x18, _, 0) => (Op::FpX, FpOp::CvtWFromF),
        (0x18, _, 1) => (Op::FpX, FpOp::CvtWuFromF),
        (0x18, _, 2) => (Op::FpX, FpOp::CvtLFromF),
        (0x18, _, 3) => (Op::FpX, FpOp::CvtLuFromF),
        (0x1a, _, 0) => (Op::FpFromX, FpOp::CvtFFromW),
        (0x1a, _, 1) => (Op::FpFromX, FpOp::CvtFFromWu),
        (0x1a, _, 2) => (Op::FpFromX, FpOp::CvtFFromL),
        (0x1a, _, 3) => (Op::FpFromX, FpOp::CvtFFromLu),
        (0x1c, 0, 0) => (Op::FpX, FpOp::MvXFromF),
        (0x1c, 1, 0) => (Op::FpX, FpOp::Class),
        (0x1e, 0, 0) => (Op::FpFromX, FpOp::MvFFromX),
        _ => return Insn::illegal(raw),
    };
    // Rounding-mode field: only the ops that round accept any rm; the others
    // have funct3 as part of the opcode (checked above). Reserved rm values 5
    // and 6 are illegal (§11.2); 7 (dynamic) is checked against frm at
    // execution time.
    let rounds = matches!(
        fop,
        FpOp::Add
            | FpOp::Sub
            | FpOp::Mul
            | FpOp::Div
            | FpOp::Sqrt
            | FpOp::CvtWFromF
            | FpOp::CvtWuFromF
            | FpOp::CvtLFromF
            | FpOp::CvtLuFromF
            | FpOp::CvtFFromW
            | FpOp::CvtFFromWu
            | FpOp::CvtFFromL
            | FpOp::CvtFFromLu
            | FpOp::CvtSFromD
            | FpOp::CvtDFromS
    );
    if rounds && (funct3 == 5 || funct3 == 6) {
        return Insn::illegal(raw);
    }
    fp(raw, op, fop, prec)
}

/// AMO major opcode (Unprivileged ISA chapter 8).
fn decode_amo(raw: u32) -> Insn {
    let funct3 = (raw >> 12) & 7;
    let width = match funct3 {
        2 => 2,
        3 => 3,
        _ => return Insn::illegal(raw),
    };
    let rs2 = (raw >> 20) & 31;
    let op = match raw >> 27 {
        0x02 if rs2 == 0 => Op::Lr,
        0x03 => Op::Sc,
        0x01 => Op::AmoSwap,
        0x00 => Op::AmoAdd,
        0x04 => Op::AmoXor,
        0x0c => Op::AmoAnd,
        0x08 => Op::AmoOr,
        0x10 => Op::AmoMin,
        0x14 => Op::AmoMax,
        0x18 => Op::AmoMinu,
        0x1c => Op::AmoMaxu,
        _ => return Insn::illegal(raw),
    };
    let mut insn = Insn::new(op, raw);
    insn.fop = width;
    insn.rm = ((raw >> 25) & 3) as u8;
    insn
}

/// SYSTEM major opcode: Zicsr (Unprivileged ISA chapter 9) and the
/// privileged instructions (Privileged ISA §3.3, §4.2.1).
fn decode_system(raw: u32) -> Insn {
    let funct3 = (raw >> 12) & 7;
    let rd = (raw >> 7) & 31;
    let rs1 = (raw >> 15) & 31;
    let csr = (raw >> 20) as i32;
    let op = match funct3 {
        0 => {
            let funct7 = raw >> 25;
            if funct7 == 0x09 && rd == 0 {
                return Insn::new(Op::SfenceVma, raw);
            }
            if rd != 0 || rs1 != 0 {
                return Insn::illegal(raw);
            }
            match raw >> 20 {
                0x000 => Op::Ecall,
                0x001 => Op::Ebreak,
                0x302 => Op::Mret,
                0x102 => Op::Sret,
                0x105 => Op::Wfi,
                _ => return Insn::illegal(raw),
            }
        }
        1 => Op::Csrrw,
        2 => Op::Csrrs,
        3 => Op::Csrrc,
        5 => Op::Csrrwi,
        6 => Op::Csrrsi,
        7 => Op::Csrrci,
        _ => return Insn::illegal(raw),
    };
    with_imm(Insn::new(op, raw), csr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immediates() {
        // addi a0, a0, -1
        let i = decode(0xfff5_0513);
        assert_eq!((i.op, i.rd, i.rs1, i.imm), (Op::Addi, 10, 10, -1));
        // sd ra, -8(sp) = 0xfe113c23
        let i = decode(0xfe11_3c23);
        assert_eq!((i.op, i.rs1, i.rs2, i.imm), (Op::Sd, 2, 1, -8));
        // beq x0, x0, -4 = 0xfe000ee3
        let i = decode(0xfe00_0ee3);
        assert_eq!((i.op, i.imm), (Op::Beq, -4));
        // jal ra, 2048 = 0x001000ef? j-imm: bit 11 set -> 0x001000ef encodes 2048
        let i = decode(0x0010_00ef);
        assert_eq!((i.op, i.rd, i.imm), (Op::Jal, 1, 2048));
        // lui a0, 0x80000 -> sign-extended negative
        let i = decode(0x8000_0537);
        assert_eq!((i.op, i.imm), (Op::Lui, i32::MIN));
    }

    #[test]
    fn shifts_and_reserved() {
        // slli a0, a0, 63
        let i = decode(0x03f5_1513);
        assert_eq!((i.op, i.imm), (Op::Slli, 63));
        // srai a0, a0, 1 = 0x40155513
        assert_eq!(decode(0x4015_5513).op, Op::Srai);
        // slliw with shamt[5] set is reserved
        assert_eq!(decode(0x0205_151b).op, Op::Illegal);
        // all-zero and all-one words are illegal
        assert_eq!(decode(0).op, Op::Illegal);
        assert_eq!(decode(0xffff_ffff).op, Op::Illegal);
    }

    #[test]
    fn system_and_fp() {
        assert_eq!(decode(0x3020_0073).op, Op::Mret);
        assert_eq!(decode(0x1050_0073).op, Op::Wfi);
        assert_eq!(decode(0x1200_0073).op, Op::SfenceVma);
        let i = decode(0x3000_2573); // csrr a0, mstatus
        assert_eq!((i.op, i.rd, i.imm), (Op::Csrrs, 10, 0x300));
        // fadd.d fa0, fa1, fa2, dyn = 0x02c5f553
        let i = decode(0x02c5_f553);
        assert_eq!(i.op, Op::FpF);
        assert_eq!(i.fp_op(), (FpOp::Add, Precision::D));
        assert_eq!(i.rm, 7);
        // fadd.s with rm = 5 is reserved
        assert_eq!(decode(0x00c5_d553).op, Op::Illegal);
        // feq.s a0, fa1, fa2 = 0xa0c5a553
        let i = decode(0xa0c5_a553);
        assert_eq!((i.op, i.fp_op().0), (Op::FpX, FpOp::Eq));
    }
}
