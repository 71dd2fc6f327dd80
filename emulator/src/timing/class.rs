//! Instruction classes and the per-instruction event the interpreter
//! hands to [`super::CoreModel::retire`].

use crate::cpu::decode::{Insn, Op};
use crate::cpu::fpu::FpOp;

/// What an instruction costs is decided by its class. Derived from the
/// decoder's [`Op`] ([`InsnClass::of`]) or, to tell the F/D operations
/// apart, from the whole [`Insn`] ([`InsnClass::of_insn`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum InsnClass {
    /// Integer ALU, lui, auipc, and anything else that takes one cycle.
    Alu,
    /// Conditional branch.
    Branch,
    /// jal.
    Jal,
    /// jalr.
    Jalr,
    /// Integer load (and lr).
    Load,
    /// Integer store.
    Store,
    /// sc and AMOs: a load and a store.
    Amo,
    /// mul, mulh*, mulw.
    Mul,
    /// div, divu, rem, remu (64-bit).
    Div,
    /// divw, divuw, remw, remuw (32-bit).
    DivW,
    /// fadd, fsub, fmin, fmax.
    FpAdd,
    /// fmul.
    FpMul,
    /// fmadd, fmsub, fnmadd, fnmsub.
    FpFma,
    /// fdiv.
    FpDiv,
    /// fsqrt.
    FpSqrt,
    /// Conversions (fcvt.*).
    FpCvt,
    /// Sign injection, moves, compares, fclass.
    FpMv,
    /// flw, fld.
    FpLoad,
    /// fsw, fsd.
    FpStore,
    /// Zicsr.
    Csr,
    /// fence, fence.i, ecall, ebreak, mret, sret, wfi, sfence.vma (and
    /// illegal encodings, which trap).
    System,
}

impl InsnClass {
    /// Number of classes (size of per-class tables).
    pub const COUNT: usize = 21;

    /// Every class, in `repr` order.
    pub const ALL: [InsnClass; Self::COUNT] = [
        InsnClass::Alu,
        InsnClass::Branch,
        InsnClass::Jal,
        InsnClass::Jalr,
        InsnClass::Load,
        InsnClass::Store,
        InsnClass::Amo,
        InsnClass::Mul,
        InsnClass::Div,
        InsnClass::DivW,
        InsnClass::FpAdd,
        InsnClass::FpMul,
        InsnClass::FpFma,
        InsnClass::FpDiv,
        InsnClass::FpSqrt,
        InsnClass::FpCvt,
        InsnClass::FpMv,
        InsnClass::FpLoad,
        InsnClass::FpStore,
        InsnClass::Csr,
        InsnClass::System,
    ];

