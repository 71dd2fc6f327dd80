//! Instruction semantics (Unprivileged ISA 20191213 chapters 2, 5, 7, 8, 9,
//! 11, 12; Privileged ISA 20211203 §3.3 and §4.2).

use super::csr::{mstatus, CsrError};
use super::decode::{Insn, Op};
use super::fpu::{self, FpOp, RoundingMode};
use super::trap::{cause, Trap, BLOCK_END, NEEDS_SLOW_FETCH};
use super::{Hart, Priv};
use crate::bus::Bus;

impl Hart {
    #[inline(always)]
    fn rs1(&self, i: &Insn) -> u64 {
        self.x[i.rs1 as usize]
    }
    #[inline(always)]
    fn rs2(&self, i: &Insn) -> u64 {
        self.x[i.rs2 as usize]
    }
    /// The sources of a divide or remainder, recorded in
    /// `Hart::div_operands` for the timing model (its latency depends on
    /// them).
    #[inline(always)]
    fn div_sources(&mut self, i: &Insn) -> (u64, u64) {
        let ops = (self.rs1(i), self.rs2(i));
        self.div_operands = ops;
        ops
    }
    #[inline(always)]
    fn set_rd(&mut self, i: &Insn, v: u64) {
        // x0 writes land in the sink `x[32]` (decode::X0_SINK).
        self.x[i.rd as usize] = v;
    }
    #[inline(always)]
    fn imm(i: &Insn) -> u64 {
        i.imm as i64 as u64
    }
    /// A jump or branch to `target` is done: outside a block, `pc` is
    /// `target`; in a block, the block ends with `target` as the
    /// [`BLOCK_END`] sentinel's `tval` (the block loop sets `pc`).
    #[inline(always)]
    fn jump<const BLOCK: bool>(&mut self, target: u64) -> Result<(), Trap> {
        if BLOCK {
            Err(Trap::new(BLOCK_END, target))
        } else {
            self.pc = target;
            Ok(())
        }
    }
    #[inline(always)]
    fn branch<const BLOCK: bool>(&mut self, i: &Insn, pc: u64, taken: bool) -> Result<(), Trap> {
        if taken {
            self.jump::<BLOCK>(pc.wrapping_add(Self::imm(i)))
        } else if BLOCK {
            // Not taken: the block goes on with the next instruction.
            Ok(())
        } else {
            self.pc = pc.wrapping_add(i.len as u64);
            Ok(())
        }
    }

    /// [`Hart::execute`] out of line, for the interpreter's slow path.
    #[inline(never)]
    pub(super) fn execute_cold(&mut self, bus: &mut Bus, i: Insn) -> Result<(), Trap> {
        self.execute::<false, true>(bus, &i, self.pc)
    }

