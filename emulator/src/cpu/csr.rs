//! Control and status registers (Privileged ISA 20211203, chapters 2–4;
//! Unprivileged ISA chapter 10 "Counters" and §11.2 `fcsr`; Sstc).

use super::trap::irq;
use super::{Hart, Priv};
use crate::bus::Bus;
use crate::mmu::pmp::Pmp;
use crate::mmu::sv39;

/// CSR numbers (Privileged ISA Tables 2.2–2.5).
pub mod addr {
    pub const FFLAGS: u16 = 0x001;
    pub const FRM: u16 = 0x002;
    pub const FCSR: u16 = 0x003;
    pub const CYCLE: u16 = 0xc00;
    pub const TIME: u16 = 0xc01;
    pub const INSTRET: u16 = 0xc02;
    pub const HPMCOUNTER3: u16 = 0xc03;
    pub const HPMCOUNTER31: u16 = 0xc1f;
    pub const SSTATUS: u16 = 0x100;
    pub const SIE: u16 = 0x104;
    pub const STVEC: u16 = 0x105;
    pub const SCOUNTEREN: u16 = 0x106;
    pub const SENVCFG: u16 = 0x10a;
    pub const SSCRATCH: u16 = 0x140;
    pub const SEPC: u16 = 0x141;
    pub const SCAUSE: u16 = 0x142;
    pub const STVAL: u16 = 0x143;
    pub const SIP: u16 = 0x144;
    pub const STIMECMP: u16 = 0x14d;
    pub const SATP: u16 = 0x180;
    pub const MVENDORID: u16 = 0xf11;
    pub const MARCHID: u16 = 0xf12;
    pub const MIMPID: u16 = 0xf13;
    pub const MHARTID: u16 = 0xf14;
    pub const MCONFIGPTR: u16 = 0xf15;
    pub const MSTATUS: u16 = 0x300;
    pub const MISA: u16 = 0x301;
    pub const MEDELEG: u16 = 0x302;
    pub const MIDELEG: u16 = 0x303;
    pub const MIE: u16 = 0x304;
    pub const MTVEC: u16 = 0x305;
    pub const MCOUNTEREN: u16 = 0x306;
    pub const MENVCFG: u16 = 0x30a;
    pub const MCOUNTINHIBIT: u16 = 0x320;
    pub const MHPMEVENT3: u16 = 0x323;
    pub const MHPMEVENT31: u16 = 0x33f;
    pub const MSCRATCH: u16 = 0x340;
    pub const MEPC: u16 = 0x341;
    pub const MCAUSE: u16 = 0x342;
    pub const MTVAL: u16 = 0x343;
    pub const MIP: u16 = 0x344;
    pub const PMPCFG0: u16 = 0x3a0;
    pub const PMPCFG15: u16 = 0x3af;
    pub const PMPADDR0: u16 = 0x3b0;
    pub const PMPADDR63: u16 = 0x3ef;
    pub const TSELECT: u16 = 0x7a0;
    pub const TDATA1: u16 = 0x7a1;
    pub const TDATA2: u16 = 0x7a2;
    pub const TDATA3: u16 = 0x7a3;
    pub const MCYCLE: u16 = 0xb00;
    pub const MINSTRET: u16 = 0xb02;
    pub const MHPMCOUNTER3: u16 = 0xb03;
    pub const MHPMCOUNTER31: u16 = 0xb1f;
}