    /// The configuration name (`latency.NAME`, `issue.NAME`).
    pub const fn name(self) -> &'static str {
        match self {
            InsnClass::Alu => "alu",
            InsnClass::Branch => "branch",
            InsnClass::Jal => "jal",
            InsnClass::Jalr => "jalr",
            InsnClass::Load => "load",
            InsnClass::Store => "store",
            InsnClass::Amo => "amo",
            InsnClass::Mul => "mul",
            InsnClass::Div => "div",
            InsnClass::DivW => "divw",
            InsnClass::FpAdd => "fadd",
            InsnClass::FpMul => "fmul",
            InsnClass::FpFma => "fma",
            InsnClass::FpDiv => "fdiv",
            InsnClass::FpSqrt => "fsqrt",
            InsnClass::FpCvt => "fcvt",
            InsnClass::FpMv => "fmv",
            InsnClass::FpLoad => "fload",
            InsnClass::FpStore => "fstore",
            InsnClass::Csr => "csr",
            InsnClass::System => "system",
        }
    }

    /// The class called `name`.
    pub fn from_name(name: &str) -> Option<InsnClass> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The class of `op`. The three F/D groups (`FpF`, `FpX`, `FpFromX`)
    /// do not name the operation: they map to `FpAdd`, `FpMv` and `FpCvt`;
    /// use [`Self::of_insn`] for the exact class.
    #[inline]
    pub const fn of(op: Op) -> InsnClass {
        use Op::*;
        match op {
            Lui | Auipc | Addi | Slti | Sltiu | Xori | Ori | Andi | Slli | Srli | Srai | Add
            | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Addiw | Slliw | Srliw
            | Sraiw | Addw | Subw | Sllw | Srlw | Sraw => InsnClass::Alu,
            Jal => InsnClass::Jal,
            Jalr => InsnClass::Jalr,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => InsnClass::Branch,
            Lb | Lh | Lw | Ld | Lbu | Lhu | Lwu | Lr => InsnClass::Load,
            Sb | Sh | Sw | Sd => InsnClass::Store,
            Sc | AmoSwap | AmoAdd | AmoXor | AmoAnd | AmoOr | AmoMin | AmoMax | AmoMinu
            | AmoMaxu => InsnClass::Amo,
            Mul | Mulh | Mulhsu | Mulhu | Mulw => InsnClass::Mul,
            Div | Divu | Rem | Remu => InsnClass::Div,
            Divw | Divuw | Remw | Remuw => InsnClass::DivW,
            Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => InsnClass::Csr,
            Flw | Fld => InsnClass::FpLoad,
            Fsw | Fsd => InsnClass::FpStore,
            FpF => InsnClass::FpAdd,
            FpX => InsnClass::FpMv,
            FpFromX => InsnClass::FpCvt,
            Undecoded | Illegal | Fence | FenceI | Ecall | Ebreak | Mret | Sret | Wfi
            | SfenceVma => InsnClass::System,
        }
    }

    /// The exact class of a decoded instruction (F/D operations by
    /// [`Insn::fp_op`]).
    #[inline]
    pub fn of_insn(insn: &Insn) -> InsnClass {
        match insn.op {
            Op::FpF | Op::FpX | Op::FpFromX => fp_class(insn.fp_op().0),
            op => Self::of(op),
        }
    }
}

fn fp_class(op: FpOp) -> InsnClass {
    use FpOp::*;
    match op {
        Add | Sub | Min | Max => InsnClass::FpAdd,
        Mul => InsnClass::FpMul,
        Madd | Msub | Nmsub | Nmadd => InsnClass::FpFma,
        Div => InsnClass::FpDiv,
        Sqrt => InsnClass::FpSqrt,
        Sgnj | Sgnjn | Sgnjx | Eq | Lt | Le | Class | MvXFromF | MvFFromX => InsnClass::FpMv,
        _ => InsnClass::FpCvt,
    }
}

/// Who produced a register's pending value: decides which stall counter
/// a read-after-write wait goes to (a tie between sources ready at the
/// same cycle goes to the later one in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    LoadUse,
    MulDiv,
    Fp,
    Other,
}

impl Cause {
    /// Every cause, in `repr` order (the order of a scoreboard entry's low
    /// bits and of a schedule's `stall_before` fields).
    pub const ALL: [Cause; 4] = [Cause::LoadUse, Cause::MulDiv, Cause::Fp, Cause::Other];
}

const fn cause_of(c: InsnClass) -> Cause {
    use InsnClass::*;
    match c {
        Load | FpLoad | Amo => Cause::LoadUse,
        Mul | Div | DivW => Cause::MulDiv,
        FpAdd | FpMul | FpFma | FpDiv | FpSqrt | FpCvt | FpMv => Cause::Fp,
        _ => Cause::Other,
    }
}

/// [`Cause`] per class.
pub const CAUSE: [Cause; InsnClass::COUNT] = {
    let mut t = [Cause::Other; InsnClass::COUNT];
    let mut c = 0;
    while c < InsnClass::COUNT {
        t[c] = cause_of(InsnClass::ALL[c]);
        c += 1;
    }
    t
};

