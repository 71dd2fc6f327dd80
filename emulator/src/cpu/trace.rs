//! The commit log: one line per retired instruction in the format of
//! Spike's `--log-commits` (riscv-isa-sim `riscv/execute.cc`,
//! `commit_log_print_insn`), so traces can be diffed against Spike.
//!
//! ```text
//! core   0: 3 0x0000000080000000 (0x00000297) x5  0x0000000080000000
//! core   0: 3 0x0000000080000010 (0x0182b283) x5  0x0000000080000040 mem 0x0000000080000018
//! core   0: 3 0x0000000080000014 (0x00b2b023) mem 0x0000000080000040 0x0000000000000001
//! ```

use super::decode::{Insn, Op};
use super::Priv;
use std::io::{BufWriter, Write};

/// One logged side effect of the instruction being executed.
enum Item {
    Csr(u16, u64),
    MemRead(u64),
    MemWrite(u64, u64, u64),
}

/// Commit-log writer.
pub struct Tracer {
    out: BufWriter<Box<dyn Write + Send>>,
    items: Vec<Item>,
    /// Set when writing failed; tracing then stops quietly.
    failed: bool,
}

impl Tracer {
    pub fn new(out: Box<dyn Write + Send>) -> Tracer {
        Tracer {
            out: BufWriter::new(out),
            items: Vec::new(),
            failed: false,
        }
    }

    pub(crate) fn csr_write(&mut self, csr: u16, value: u64) {
        self.items.push(Item::Csr(csr, value));
    }

    pub(crate) fn mem_read(&mut self, va: u64, _size: u64) {
        self.items.push(Item::MemRead(va));
    }

    pub(crate) fn mem_write(&mut self, va: u64, size: u64, value: u64) {
        let mask = if size >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * size)) - 1
        };
        self.items.push(Item::MemWrite(va, value & mask, size));
    }

    /// The instruction trapped: drop what it logged.
    pub(crate) fn discard(&mut self) {
        self.items.clear();
    }

    /// A trap was taken (Spike prints nothing for it in the commit log).
    pub(crate) fn trap(&mut self, _cause: u64, _tval: u64) {
        self.items.clear();
    }

    /// Write the line for a retired instruction.
    pub(crate) fn commit(&mut self, prv: Priv, pc: u64, insn: &Insn, x: &[u64; 32], f: &[u64; 32]) {
        if self.failed {
            self.items.clear();
            return;
        }
        let mut line = String::with_capacity(96);
        use std::fmt::Write as _;
        let _ = write!(line, "core   0: {} 0x{pc:016x} ", prv as u8);
        if insn.len == 2 {
            let _ = write!(line, "(0x{:04x})", insn.raw);
        } else {
            let _ = write!(line, "(0x{:08x})", insn.raw);
        }
        if writes_x(insn.op) && insn.rd != 0 {
            let _ = write!(line, " x{:<2} 0x{:016x}", insn.rd, x[insn.rd as usize]);
        }
        if writes_f(insn.op) {
            let _ = write!(line, " f{:<2} 0x{:016x}", insn.rd, f[insn.rd as usize]);
        }
        for item in self.items.drain(..) {
            let _ = match item {
                Item::Csr(csr, v) => write!(line, " c{csr}_{} 0x{v:016x}", csr_name(csr)),
                Item::MemRead(a) => write!(line, " mem 0x{a:016x}"),
                Item::MemWrite(a, v, size) => {
                    write!(line, " mem 0x{a:016x} 0x{v:0w$x}", w = 2 * size as usize)
                }
            };
        }
        line.push('\n');
        if self.out.write_all(line.as_bytes()).is_err() {
            self.failed = true;
        }
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

/// Whether `op` writes the integer register `rd`.
fn writes_x(op: Op) -> bool {
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

/// Whether `op` writes the floating-point register `rd`.
fn writes_f(op: Op) -> bool {
    matches!(op, Op::Flw | Op::Fld | Op::FpF | Op::FpFromX)
}

/// Spike's names for the CSRs it logs.
fn csr_name(csr: u16) -> &'static str {
    use super::csr::addr::*;
    match csr {
        FFLAGS => "fflags",
        FRM => "frm",
        FCSR => "fcsr",
        SSTATUS => "sstatus",
        SIE => "sie",
        STVEC => "stvec",
        SCOUNTEREN => "scounteren",
        SENVCFG => "senvcfg",
        SSCRATCH => "sscratch",
        SEPC => "sepc",
        SCAUSE => "scause",
        STVAL => "stval",
        SIP => "sip",
        STIMECMP => "stimecmp",
        SATP => "satp",
        MSTATUS => "mstatus",
        MISA => "misa",
        MEDELEG => "medeleg",
        MIDELEG => "mideleg",
        MIE => "mie",
        MTVEC => "mtvec",
        MCOUNTEREN => "mcounteren",
        MENVCFG => "menvcfg",
        MCOUNTINHIBIT => "mcountinhibit",
        MSCRATCH => "mscratch",
        MEPC => "mepc",
        MCAUSE => "mcause",
        MTVAL => "mtval",
        MIP => "mip",
        MCYCLE => "mcycle",
        MINSTRET => "minstret",
        TSELECT => "tselect",
        PMPCFG0 => "pmpcfg0",
        PMPADDR0 => "pmpaddr0",
        _ => "csr",
    }
}