/// `mstatus` fields (§3.1.6, Figure 3.7, RV64).
pub mod mstatus {
    pub const SIE: u64 = 1 << 1;
    pub const MIE: u64 = 1 << 3;
    pub const SPIE: u64 = 1 << 5;
    pub const MPIE: u64 = 1 << 7;
    pub const SPP: u64 = 1 << 8;
    pub const MPP_SHIFT: u32 = 11;
    pub const MPP: u64 = 3 << MPP_SHIFT;
    pub const FS_SHIFT: u32 = 13;
    pub const FS: u64 = 3 << FS_SHIFT;
    pub const XS: u64 = 3 << 15;
    pub const VS: u64 = 3 << 9;
    pub const MPRV: u64 = 1 << 17;
    pub const SUM: u64 = 1 << 18;
    pub const MXR: u64 = 1 << 19;
    pub const TVM: u64 = 1 << 20;
    pub const TW: u64 = 1 << 21;
    pub const TSR: u64 = 1 << 22;
    /// UXL = SXL = 2 (64-bit), read-only.
    pub const UXL_SXL: u64 = (2 << 32) | (2 << 34);
    pub const SD: u64 = 1 << 63;
    /// Bits an `mstatus` write may change.
    pub const WRITABLE: u64 =
        SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;
    /// The `sstatus` view (§4.1.1).
    pub const SSTATUS_MASK: u64 = SIE | SPIE | SPP | FS | XS | VS | SUM | MXR | (3 << 32) | SD;
    pub const FS_OFF: u64 = 0;
    pub const FS_DIRTY: u64 = 3 << FS_SHIFT;
}

/// `misa`: MXL = 64, extensions I M A F D C S U (§3.1.1).
pub const MISA_VALUE: u64 = (2 << 62)
    | (1 << 0)  // A
    | (1 << 2)  // C
    | (1 << 3)  // D
    | (1 << 5)  // F
    | (1 << 8)  // I
    | (1 << 12) // M
    | (1 << 18) // S
    | (1 << 20); // U

/// Exceptions that `medeleg` can delegate (ECALL from M-mode cannot, §3.1.8).
const MEDELEG_MASK: u64 = 0xb3ff;
/// Interrupts that `mideleg` can delegate: the supervisor ones.
const MIDELEG_MASK: u64 = (1 << irq::SSI) | (1 << irq::STI) | (1 << irq::SEI);
/// Interrupt-enable bits implemented in `mie`.
const MIE_MASK: u64 = MIDELEG_MASK | (1 << irq::MSI) | (1 << irq::MTI) | (1 << irq::MEI);
/// `menvcfg`: FIOM (bit 0) and STCE (bit 63, Sstc).
pub const MENVCFG_STCE: u64 = 1 << 63;
const MENVCFG_MASK: u64 = MENVCFG_STCE | 1;

/// The CSR state of one hart that is not a counter kept elsewhere.
#[derive(Clone, Debug)]
pub struct Csrs {
    pub mstatus: u64,
    pub medeleg: u64,
    pub mideleg: u64,
    pub mie: u64,
    /// Software-writable `mip` bits (SSIP, STIP without Sstc, SEIP); the
    /// device-driven bits live in [`Hart::mip_ext`].
    pub mip: u64,
    pub mtvec: u64,
    pub mscratch: u64,
    pub mepc: u64,
    pub mcause: u64,
    pub mtval: u64,
    pub mcounteren: u64,
    pub mcountinhibit: u64,
    pub menvcfg: u64,
    pub stvec: u64,
    pub sscratch: u64,
    pub sepc: u64,
    pub scause: u64,
    pub stval: u64,
    pub scounteren: u64,
    pub senvcfg: u64,
    pub satp: u64,
    /// Sstc supervisor timer compare, in mtime ticks.
    pub stimecmp: u64,
    /// `fflags` in bits 4:0, `frm` in bits 7:5.
    pub fcsr: u64,
    /// `mcycle` = `Hart::cycle` + this (wrapping), or the frozen value
    /// while `mcountinhibit.CY` is set.
    pub mcycle_offset: u64,
    /// `minstret` = `Hart::instret` + this, or frozen while `mcountinhibit.IR`.
    pub minstret_offset: u64,
    pub mhpmevent: [u64; 29],
    /// `mhpmcounterN` = this offset + the count of the event selected by
    /// `mhpmeventN` (see [`Hart::hpm_event`]).
    pub mhpmcounter: [u64; 29],
    pub tselect: u64,
    pub pmp: Pmp,
}