/// Register numbers in an [`InsnEvent`]: 0 = none (x0 or an unused
/// operand: never a dependency), 1..=31 = x1..x31, `F0 + n` = f`n`.
pub const F0: u8 = 32;

/// A data-side memory access (physical address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemAccess {
    pub pa: u64,
    pub size: u8,
    pub store: bool,
}

/// What the architectural TLB model did for this instruction's
/// translation (the data access for loads/stores, else the fetch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlbOutcome {
    /// Untranslated, or no TLB model.
    #[default]
    None,
    /// L1 TLB hit: free.
    L1Hit,
    /// L1 miss, L2 TLB hit: `tlb.l2_hit_latency`.
    L2Hit,
    /// Page walk: the physical addresses of the PTEs read (after any
    /// walk-cache hit), `pte_reads[..count]`; each is charged as a
    /// D-cache (or L2/memory) read. A walk-cache hit is free.
    Walk { pte_reads: [u64; 3], count: u8 },
}

/// One retired instruction, as the interpreter reports it. Small and
/// `Copy`; build it with [`InsnEvent::new`] and fill in what applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InsnEvent {
    pub class: InsnClass,
    /// Destination register ([`F0`]-based numbering; 0 = none).
    pub rd: u8,
    /// Source registers (0 = none / x0).
    pub rs1: u8,
    pub rs2: u8,
    pub rs3: u8,
    pub pc: u64,
    /// Physical address of the instruction fetch (the I-cache is
    /// physically tagged). Equal to `pc` when untranslated.
    pub fetch_pa: u64,
    /// The pc of the next instruction (branch/jump target or fall-through).
    pub next_pc: u64,
    /// Conditional branches: the outcome.
    pub taken: Option<bool>,
    /// Loads, stores, AMOs: the physical access.
    pub mem: Option<MemAccess>,
    /// Divides: (dividend, divisor) for the data-dependent latency; `None`
    /// charges the worst case.
    pub div_operands: Option<(u64, u64)>,
    pub tlb: TlbOutcome,
}

impl InsnEvent {
    /// A bare event of `class` at `pc` (fall-through `next_pc = pc + 4`,
    /// no registers, no memory).
    #[inline]
    pub const fn simple(class: InsnClass, pc: u64) -> InsnEvent {
        InsnEvent {
            class,
            rd: 0,
            rs1: 0,
            rs2: 0,
            rs3: 0,
            pc,
            fetch_pa: pc,
            next_pc: pc.wrapping_add(4),
            taken: None,
            mem: None,
            div_operands: None,
            tlb: TlbOutcome::None,
        }
    }

    /// The event of a decoded instruction at `pc` (untranslated fetch,
    /// fall-through next pc): class from [`InsnClass::of_insn`], register
    /// operands from the encoding with operands the instruction does not
    /// read or write zeroed and f registers numbered from [`F0`]. The
    /// caller sets `next_pc`, `taken`, `mem`, `div_operands`, `tlb`,
    /// `fetch_pa` as they apply.
    #[inline]
    pub fn new(insn: &Insn, pc: u64) -> InsnEvent {
        let (rd, rs1, rs2, rs3) = operands(insn);
        InsnEvent {
            rd,
            rs1,
            rs2,
            rs3,
            next_pc: pc.wrapping_add(insn.len as u64),
            ..InsnEvent::simple(InsnClass::of_insn(insn), pc)
        }
    }
}