    /// Execute one decoded instruction at `base` (outside a block) or at
    /// `base + i.block_offset()` (in a block: `base` is the block's pc).
    /// On `Err` no architectural state has changed (and `self.pc` is
    /// untouched), but for the [`BLOCK_END`] sentinel.
    ///
    /// Outside a block (`BLOCK` false) `pc` is `self.pc` and every
    /// instruction leaves `self.pc` at the next one. In a block (see
    /// [`super::block`]) `self.pc` is left alone: jumps and taken branches
    /// return the [`BLOCK_END`] sentinel with their target as its `tval`
    /// (their link register written); a load or store that would leave the
    /// host cache's fast path, and the block's end marker, return
    /// [`NEEDS_SLOW_FETCH`]: the instruction at `pc` must run outside the block.
    /// With `TIMED` (a timed loop), loads and stores record their physical
    /// address in `last_data_pa` for the timing model.
    #[inline(always)]
    pub(super) fn execute<const BLOCK: bool, const TIMED: bool>(
        &mut self,
        bus: &mut Bus,
        i: &Insn,
        base: u64,
    ) -> Result<(), Trap> {
        // In a block, the pc is computed only where it is used.
        let pc = || {
            if BLOCK {
                base.wrapping_add(i.block_offset())
            } else {
                base
            }
        };
        let imm = Self::imm(i);
        match i.op {
            Op::Addi => {
                let v = self.rs1(i).wrapping_add(imm);
                self.set_rd(i, v);
            }
            Op::Lui => self.set_rd(i, imm),
            Op::Auipc => {
                let v = pc().wrapping_add(imm);
                self.set_rd(i, v);
            }
            Op::Jal => {
                let link = pc().wrapping_add(i.len as u64);
                self.set_rd(i, link);
                return self.jump::<BLOCK>(pc().wrapping_add(imm));
            }
            Op::Jalr => {
                let target = self.rs1(i).wrapping_add(imm) & !1;
                let link = pc().wrapping_add(i.len as u64);
                self.set_rd(i, link);
                return self.jump::<BLOCK>(target);
            }
            Op::Beq => {
                let t = self.rs1(i) == self.rs2(i);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Bne => {
                let t = self.rs1(i) != self.rs2(i);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Blt => {
                let t = (self.rs1(i) as i64) < (self.rs2(i) as i64);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Bge => {
                let t = (self.rs1(i) as i64) >= (self.rs2(i) as i64);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Bltu => {
                let t = self.rs1(i) < self.rs2(i);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Bgeu => {
                let t = self.rs1(i) >= self.rs2(i);
                return self.branch::<BLOCK>(i, pc(), t);
            }
            Op::Lb => {
                let v = self.load::<1, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v as i8 as u64);
            }
            Op::Lh => {
                let v = self.load::<2, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v as i16 as u64);
            }
            Op::Lw => {
                let v = self.load::<4, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v as i32 as u64);
            }
            Op::Ld => {
                let v = self.load::<8, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v);
            }
            Op::Lbu => {
                let v = self.load::<1, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v);
            }
            Op::Lhu => {
                let v = self.load::<2, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v);
            }
            Op::Lwu => {
                let v = self.load::<4, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm))?;
                self.set_rd(i, v);
            }
            Op::Sb => {
                self.store::<1, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm), self.rs2(i))?
            }
            Op::Sh => {
                self.store::<2, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm), self.rs2(i))?
            }
            Op::Sw => {
                self.store::<4, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm), self.rs2(i))?
            }
            Op::Sd => {
                self.store::<8, BLOCK, TIMED>(bus, self.rs1(i).wrapping_add(imm), self.rs2(i))?
            }
            Op::Slti => {
                let v = ((self.rs1(i) as i64) < imm as i64) as u64;
                self.set_rd(i, v);
            }
            Op::Sltiu => {
                let v = (self.rs1(i) < imm) as u64;
                self.set_rd(i, v);
            }
            Op::Xori => {
                let v = self.rs1(i) ^ imm;
                self.set_rd(i, v);
            }
            Op::Ori => {
                let v = self.rs1(i) | imm;
                self.set_rd(i, v);
            }
            Op::Andi => {
                let v = self.rs1(i) & imm;
                self.set_rd(i, v);
            }
            Op::Slli => {
                let v = self.rs1(i) << (i.imm & 63);
                self.set_rd(i, v);
            }
            Op::Srli => {
                let v = self.rs1(i) >> (i.imm & 63);
                self.set_rd(i, v);
            }
            Op::Srai => {
                let v = (self.rs1(i) as i64 >> (i.imm & 63)) as u64;
                self.set_rd(i, v);
            }
            Op::Add => {
                let v = self.rs1(i).wrapping_add(self.rs2(i));
                self.set_rd(i, v);
            }
            Op::Sub => {
                let v = self.rs1(i).wrapping_sub(self.rs2(i));
                self.set_rd(i, v);
            }
            Op::Sll => {
                let v = self.rs1(i) << (self.rs2(i) & 63);
                self.set_rd(i, v);
            }
            Op::Slt => {
                let v = ((self.rs1(i) as i64) < (self.rs2(i) as i64)) as u64;
                self.set_rd(i, v);
            }
            Op::Sltu => {
                let v = (self.rs1(i) < self.rs2(i)) as u64;
                self.set_rd(i, v);
            }
            Op::Xor => {
                let v = self.rs1(i) ^ self.rs2(i);
                self.set_rd(i, v);
            }
            Op::Srl => {
                let v = self.rs1(i) >> (self.rs2(i) & 63);
                self.set_rd(i, v);
            }
            Op::Sra => {
                let v = (self.rs1(i) as i64 >> (self.rs2(i) & 63)) as u64;
                self.set_rd(i, v);
            }
            Op::Or => {
                let v = self.rs1(i) | self.rs2(i);
                self.set_rd(i, v);
            }
            Op::And => {
                let v = self.rs1(i) & self.rs2(i);
                self.set_rd(i, v);
            }
            Op::Addiw => {
                let v = self.rs1(i).wrapping_add(imm) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Slliw => {
                let v = ((self.rs1(i) as u32) << (i.imm & 31)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Srliw => {
                let v = ((self.rs1(i) as u32) >> (i.imm & 31)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Sraiw => {
                let v = ((self.rs1(i) as i32) >> (i.imm & 31)) as u64;
                self.set_rd(i, v);
            }
            Op::Addw => {
                let v = self.rs1(i).wrapping_add(self.rs2(i)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Subw => {
                let v = self.rs1(i).wrapping_sub(self.rs2(i)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Sllw => {
                let v = ((self.rs1(i) as u32) << (self.rs2(i) & 31)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Srlw => {
                let v = ((self.rs1(i) as u32) >> (self.rs2(i) & 31)) as i32 as u64;
                self.set_rd(i, v);
            }
            Op::Sraw => {
                let v = ((self.rs1(i) as i32) >> (self.rs2(i) & 31)) as u64;
                self.set_rd(i, v);
            }
            Op::Mul => {
                let v = self.rs1(i).wrapping_mul(self.rs2(i));
                self.set_rd(i, v);
            }
            Op::Mulh => {
                let v = ((self.rs1(i) as i64 as i128 * self.rs2(i) as i64 as i128) >> 64) as u64;
                self.set_rd(i, v);
            }
            Op::Mulhsu => {
                let v =
                    ((self.rs1(i) as i64 as i128).wrapping_mul(self.rs2(i) as i128) >> 64) as u64;
                self.set_rd(i, v);
            }
            Op::Mulhu => {
                let v = ((self.rs1(i) as u128 * self.rs2(i) as u128) >> 64) as u64;
                self.set_rd(i, v);
            }
            Op::Div => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as i64, b as i64);
                let v = if b == 0 {
                    u64::MAX
                } else {
                    a.wrapping_div(b) as u64
                };
                self.set_rd(i, v);
            }
            Op::Divu => {
                let (a, b) = self.div_sources(i);
                let v = a.checked_div(b).unwrap_or(u64::MAX);
                self.set_rd(i, v);
            }
            Op::Rem => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as i64, b as i64);
                let v = if b == 0 {
                    a as u64
                } else {
                    a.wrapping_rem(b) as u64
                };
                self.set_rd(i, v);
            }
            Op::Remu => {
                let (a, b) = self.div_sources(i);
                let v = if b == 0 { a } else { a % b };
                self.set_rd(i, v);
            }
            Op::Mulw => {
                let v = (self.rs1(i) as i32).wrapping_mul(self.rs2(i) as i32) as u64;
                self.set_rd(i, v);
            }
            Op::Divw => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as i32, b as i32);
                let v = if b == 0 {
                    u64::MAX
                } else {
                    a.wrapping_div(b) as u64
                };
                self.set_rd(i, v);
            }
            Op::Divuw => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as u32, b as u32);
                let v = a.checked_div(b).map_or(u64::MAX, |q| q as i32 as u64);
                self.set_rd(i, v);
            }
            Op::Remw => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as i32, b as i32);
                let v = if b == 0 {
                    a as u64
                } else {
                    a.wrapping_rem(b) as u64
                };
                self.set_rd(i, v);
            }
            Op::Remuw => {
                let (a, b) = self.div_sources(i);
                let (a, b) = (a as u32, b as u32);
                let v = if b == 0 {
                    a as i32 as u64
                } else {
                    (a % b) as i32 as u64
                };
                self.set_rd(i, v);
            }
            Op::Fence => {}
            Op::FenceI => {
                // The decode cache is kept coherent with stores; nothing to do.
                self.end_batch();
            }
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
            | Op::AmoMaxu => self.amo(bus, i)?,
            Op::Csrrw | Op::Csrrs | Op::Csrrc | Op::Csrrwi | Op::Csrrsi | Op::Csrrci => {
                self.csr_op(bus, i)?
            }
            Op::Ecall => {
                let c = match self.prv {
                    Priv::U => cause::ECALL_FROM_U,
                    Priv::S => cause::ECALL_FROM_S,
                    Priv::M => cause::ECALL_FROM_M,
                };
                return Err(Trap::new(c, 0));
            }
            Op::Ebreak => return Err(Trap::new(cause::BREAKPOINT, pc())),
            Op::Mret => {
                if self.prv != Priv::M {
                    return Err(Trap::illegal(i.raw));
                }
                self.mret();
                return Ok(());
            }
            Op::Sret => {
                if self.prv == Priv::U
                    || (self.prv == Priv::S && self.csr.mstatus & mstatus::TSR != 0)
                {
                    return Err(Trap::illegal(i.raw));
                }
                self.sret();
                return Ok(());
            }
            Op::Wfi => {
                // §3.1.6.5: TW traps WFI below M; with S-mode present, WFI in
                // U-mode is illegal too (as Spike does).
                if self.prv == Priv::U
                    || (self.prv == Priv::S && self.csr.mstatus & mstatus::TW != 0)
                {
                    return Err(Trap::illegal(i.raw));
                }
                self.wfi = true;
                self.end_batch();
            }
            Op::SfenceVma => {
                if self.prv == Priv::U
                    || (self.prv == Priv::S && self.csr.mstatus & mstatus::TVM != 0)
                {
                    return Err(Trap::illegal(i.raw));
                }
                let addr = (i.rs1 != 0).then(|| self.rs1(i));
                let asid = (i.rs2 != 0).then(|| self.rs2(i));
                self.sfence_vma(addr, asid);
                self.end_batch();
            }
            Op::Flw | Op::Fld | Op::Fsw | Op::Fsd => self.fp_mem::<BLOCK, TIMED>(bus, i)?,
            Op::FpF | Op::FpX | Op::FpFromX => self.fp_op(i)?,
            Op::Illegal => return Err(Trap::illegal(i.raw)),
            // Not an architectural outcome: the interpreter loop takes the
            // slow fetch path (see `Hart::run_loop`); in a block, the end
            // marker: the instruction at `pc` runs outside the block.
            Op::Undecoded => return Err(Trap::new(NEEDS_SLOW_FETCH, 0)),
        }
        if !BLOCK {
            self.pc = pc().wrapping_add(i.len as u64);
        }
        Ok(())
    }

    /// MRET (§3.3.2).
    #[inline(never)]
    fn mret(&mut self) {
        let mut s = self.csr.mstatus;
        let mpp = Priv::from_bits(s >> mstatus::MPP_SHIFT);
        if s & mstatus::MPIE != 0 {
            s |= mstatus::MIE;
        } else {
            s &= !mstatus::MIE;
        }
        s |= mstatus::MPIE;
        s &= !mstatus::MPP; // MPP = U, the least-privileged mode
        if mpp != Priv::M {
            s &= !mstatus::MPRV;
        }
        self.csr.mstatus = s;
        self.pc = self.csr.mepc;
        self.set_priv(mpp);
        self.end_batch();
        self.trace_mstatus();
    }

    /// SRET (§3.3.2, §4.1.1).
    #[inline(never)]
    fn sret(&mut self) {
        let mut s = self.csr.mstatus;
        let spp = if s & mstatus::SPP != 0 {
            Priv::S
        } else {
            Priv::U
        };
        if s & mstatus::SPIE != 0 {
            s |= mstatus::SIE;
        } else {
            s &= !mstatus::SIE;
        }
        s |= mstatus::SPIE;
        s &= !mstatus::SPP;
        s &= !mstatus::MPRV;
        self.csr.mstatus = s;
        self.pc = self.csr.sepc;
        self.set_priv(spp);
        self.end_batch();
        self.trace_mstatus();
    }

    /// Zicsr instructions (Unprivileged ISA chapter 9): CSRRW always writes
    /// and reads only when rd != x0; CSRRS/CSRRC write only when rs1/uimm != 0.
    #[inline(never)]
    fn csr_op(&mut self, bus: &mut Bus, i: &Insn) -> Result<(), Trap> {
        let csr = (i.imm as u32 & 0xfff) as u16;
        let src = match i.op {
            Op::Csrrwi | Op::Csrrsi | Op::Csrrci => i.rs1 as u64,
            _ => self.rs1(i),
        };
        let writes = match i.op {
            Op::Csrrw | Op::Csrrwi => true,
            _ => i.rs1 != 0,
        };
        let illegal = |_: CsrError| Trap::illegal(i.raw);
        let old = self.csr_read(bus, csr, writes).map_err(illegal)?;
        if writes {
            // §3.1.9: the read-modify-write of mip uses only the software
            // SEIP bit, not the external controller's signal.
            let base = if csr == super::csr::addr::MIP {
                let seip = 1 << super::trap::irq::SEI;
                (old & !seip) | (self.csr.mip & seip)
            } else {
                old
            };
            let new = match i.op {
                Op::Csrrw | Op::Csrrwi => src,
                Op::Csrrs | Op::Csrrsi => base | src,
                _ => base & !src,
            };
            let status_before = self.csr.mstatus;
            self.csr_write(bus, csr, new).map_err(illegal)?;
            if self.tracer.is_some() {
                self.trace_csr_write(bus, csr, status_before);
            }
        }
        self.set_rd(i, old);
        Ok(())
    }

    /// Log a CSR instruction's write the way Spike does: the CSRs behind
    /// proxies, read back after the write, plus `mstatus` when the write
    /// made FS Dirty.
    #[cold]
    fn trace_csr_write(&mut self, bus: &mut Bus, csr: u16, status_before: u64) {
        let mut items: Vec<(u16, u64)> = super::trace::logged_csrs(csr)
            .into_iter()
            .map(|c| (c, self.csr_peek(bus, c)))
            .collect();
        let dirty = |s: u64| s & mstatus::FS == mstatus::FS_DIRTY;
        if !dirty(status_before) && dirty(self.csr.mstatus) {
            items.push((
                super::csr::addr::MSTATUS,
                self.csr_peek(bus, super::csr::addr::MSTATUS),
            ));
        }
        if let Some(t) = self.tracer.as_mut() {
            for (c, v) in items {
                t.csr_write(c, v);
            }
        }
    }

    /// Log an implicit write of `mstatus` (xRET, FS becoming Dirty).
    fn trace_mstatus(&mut self) {
        if self.tracer.is_some() {
            let v = self.read_mstatus_value();
            if let Some(t) = self.tracer.as_mut() {
                t.csr_write(super::csr::addr::MSTATUS, v);
            }
        }
    }

    /// The value of a CSR for the trace log, ignoring access rights.
    fn csr_peek(&mut self, bus: &mut Bus, csr: u16) -> u64 {
        let prv = self.prv;
        self.prv = Priv::M;
        let v = self.csr_read(bus, csr, false).unwrap_or(0);
        self.prv = prv;
        v
    }

    /// A extension (Unprivileged ISA chapter 8). The reservation set is the
    /// naturally aligned doubleword; SC checks translation and alignment
    /// before the reservation, as Spike does.
    #[inline(never)]
    fn amo(&mut self, bus: &mut Bus, i: &Insn) -> Result<(), Trap> {
        let size = 1u64 << i.fop;
        let va = self.rs1(i);
        let sext = |v: u64| if size == 4 { v as i32 as u64 } else { v };
        let access = |_| Trap::new(cause::STORE_ACCESS_FAULT, va);
        let pa = self.amo_address(bus, va, size, i.op == Op::Lr)?;
        match i.op {
            Op::Lr => {
                let v = bus
                    .read(pa, size)
                    .map_err(|_| Trap::new(cause::LOAD_ACCESS_FAULT, va))?;
                self.reservation = pa & !7;
                if let Some(t) = self.tracer.as_mut() {
                    t.mem_read(va, size);
                }
                self.set_rd(i, sext(v));
            }
            Op::Sc => {
                let ok = self.reservation == pa & !7;
                self.reservation = u64::MAX;
                if ok {
                    bus.write(pa, size, self.rs2(i)).map_err(access)?;
                    if let Some(t) = self.tracer.as_mut() {
                        t.mem_write(va, size, self.x[i.rs2 as usize]);
                    }
                }
                self.set_rd(i, !ok as u64);
            }
            _ => {
                let old = sext(bus.read(pa, size).map_err(access)?);
                let src = sext(self.rs2(i));
                let new = match i.op {
                    Op::AmoSwap => src,
                    Op::AmoAdd => old.wrapping_add(src),
                    Op::AmoXor => old ^ src,
                    Op::AmoAnd => old & src,
                    Op::AmoOr => old | src,
                    Op::AmoMin => (old as i64).min(src as i64) as u64,
                    Op::AmoMax => (old as i64).max(src as i64) as u64,
                    Op::AmoMinu => {
                        if size == 4 {
                            (old as u32).min(src as u32) as u64
                        } else {
                            old.min(src)
                        }
                    }
                    _ => {
                        if size == 4 {
                            (old as u32).max(src as u32) as u64
                        } else {
                            old.max(src)
                        }
                    }
                };
                bus.write(pa, size, new).map_err(access)?;
                if self.reservation != u64::MAX && pa & !7 == self.reservation {
                    self.reservation = u64::MAX;
                }
                if let Some(t) = self.tracer.as_mut() {
                    t.mem_read(va, size);
                    t.mem_write(va, size, new);
                }
                self.set_rd(i, old);
            }
        }
        if !bus.is_dram_page(pa) {
            self.end_batch();
        }
        Ok(())
    }

    /// Illegal unless `mstatus.FS` is on (§3.1.6.6).
    #[inline]
    fn require_fp(&self, i: &Insn) -> Result<(), Trap> {
        if self.csr.mstatus & mstatus::FS == mstatus::FS_OFF {
            return Err(Trap::illegal(i.raw));
        }
        Ok(())
    }

    #[inline]
    fn fp_dirty(&mut self) {
        if self.csr.mstatus & mstatus::FS != mstatus::FS_DIRTY {
            self.csr.mstatus |= mstatus::FS_DIRTY;
            self.trace_mstatus();
        }
    }

    /// FLW/FLD/FSW/FSD (§11.5, §12.3): loads NaN-box singles; stores write
    /// the register bits unmodified.
    #[inline(never)]
    fn fp_mem<const BLOCK: bool, const TIMED: bool>(
        &mut self,
        bus: &mut Bus,
        i: &Insn,
    ) -> Result<(), Trap> {
        self.require_fp(i)?;
        let va = self.rs1(i).wrapping_add(i.imm as i64 as u64);
        match i.op {
            Op::Flw => {
                let v = self.load::<4, BLOCK, TIMED>(bus, va)?;
                self.f[(i.rd & 31) as usize] = fpu::box_s(v as u32);
                self.fp_dirty();
            }
            Op::Fld => {
                let v = self.load::<8, BLOCK, TIMED>(bus, va)?;
                self.f[(i.rd & 31) as usize] = v;
                self.fp_dirty();
            }
            Op::Fsw => self.store::<4, BLOCK, TIMED>(bus, va, self.f[(i.rs2 & 31) as usize])?,
            _ => self.store::<8, BLOCK, TIMED>(bus, va, self.f[(i.rs2 & 31) as usize])?,
        }
        Ok(())
    }

    /// OP-FP and the fused multiply-adds, through the soft-float unit.
    #[inline(never)]
    fn fp_op(&mut self, i: &Insn) -> Result<(), Trap> {
        self.require_fp(i)?;
        let (op, prec) = i.fp_op();
        let rm_bits = if i.rm == 7 {
            ((self.csr.fcsr >> 5) & 7) as u8
        } else {
            i.rm
        };
        // Ops without rounding ignore rm (their funct3 selects the op).
        let rm = match op {
            FpOp::Sgnj
            | FpOp::Sgnjn
            | FpOp::Sgnjx
            | FpOp::Min
            | FpOp::Max
            | FpOp::Eq
            | FpOp::Lt
            | FpOp::Le
            | FpOp::Class
            | FpOp::MvXFromF
            | FpOp::MvFFromX => RoundingMode::Rne,
            _ => RoundingMode::from_bits(rm_bits).ok_or(Trap::illegal(i.raw))?,
        };
        let a = match i.op {
            Op::FpFromX => self.rs1(i),
            _ => self.f[(i.rs1 & 31) as usize],
        };
        let b = self.f[(i.rs2 & 31) as usize];
        let c = self.f[(i.rs3 & 31) as usize];
        let out = fpu::execute(op, prec, a, b, c, rm);
        if out.flags != 0 {
            self.csr.fcsr |= out.flags as u64;
            self.fp_dirty();
            if let Some(t) = self.tracer.as_mut() {
                t.csr_write(super::csr::addr::FFLAGS, self.csr.fcsr & 0x1f);
            }
        }
        match i.op {
            Op::FpX => self.set_rd(i, out.value),
            _ => {
                self.f[(i.rd & 31) as usize] = out.value;
                self.fp_dirty();
            }
        }
        Ok(())
    }
}