impl Default for Csrs {
    fn default() -> Self {
        Csrs {
            // M-mode at reset with MPP = M? Spike resets MPP to 0; FS Off.
            mstatus: mstatus::UXL_SXL,
            medeleg: 0,
            mideleg: 0,
            mie: 0,
            mip: 0,
            mtvec: 0,
            mscratch: 0,
            mepc: 0,
            mcause: 0,
            mtval: 0,
            mcounteren: 0,
            mcountinhibit: 0,
            menvcfg: 0,
            stvec: 0,
            sscratch: 0,
            sepc: 0,
            scause: 0,
            stval: 0,
            scounteren: 0,
            senvcfg: 0,
            satp: 0,
            stimecmp: u64::MAX,
            fcsr: 0,
            mcycle_offset: 0,
            minstret_offset: 0,
            mhpmevent: [0; 29],
            mhpmcounter: [0; 29],
            tselect: 0,
            pmp: Pmp::default(),
        }
    }
}

/// Why a CSR access failed: always an illegal-instruction exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsrError;

impl Hart {
    /// Whether the counter with index `n` (0 = cycle, 1 = time, 2 = instret,
    /// 3.. = hpmcounterN) may be read in the current mode (§3.1.11,
    /// §4.1.4 `mcounteren`/`scounteren`).
    fn counter_enabled(&self, n: u16) -> bool {
        let bit = 1u64 << n;
        match self.prv {
            Priv::M => true,
            Priv::S => self.csr.mcounteren & bit != 0,
            Priv::U => self.csr.mcounteren & bit != 0 && self.csr.scounteren & bit != 0,
        }
    }

    /// Check the privilege and read-only rules of CSR number `csr`
    /// (§2.1: bits 11:10 = 3 is read-only, bits 9:8 the lowest privilege).
    fn csr_allowed(&self, csr: u16, write: bool) -> Result<(), CsrError> {
        if write && csr >> 10 == 3 {
            return Err(CsrError);
        }
        if (self.prv as u16) < ((csr >> 8) & 3) {
            return Err(CsrError);
        }
        Ok(())
    }

    /// The effective `mip`: software bits plus device lines (and the Sstc
    /// STIP when enabled).
    pub fn mip(&self) -> u64 {
        let mut sw = self.csr.mip;
        if self.csr.menvcfg & MENVCFG_STCE != 0 {
            // Sstc: STIP is read-only and reflects stimecmp alone.
            sw &= !(1 << irq::STI);
        }
        sw | self.mip_ext
    }