/// (rd, rs1, rs2, rs3) in event numbering.
fn operands(i: &Insn) -> (u8, u8, u8, u8) {
    use Op::*;
    // `& 31`: a write to x0 is decoded to the sink register 32.
    let (rd, rs1, rs2, rs3) = (i.rd & 31, i.rs1, i.rs2, i.rs3);
    let f = |r: u8| r + F0;
    match i.op {
        Lui | Auipc | Jal => (rd, 0, 0, 0),
        Jalr | Lb | Lh | Lw | Ld | Lbu | Lhu | Lwu | Addi | Slti | Sltiu | Xori | Ori | Andi
        | Slli | Srli | Srai | Addiw | Slliw | Srliw | Sraiw | Lr | Csrrw | Csrrs | Csrrc => {
            (rd, rs1, 0, 0)
        }
        Csrrwi | Csrrsi | Csrrci => (rd, 0, 0, 0),
        Beq | Bne | Blt | Bge | Bltu | Bgeu | Sb | Sh | Sw | Sd | SfenceVma => (0, rs1, rs2, 0),
        Add | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Addw | Subw | Sllw | Srlw
        | Sraw | Mul | Mulh | Mulhsu | Mulhu | Div | Divu | Rem | Remu | Mulw | Divw | Divuw
        | Remw | Remuw | Sc | AmoSwap | AmoAdd | AmoXor | AmoAnd | AmoOr | AmoMin | AmoMax
        | AmoMinu | AmoMaxu => (rd, rs1, rs2, 0),
        Flw | Fld => (f(rd), rs1, 0, 0),
        Fsw | Fsd => (0, rs1, f(rs2), 0),
        FpF => {
            use FpOp::*;
            match i.fp_op().0 {
                Madd | Msub | Nmsub | Nmadd => (f(rd), f(rs1), f(rs2), f(rs3)),
                Sqrt | CvtSFromD | CvtDFromS => (f(rd), f(rs1), 0, 0),
                _ => (f(rd), f(rs1), f(rs2), 0),
            }
        }
        FpX => {
            use FpOp::*;
            match i.fp_op().0 {
                Eq | Lt | Le => (rd, f(rs1), f(rs2), 0),
                _ => (rd, f(rs1), 0, 0),
            }
        }
        FpFromX => (f(rd), rs1, 0, 0),
        Undecoded | Illegal | Fence | FenceI | Ecall | Ebreak | Mret | Sret | Wfi => (0, 0, 0, 0),
    }
}

/// The data access an instruction makes: (size in bytes, store?); `None`
/// for instructions without one. AMOs and SC count as stores.
pub fn mem_shape(op: Op) -> Option<(u8, bool)> {
    use Op::*;
    Some(match op {
        Lb | Lbu => (1, false),
        Lh | Lhu => (2, false),
        Lw | Lwu | Flw => (4, false),
        Ld | Fld => (8, false),
        Sb => (1, true),
        Sh => (2, true),
        Sw | Fsw => (4, true),
        Sd | Fsd => (8, true),
        // Width of LR/SC/AMOs is in the instruction; 8 bytes covers both
        // for cache purposes (one line either way when aligned).
        Lr => (8, false),
        Sc | AmoSwap | AmoAdd | AmoXor | AmoAnd | AmoOr | AmoMin | AmoMax | AmoMinu | AmoMaxu => {
            (8, true)
        }
        _ => return None,
    })
}

