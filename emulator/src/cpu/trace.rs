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
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};

/// Commit-log writer.
///
/// Follows Spike's `commit_log_print_insn`: register and CSR writes are
/// kept in a map keyed by `(number << 4) | kind` (kind 0 = x, 1 = f,
/// 4 = CSR), so they print in key order with only the last write to each;
/// then loads (address only), then stores (address and data at the store's
/// width), each in program order. x0 is never printed; an instruction that
/// traps prints nothing.
pub struct Tracer {
    out: BufWriter<Box<dyn Write + Send>>,
    /// Register/CSR writes by Spike's key.
    regs: BTreeMap<u32, u64>,
    loads: Vec<u64>,
    stores: Vec<(u64, u64, u64)>,
    /// Set when writing failed; tracing then stops quietly.
    failed: bool,
}

const KIND_X: u32 = 0;
const KIND_F: u32 = 1;
const KIND_CSR: u32 = 4;

impl Tracer {
    pub fn new(out: Box<dyn Write + Send>) -> Tracer {
        Tracer {
            out: BufWriter::new(out),
            regs: BTreeMap::new(),
            loads: Vec::new(),
            stores: Vec::new(),
            failed: false,
        }
    }

    /// Record a CSR write: `value` is the CSR as read back after it.
    pub(crate) fn csr_write(&mut self, csr: u16, value: u64) {
        self.regs.insert(((csr as u32) << 4) | KIND_CSR, value);
    }

    pub(crate) fn mem_read(&mut self, va: u64, _size: u64) {
        self.loads.push(va);
    }

    pub(crate) fn mem_write(&mut self, va: u64, size: u64, value: u64) {
        let mask = if size >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * size)) - 1
        };
        self.stores.push((va, value & mask, size));
    }

    /// The instruction trapped: drop what it logged.
    pub(crate) fn discard(&mut self) {
        self.regs.clear();
        self.loads.clear();
        self.stores.clear();
    }

    /// A trap was taken: its CSR updates are not logged (as Spike).
    pub(crate) fn trap(&mut self, _cause: u64, _tval: u64) {
        self.discard();
    }

    /// Write the line for a retired instruction.
    pub(crate) fn commit(&mut self, prv: Priv, pc: u64, insn: &Insn, x: &[u64], f: &[u64; 32]) {
        // A write to x0 was decoded to the sink register 32: `& 31` is 0.
        let rd = insn.rd & 31;
        if insn.op.writes_x() && rd != 0 {
            self.regs.insert((rd as u32) << 4 | KIND_X, x[rd as usize]);
        }
        if writes_f(insn.op) {
            self.regs
                .insert((insn.rd as u32) << 4 | KIND_F, f[insn.rd as usize]);
        }
        if self.failed {
            self.discard();
            return;
        }
        use std::fmt::Write as _;
        let mut line = String::with_capacity(96);
        let _ = write!(line, "core   0: {} 0x{pc:016x} ", prv as u8);
        if insn.len == 2 {
            let _ = write!(line, "(0x{:04x})", insn.raw);
        } else {
            let _ = write!(line, "(0x{:08x})", insn.raw);
        }
        for (&key, &v) in &self.regs {
            let n = key >> 4;
            let _ = match key & 15 {
                KIND_X => write!(line, " x{n:<2} 0x{v:016x}"),
                KIND_F => write!(line, " f{n:<2} 0x{v:016x}"),
                _ => write!(line, " c{n}_{} 0x{v:016x}", csr_name(n as u16)),
            };
        }
        for &a in &self.loads {
            let _ = write!(line, " mem 0x{a:016x}");
        }
        for &(a, v, size) in &self.stores {
            let _ = write!(line, " mem 0x{a:016x} 0x{v:0w$x}", w = 2 * size as usize);
        }
        line.push('\n');
        self.discard();
        if self.out.write_all(line.as_bytes()).is_err() {
            self.failed = true;
        }
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

/// Whether `op` writes the floating-point register `rd`.
fn writes_f(op: Op) -> bool {
    matches!(op, Op::Flw | Op::Fld | Op::FpF | Op::FpFromX)
}

/// The CSRs a CSR instruction's write is logged as: proxies log the
/// register behind them, `fcsr` logs its two fields (Spike's
/// `sstatus_proxy_csr_t`, `composite_csr_t`, masked `sie`/`sip`).
pub(crate) fn logged_csrs(csr: u16) -> Vec<u16> {
    use super::csr::addr::*;
    match csr {
        SSTATUS => vec![MSTATUS],
        FCSR => vec![FFLAGS, FRM],
        SIE => vec![MIE],
        SIP => vec![MIP],
        _ => vec![csr],
    }
}

/// Spike's name for a CSR (riscv-isa-sim `encoding.h`).
fn csr_name(csr: u16) -> String {
    use super::csr::addr::*;
    let fixed = match csr {
        FFLAGS => "fflags",
        FRM => "frm",
        FCSR => "fcsr",
        CYCLE => "cycle",
        TIME => "time",
        INSTRET => "instret",
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
        MVENDORID => "mvendorid",
        MARCHID => "marchid",
        MIMPID => "mimpid",
        MHARTID => "mhartid",
        MCONFIGPTR => "mconfigptr",
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
        TSELECT => "tselect",
        TDATA1 => "tdata1",
        TDATA2 => "tdata2",
        TDATA3 => "tdata3",
        MCYCLE => "mcycle",
        MINSTRET => "minstret",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    match csr {
        PMPCFG0..=PMPCFG15 => format!("pmpcfg{}", csr - PMPCFG0),
        PMPADDR0..=PMPADDR63 => format!("pmpaddr{}", csr - PMPADDR0),
        MHPMEVENT3..=MHPMEVENT31 => format!("mhpmevent{}", csr - MHPMEVENT3 + 3),
        MHPMCOUNTER3..=MHPMCOUNTER31 => format!("mhpmcounter{}", csr - MHPMCOUNTER3 + 3),
        HPMCOUNTER3..=HPMCOUNTER31 => format!("hpmcounter{}", csr - HPMCOUNTER3 + 3),
        _ => "unknown-csr".to_string(),
    }
}