    /// Read CSR `csr` as a CSR instruction in the current mode would.
    /// `write` says whether the instruction will also write it (for the
    /// read-only check). Returns the value, or an illegal-instruction error.
    pub fn csr_read(&mut self, bus: &mut Bus, csr: u16, write: bool) -> Result<u64, CsrError> {
        use addr::*;
        self.csr_allowed(csr, write)?;
        let c = &self.csr;
        let fs_off = c.mstatus & mstatus::FS == mstatus::FS_OFF;
        Ok(match csr {
            FFLAGS | FRM | FCSR if fs_off => return Err(CsrError),
            FFLAGS => c.fcsr & 0x1f,
            FRM => (c.fcsr >> 5) & 7,
            FCSR => c.fcsr & 0xff,
            CYCLE..=HPMCOUNTER31 => {
                let n = csr - CYCLE;
                if !self.counter_enabled(n) {
                    return Err(CsrError);
                }
                match n {
                    0 => self.mcycle(),
                    1 => bus.mtime(self.now()),
                    2 => self.minstret(),
                    _ => self.hpm_counter((n - 3) as usize),
                }
            }
            SSTATUS => self.read_mstatus() & mstatus::SSTATUS_MASK,
            SIE => c.mie & c.mideleg,
            STVEC => c.stvec,
            SCOUNTEREN => c.scounteren,
            SENVCFG => c.senvcfg,
            SSCRATCH => c.sscratch,
            SEPC => c.sepc,
            SCAUSE => c.scause,
            STVAL => c.stval,
            SIP => self.mip() & c.mideleg,
            STIMECMP => {
                self.stimecmp_allowed()?;
                c.stimecmp
            }
            SATP => {
                if self.prv == Priv::S && c.mstatus & mstatus::TVM != 0 {
                    return Err(CsrError);
                }
                c.satp
            }
            MVENDORID | MARCHID | MIMPID | MCONFIGPTR => 0,
            MHARTID => self.hartid,
            MSTATUS => self.read_mstatus(),
            MISA => MISA_VALUE,
            MEDELEG => c.medeleg,
            MIDELEG => c.mideleg,
            MIE => c.mie,
            MTVEC => c.mtvec,
            MCOUNTEREN => c.mcounteren,
            MENVCFG => c.menvcfg,
            MCOUNTINHIBIT => c.mcountinhibit,
            MHPMEVENT3..=MHPMEVENT31 => c.mhpmevent[(csr - MHPMEVENT3) as usize],
            MSCRATCH => c.mscratch,
            MEPC => c.mepc,
            MCAUSE => c.mcause,
            MTVAL => c.mtval,
            MIP => self.mip(),
            PMPCFG0..=PMPCFG15 => {
                if csr & 1 != 0 {
                    return Err(CsrError); // odd pmpcfg registers do not exist on RV64
                }
                c.pmp.read_cfg((csr - PMPCFG0) as usize)
            }
            PMPADDR0..=PMPADDR63 => c.pmp.read_addr((csr - PMPADDR0) as usize),
            // One trigger-less debug module: tselect reads back 0 and tdata1
            // reads type 0 ("no trigger"), so software finds no triggers.
            TSELECT => c.tselect,
            TDATA1..=TDATA3 => 0,
            MCYCLE => self.mcycle(),
            MINSTRET => self.minstret(),
            MHPMCOUNTER3..=MHPMCOUNTER31 => self.hpm_counter((csr - MHPMCOUNTER3) as usize),
            _ => return Err(CsrError),
        })
    }

    /// Value of `mhpmcounter(3 + i)`.
    fn hpm_counter(&self, i: usize) -> u64 {
        self.csr.mhpmcounter[i].wrapping_add(self.hpm_event(self.csr.mhpmevent[i]))
    }

    /// The running count of hardware performance event `event` (the value
    /// of `mhpmeventN`): the TLB model's events. Events 1..=4 are exact at
    /// any time (misses and walks are never deferred by the fast paths).
    ///
    /// | event | counts |
    /// |---|---|
    /// | 1 | ITLB misses |
    /// | 2 | DTLB misses |
    /// | 3 | L2 TLB misses |
    /// | 4 | page-table walks |
    /// | 5 | page-walk-cache hits |
    /// | 6 | PTE memory reads |
    /// | 7 | page faults (instruction, load, store) |
    ///
    /// Other values count nothing. `mcountinhibit` does not stop these.
    pub fn hpm_event(&self, event: u64) -> u64 {
        let st = &self.tlb.stats;
        match event {
            1 => st.tlb.itlb.total.misses,
            2 => st.tlb.dtlb.total.misses,
            3 => st.tlb.l2tlb.total.misses,
            4 => st.walks.total,
            5 => st.walks.walk_cache_hits,
            6 => st.walks.pte_reads,
            7 => st.faults.fetch_page + st.faults.load_page + st.faults.store_page,
            _ => 0,
        }
    }

    /// `mcycle`: the free-running cycle count plus the software offset;
    /// while inhibited the offset holds the frozen value itself.
    pub fn mcycle(&self) -> u64 {
        if self.csr.mcountinhibit & 1 != 0 {
            self.csr.mcycle_offset
        } else {
            self.now().wrapping_add(self.csr.mcycle_offset)
        }
    }