/// The parts of an [`InsnEvent`] fixed by the instruction itself: computed
/// once when a block is built (`cpu::block`), so that charging an
/// instruction in a block needs no decoding. [`StaticEvent::of`] fills in
/// what the instruction alone decides; the timing model's
/// `CoreModel::annotate_block` adds what its configuration and the
/// instruction's place in the block decide (`srcs`, `src_mask`, `issue`,
/// `entry`, `keep`, `bound`, [`StaticEvent::FETCH`],
/// [`StaticEvent::CROSS`], [`StaticEvent::SCORE`], [`StaticEvent::LONG`],
/// `rd_bit`, and the block's static schedule: `at`, `issued`,
/// `stall_before`, `clear_before`, `live_before`, `free_before`, and in
/// the first instruction `scheduled`, `muldiv_at`, `ext_block`). 112
/// bytes (the registers are not kept: [`StaticEvent::regs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticEvent {
    /// The instruction itself, as the block stores it (`raw` is its byte
    /// offset in the block), so the timed loop reads one array.
    pub insn: Insn,
    /// The class.
    pub class: InsnClass,
    /// The destination's scoreboard slot: `regs[0]`, or [`SINK`] when
    /// there is none (so that a write needs no test).
    pub rd_slot: u8,
    /// The sources the scoreboard must look at (0: none): `regs[1..]`
    /// without those written earlier in the block far enough ahead that
    /// they are always ready (see `CoreModel::annotate_block`).
    pub srcs: [u8; 3],
    /// [`StaticEvent::BRANCH`], [`StaticEvent::MEM`], [`StaticEvent::MULDIV`],
    /// [`StaticEvent::FETCH`], [`StaticEvent::SCORE`], [`StaticEvent::LONG`],
    /// [`StaticEvent::DIVIDE`], [`StaticEvent::CROSS`]: which parts of the
    /// model it needs.
    pub flags: u8,
    /// The producer class of its result, for stall accounting.
    pub cause: Cause,
    /// Issue cycles (`issue.CLASS`).
    pub issue: u32,
    /// In a block's first instruction: an upper bound, in cycles, on what
    /// the whole block can add to the cycle count, whatever it meets
    /// (misses, mispredictions, waits); saturates at `u32::MAX`.
    pub bound: u32,
    /// `lat << 2 | cause`, with `lat` the result latency in cycles
    /// (`latency.CLASS`; for loads `l1d.hit_latency`; divides: from the
    /// operands, at run time): added to `t << 2`, the scoreboard entry the
    /// instruction writes when it issues at `t` (`CoreModel` keeps the
    /// producer's [`Cause`] in an entry's low two bits).
    pub entry: u64,
    /// Bit `r` for each register in `srcs`.
    pub src_mask: u64,
    /// Bit `rd` when [`StaticEvent::LONG`]; else 0.
    pub rd_bit: u64,
    /// The pending bits that stay set after the instruction: all but its
    /// sources (waited for) and a destination ready by the next
    /// instruction.
    pub keep: u64,
    /// The block's static schedule (`CoreModel::annotate_block`): what the
    /// instructions before this one in the block do when none of them
    /// meets a miss, a misprediction or a wait for a value produced before
    /// the block. `at`: the cycle this one issues, counted from the
    /// block's first issue.
    pub at: u32,
    /// Schedule: the cycle this one issues after its own waits (for its
    /// sources and the mul/div unit), counted from the block's first
    /// issue: its result's scoreboard entry is relative to it.
    pub issued: u32,
    /// First instruction only: whether the block may be charged from its
    /// static schedule (stall sums that fit [`StaticEvent::stall_before`]).
    pub scheduled: bool,
    /// First instruction only: the schedule's issue cycle of the block's
    /// first multiply (`u32::MAX`: none), when the mul/div unit must be
    /// free for the schedule to hold.
    pub muldiv_at: u32,
    /// Schedule: the cycle the mul/div unit is free from after the
    /// instructions before this one (0: they leave it as it was).
    pub free_before: u32,
    /// Schedule: the stall cycles of the instructions before this one,
    /// waiting for values produced in the block or for the mul/div unit,
    /// by [`Cause`] (16 bits each, `Cause` order from bit 0).
    pub stall_before: u64,
    /// Schedule: the pending bits the instructions before this one clear
    /// (their sources and destinations).
    pub clear_before: u64,
    /// Schedule: bit `w` for each position `w` before this one whose
    /// result is not ready when this one may issue (and is the last
    /// written to its register so far): what the scoreboard must still
    /// hold.
    pub live_before: u64,
    /// First instruction only: the sources read in the block that no
    /// instruction before them in the block writes.
    pub ext_block: u64,
}

/// The scoreboard increment of a result ready `lat` cycles after issue
/// from a producer of `cause`: `lat << 2 | cause` (an entry is
/// `issue_cycle << 2` plus this; see `CoreModel`).
#[inline(always)]
pub const fn scoreboard_entry(lat: u64, cause: Cause) -> u64 {
    lat << 2 | cause as u64
}

/// Bit `r` for each register `r` of `regs` but 0 (none / x0).
#[inline(always)]
pub const fn reg_bits(regs: [u8; 3]) -> u64 {
    ((1u64 << (regs[0] & 63)) | (1u64 << (regs[1] & 63)) | (1u64 << (regs[2] & 63))) & !1
}

/// The scoreboard slot written by instructions without a destination
/// (never read: sources are numbered below it).
pub const SINK: u8 = 64;

impl StaticEvent {
    /// A conditional branch (the predictor).
    pub const BRANCH: u8 = 1;
    /// A load or store (the D-cache).
    pub const MEM: u8 = 2;
    /// The multiply/divide unit.
    pub const MULDIV: u8 = 4;
    /// Its fetch may start a new I-cache line: the block's first
    /// instruction, and where the line changes from the previous one (the
    /// others fetch from the line just fetched).
    pub const FETCH: u8 = 8;
    /// `srcs` names a register: the scoreboard must be consulted.
    pub const SCORE: u8 = 16;
    /// Its result may not be ready by the next instruction (latency above
    /// its issue cycles, or a divide): it records a scoreboard entry and
    /// marks `rd_slot` pending.
    pub const LONG: u8 = 32;
    /// A fetch from a new I-cache line after the block's first
    /// instruction ([`StaticEvent::FETCH`] but at position 0, whose fetch
    /// a scheduled block charges before it starts).
    pub const CROSS: u8 = 128;
    /// The parts whose cost depends on the run ([`StaticEvent::CROSS`],
    /// [`StaticEvent::MEM`], [`StaticEvent::BRANCH`]), and a divide
    /// ([`StaticEvent::DIVIDE`]): what a scheduled block charges as it
    /// runs (`CoreModel::block_parts`).
    pub const DYNAMIC: u8 = Self::CROSS | Self::MEM | Self::BRANCH | Self::DIVIDE;
    /// A divide, whose latency depends on its operands: a block's
    /// schedule stops there.
    pub const DIVIDE: u8 = 64;

    /// Destination and sources in event numbering (see [`InsnEvent`]):
    /// rd, rs1, rs2, rs3.
    pub fn regs(&self) -> [u8; 4] {
        let (rd, rs1, rs2, rs3) = operands(&self.insn);
        [rd, rs1, rs2, rs3]
    }

    /// The static parts of `insn`'s events that the instruction alone
    /// decides (`srcs` are all its sources, `issue` and the latency 1,
    /// until the timing model annotates the block).
    pub fn of(insn: &Insn) -> StaticEvent {
        let (rd, rs1, rs2, rs3) = operands(insn);
        let class = InsnClass::of_insn(insn);
        let flags = match class {
            InsnClass::Branch => Self::BRANCH,
            InsnClass::Mul => Self::MULDIV,
            InsnClass::Div | InsnClass::DivW => Self::MULDIV | Self::DIVIDE,
            _ if mem_shape(insn.op).is_some() => Self::MEM,
            _ => 0,
        };
        StaticEvent {
            insn: *insn,
            class,
            rd_slot: if rd == 0 { SINK } else { rd },
            srcs: [rs1, rs2, rs3],
            flags: flags | Self::SCORE,
            cause: CAUSE[class as usize],
            issue: 1,
            bound: u32::MAX,
            entry: scoreboard_entry(1, CAUSE[class as usize]),
            src_mask: reg_bits([rs1, rs2, rs3]),
            rd_bit: 0,
            keep: !0,
            at: 0,
            issued: 0,
            scheduled: false,
            muldiv_at: u32::MAX,
            free_before: 0,
            stall_before: 0,
            clear_before: 0,
            live_before: 0,
            ext_block: 0,
        }
    }
}