    /// `minstret`, as [`Hart::mcycle`].
    pub fn minstret(&self) -> u64 {
        if self.csr.mcountinhibit & 4 != 0 {
            self.csr.minstret_offset
        } else {
            self.instret().wrapping_add(self.csr.minstret_offset)
        }
    }

    fn set_mcycle(&mut self, v: u64) {
        self.csr.mcycle_offset = if self.csr.mcountinhibit & 1 != 0 {
            v
        } else {
            v.wrapping_sub(self.now())
        };
    }

    fn set_minstret(&mut self, v: u64) {
        self.csr.minstret_offset = if self.csr.mcountinhibit & 4 != 0 {
            v
        } else {
            v.wrapping_sub(self.instret())
        };
    }

    /// Sstc: S-mode may access `stimecmp` only with `menvcfg.STCE` and
    /// `mcounteren.TM` set.
    fn stimecmp_allowed(&self) -> Result<(), CsrError> {
        if self.prv != Priv::M
            && (self.csr.menvcfg & MENVCFG_STCE == 0 || self.csr.mcounteren & 2 == 0)
        {
            return Err(CsrError);
        }
        Ok(())
    }

    /// `mstatus` as software reads it (SD derived from FS).
    pub(crate) fn read_mstatus_value(&self) -> u64 {
        self.read_mstatus()
    }

    fn read_mstatus(&self) -> u64 {
        let s = self.csr.mstatus;
        if s & mstatus::FS == mstatus::FS_DIRTY {
            s | mstatus::SD
        } else {
            s
        }
    }

    /// Write CSR `csr` (access rights already checked by [`Hart::csr_read`]).
    pub fn csr_write(&mut self, bus: &mut Bus, csr: u16, value: u64) -> Result<(), CsrError> {
        use addr::*;
        let c = &mut self.csr;
        match csr {
            FFLAGS => {
                c.fcsr = (c.fcsr & !0x1f) | (value & 0x1f);
                c.mstatus |= mstatus::FS_DIRTY;
            }
            FRM => {
                c.fcsr = (c.fcsr & !0xe0) | ((value & 7) << 5);
                c.mstatus |= mstatus::FS_DIRTY;
            }
            FCSR => {
                c.fcsr = value & 0xff;
                c.mstatus |= mstatus::FS_DIRTY;
            }
            SSTATUS => {
                let mask = mstatus::SSTATUS_MASK & mstatus::WRITABLE;
                let v = (c.mstatus & !mask) | (value & mask);
                self.write_mstatus(v);
            }
            SIE => c.mie = (c.mie & !c.mideleg) | (value & c.mideleg & MIE_MASK),
            STVEC => c.stvec = legal_tvec(value),
            SCOUNTEREN => c.scounteren = value & 0xffff_ffff,
            SENVCFG => c.senvcfg = value & 1,
            SSCRATCH => c.sscratch = value,
            SEPC => c.sepc = value & !1,
            SCAUSE => c.scause = value,
            STVAL => c.stval = value,
            SIP => {
                // Only SSIP is writable through sip (§4.1.3).
                let mask = c.mideleg & (1 << irq::SSI);
                c.mip = (c.mip & !mask) | (value & mask);
            }
            STIMECMP => c.stimecmp = value,
            SATP => {
                // Bare and Sv39; writes of an unsupported MODE leave satp
                // unchanged (§4.1.11).
                // On a TLB model without ASIDs the ASID field is read-only
                // zero (WARL, ASIDLEN = 0).
                let mode = value >> 60;
                if mode == sv39::SATP_MODE_BARE || mode == sv39::SATP_MODE_SV39 {
                    let asid_mask = if self.tlb.config().flush_on_satp_write {
                        0
                    } else {
                        sv39::SATP_ASID_MASK << sv39::SATP_ASID_SHIFT
                    };
                    self.csr.satp = value & ((mode << 60) | asid_mask | sv39::SATP_PPN_MASK);
                    self.satp_written();
                }
            }
            MSTATUS => {
                let v = (c.mstatus & !mstatus::WRITABLE) | (value & mstatus::WRITABLE);
                self.write_mstatus(v);
            }
            MISA => {} // WARL: read-only
            MEDELEG => c.medeleg = value & MEDELEG_MASK,
            MIDELEG => c.mideleg = value & MIDELEG_MASK,
            MIE => c.mie = value & MIE_MASK,
            MTVEC => c.mtvec = legal_tvec(value),
            MCOUNTEREN => c.mcounteren = value & 0xffff_ffff,
            MENVCFG => c.menvcfg = value & MENVCFG_MASK,
            MCOUNTINHIBIT => {
                let (cy, ir) = (self.mcycle(), self.minstret());
                self.csr.mcountinhibit = value & 0xffff_fffd;
                self.set_mcycle(cy);
                self.set_minstret(ir);
            }
            MHPMEVENT3..=MHPMEVENT31 => {
                // The counter keeps its value and counts the new event from here.
                let i = (csr - MHPMEVENT3) as usize;
                let now = self.hpm_counter(i);
                self.csr.mhpmevent[i] = value;
                self.csr.mhpmcounter[i] = now.wrapping_sub(self.hpm_event(value));
            }
            MSCRATCH => c.mscratch = value,
            MEPC => c.mepc = value & !1,
            MCAUSE => c.mcause = value,
            MTVAL => c.mtval = value,
            MIP => {
                // SSIP, STIP (unless Sstc drives it) and SEIP are writable by M.
                let mut mask = (1 << irq::SSI) | (1 << irq::SEI);
                if c.menvcfg & MENVCFG_STCE == 0 {
                    mask |= 1 << irq::STI;
                }
                c.mip = (c.mip & !mask) | (value & mask);
            }
            PMPCFG0..=PMPCFG15 => {
                c.pmp.write_cfg((csr - PMPCFG0) as usize, value);
                self.flush_host_tlb();
            }
            PMPADDR0..=PMPADDR63 => {
                c.pmp.write_addr((csr - PMPADDR0) as usize, value);
                self.flush_host_tlb();
            }
            TSELECT => c.tselect = 0,
            TDATA1..=TDATA3 => {}
            // The writing instruction's own retirement increments the
            // counter afterwards, so store one less (as Spike does) and the
            // next instruction reads the value written.
            MCYCLE => {
                let v = value.wrapping_sub(u64::from(c.mcountinhibit & 1 == 0));
                self.set_mcycle(v);
            }
            MINSTRET => {
                let v = value.wrapping_sub(u64::from(c.mcountinhibit & 4 == 0));
                self.set_minstret(v);
            }
            MHPMCOUNTER3..=MHPMCOUNTER31 => {
                let i = (csr - MHPMCOUNTER3) as usize;
                let event = self.csr.mhpmevent[i];
                self.csr.mhpmcounter[i] = value.wrapping_sub(self.hpm_event(event));
            }
            _ => return Err(CsrError),
        }
        let _ = bus;
        // Any CSR write may enable a pending interrupt or change translation:
        // end the batch so the machine re-evaluates.
        self.end_batch();
        Ok(())
    }

    /// Apply a new `mstatus` value, legalising MPP (WARL: the reserved
    /// value 2 reads as U, as Spike does).
    pub(crate) fn write_mstatus(&mut self, mut v: u64) {
        if (v & mstatus::MPP) >> mstatus::MPP_SHIFT == 2 {
            v &= !mstatus::MPP;
        }
        let old = self.csr.mstatus;
        self.csr.mstatus = v;
        let changed = old ^ v;
        if changed & (mstatus::MPRV | mstatus::MPP | mstatus::SUM | mstatus::MXR) != 0 {
            self.flush_host_tlb();
        }
        self.update_data_priv();
    }
}

/// `xtvec` WARL: MODE 0 (direct) or 1 (vectored); reserved modes are
/// written as direct. BASE is 4-byte aligned.
fn legal_tvec(value: u64) -> u64 {
    if value & 3 >= 2 {
        value & !3
    } else {
        value
    }
}
