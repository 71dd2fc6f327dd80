//! One RV64GC hart: architectural state, the fetch/execute loop, traps and
//! interrupts (RISC-V Unprivileged ISA 20191213, Privileged ISA 20211203).

mod block;
pub mod csr;
pub mod decode;
mod execute;
pub mod fpu;
pub mod rvc;
pub mod trace;
pub mod trap;

use crate::bus::Bus;
use crate::mmu::tlb::{presets, TlbModel};
use crate::mmu::translate::{Accounting, Mismatch, NOT_CACHED};
use crate::mmu::HostTlb;
use csr::{mstatus, Csrs};
use decode::{Insn, Op};
use trap::{cause, irq, Trap};

/// Privilege modes (Privileged ISA §1.2, Table 1.1), encoded as in MPP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Priv {
    /// User mode.
    U = 0,
    /// Supervisor mode.
    S = 1,
    /// Machine mode.
    M = 3,
}

impl Priv {
    /// Decode an MPP/SPP value; the reserved value 2 maps to U.
    pub fn from_bits(b: u64) -> Priv {
        match b & 3 {
            3 => Priv::M,
            1 => Priv::S,
            _ => Priv::U,
        }
    }
}

/// Why a hart stopped executing on its own (beyond the batch budget).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HartStop {
    /// The hart trapped many times in a row without retiring an
    /// instruction: there is no working trap handler. `pc`, `cause` and
    /// `tval` are those of the last trap.
    #[allow(missing_docs)]
    TrapLoop { pc: u64, cause: u64, tval: u64 },
}

/// Consecutive traps without a retired instruction that count as a loop.
const TRAP_LOOP_LIMIT: u32 = 64;

/// A hart.
pub struct Hart {
    /// Value of `mhartid`.
    pub hartid: u64,
    /// Integer registers `x[0..32]`; `x[0]` is never written (writes to x0
    /// are decoded to the sink `x[32]`), `x[33..]` unused: 256 entries so
    /// that any `u8` register field indexes it without a mask or bounds check.
    pub x: [u64; 256],
    /// Floating-point registers, raw 64-bit (singles NaN-boxed).
    pub f: [u64; 32],
    /// The program counter (virtual address of the next instruction).
    pub pc: u64,
    /// Current privilege mode.
    pub prv: Priv,
    /// The CSRs that are plain state (counters and `mip` lines live in
    /// the fields below).
    pub csr: Csrs,
    /// Free-running modelled cycle count (virtual time derives from it;
    /// `mcycle` is this plus a software offset).
    pub cycle: u64,
    /// Cycles that retired no instruction (traps, WFI sleep): `instret()`
    /// is `cycle - stalled`.
    stalled: u64,
    /// Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP, SEIP
    /// from the PLIC, STIP from Sstc), refreshed by the machine.
    pub mip_ext: u64,
    /// LR reservation: physical address of the reserved doubleword, or
    /// `u64::MAX` for none.
    pub(crate) reservation: u64,
    /// The batch ends when `cycle` reaches this; [`Hart::end_batch`] sets
    /// it to 0 to return to the machine loop (interrupt re-evaluation,
    /// device events).
    batch_end: u64,
    /// Stalled in WFI until an interrupt is pending.
    pub wfi: bool,
    /// The architectural TLB model (and its statistics).
    pub tlb: TlbModel,
    /// What the fast paths owe the model's statistics.
    pub(crate) acct: Accounting,
    /// `--validate-tlb`: check every TLB hit against the page table.
    pub validate_tlb: bool,
    /// TLB hits that disagreed with the page table (validate mode).
    pub tlb_mismatches: u64,
    /// The first of them.
    pub first_mismatch: Option<Mismatch>,
    /// Instructions that went through the slow fetch path.
    pub(crate) slow_steps: u64,
    /// Cycles spent asleep in WFI.
    pub(crate) idle_cycles: u64,
    /// The cycle-approximate timing model, if one is configured.
    pub timing: Option<Box<crate::timing::CoreModel>>,
    /// Cycles the timing model charged beyond one per instruction.
    pub(crate) stall_cycles: u64,
    /// The source values of the last divide or remainder (timing model:
    /// its latency depends on them).
    pub(crate) div_operands: (u64, u64),
    /// PTE addresses and count of the last page walk (timing model).
    pub(crate) last_walk: ([u64; 3], u8),
    /// Physical address of the last data access (of its first byte, for
    /// one crossing a page): the timing model's data address. Set by the
    /// slow paths of `Hart::load`/`Hart::store`, and by their fast paths
    /// in the instantiations the timed loops use (`TIMED`: the store costs
    /// the functional block loop 15% of its host instructions).
    pub(crate) last_data_pa: u64,
    /// Physical address of the last instruction fetch through the slow
    /// path (the timing model's fetch address for it).
    last_fetch_pa: u64,
    /// Physical address of the page the fetch fast path points at.
    fetch_pa_page: u64,
    /// Svadu (true, default): the page walk sets A/D; Svade (false): it
    /// raises a page fault instead.
    pub ad_hw: bool,
    /// Effective privilege for loads and stores (MPRV, §3.1.6.3).
    pub(crate) data_priv: Priv,
    pub(crate) host_tlb: HostTlb,
    /// Virtual page number of the page the fetch fast path points at.
    fetch_vpn: u64,
    /// The decode-cache page for `fetch_vpn`.
    fetch_base: FetchBase,
    /// Its index in the code cache.
    fetch_page: usize,
    /// Pages the fetch fast path pointed at before (see [`FetchEntry`]),
    /// per privilege mode, indexed by virtual page number.
    fetch_cache: Box<[[FetchEntry; FETCH_CACHE]; 4]>,
    /// Entries of `fetch_cache` from another generation are void: it moves
    /// on whenever the fetch side of the TLB model loses or replaces an
    /// entry, and whenever the host translation cache is flushed.
    fetch_gen: u32,
    /// The bus (code cache id, DRAM pointer and size) the cached page
    /// pointer and DRAM offsets refer to.
    bound_bus: (u64, usize, usize),
    /// Consecutive traps without a retired instruction.
    traps_in_a_row: u32,
    /// `instret()` at the last trap.
    last_trap_instret: u64,
    /// Set when the hart stopped on its own (see [`HartStop`]).
    pub stop: Option<HartStop>,
    /// Commit-log writer, when `--trace` is on.
    pub tracer: Option<Box<trace::Tracer>>,
}

impl Hart {
    /// A hart in its reset state (§3.4): M-mode, `pc` = `reset_pc`,
    /// `mstatus.MIE` = 0, `misa` at its maximal value.
    pub fn new(hartid: u64, reset_pc: u64) -> Hart {
        Hart {
            hartid,
            x: [0; 256],
            f: [0; 32],
            pc: reset_pc,
            prv: Priv::M,
            csr: Csrs::default(),
            cycle: 0,
            stalled: 0,
            mip_ext: 0,
            reservation: u64::MAX,
            batch_end: 0,
            wfi: false,
            tlb: TlbModel::new(&presets::rocket()).expect("the rocket preset is valid"),
            acct: Accounting::default(),
            validate_tlb: false,
            tlb_mismatches: 0,
            first_mismatch: None,
            slow_steps: 0,
            idle_cycles: 0,
            timing: None,
            stall_cycles: 0,
            last_walk: ([0; 3], 0),
            last_data_pa: 0,
            div_operands: (0, 0),
            last_fetch_pa: 0,
            fetch_pa_page: 0,
            ad_hw: true,
            data_priv: Priv::M,
            host_tlb: HostTlb::new(),
            fetch_vpn: u64::MAX,
            fetch_base: FetchBase(std::ptr::null()),
            fetch_page: 0,
            fetch_cache: Box::new([[FetchEntry::EMPTY; FETCH_CACHE]; 4]),
            fetch_gen: 0,
            bound_bus: (0, 0, 0),
            traps_in_a_row: 0,
            last_trap_instret: u64::MAX,
            stop: None,
            tracer: None,
        }
    }

    /// Run up to `budget` instructions (fewer if an instruction ends the
    /// batch: CSR writes, MMIO, WFI, xRET, fences). Returns the number of
    /// instructions attempted.
    pub fn run(&mut self, bus: &mut Bus, budget: u64) -> u64 {
        self.bind(bus);
        let start = self.cycle;
        if self.timing.is_some() {
            // `budget` counts cycles here: the batch ends at a time.
            self.batch_end = self.now() + budget;
            self.run_timed(bus);
            return self.cycle - start;
        }
        self.batch_end = start + budget;
        if self.tracer.is_some() {
            self.run_loop::<true>(bus);
        } else {
            self.run_loop::<false>(bus);
        }
        self.cycle - start
    }

    /// Make sure cached page indices and DRAM offsets belong to `bus`:
    /// the fast paths index without bounds checks on that basis.
    fn bind(&mut self, bus: &Bus) {
        let id = (bus.code.id(), bus.dram.as_ptr() as usize, bus.dram.len());
        if self.bound_bus != id {
            self.flush_host_tlb();
            self.bound_bus = id;
        }
    }

    /// The current time in modelled cycles: one per instruction (and WFI
    /// sleep) plus what the timing model charged on top.
    #[inline]
    pub fn now(&self) -> u64 {
        self.cycle + self.stall_cycles
    }

    /// The interpreter loop with the timing model: every instruction takes
    /// the full path and is charged by the model.
    #[inline(never)]
    fn run_timed(&mut self, bus: &mut Bus) {
        while self.now() < self.batch_end {
            let pc = self.pc;
            if pc >> 12 != self.fetch_vpn {
                self.fetch_switch(bus);
            }
            if pc >> 12 == self.fetch_vpn
                && self.run_block_timed(bus, self.fetch_base.0, self.fetch_page)
            {
                continue;
            }
            let cached = if pc >> 12 == self.fetch_vpn {
                // SAFETY: as in `run_loop`.
                unsafe { (*self.fetch_base.0).slots[((pc >> 1) as usize) % 2048] }
            } else {
                Insn::UNDECODED
            };
            let slow = cached.op == Op::Undecoded;
            let insn = if !slow {
                cached
            } else {
                match self.fetch_slow(bus) {
                    Ok(i) => i,
                    Err(t) => {
                        self.cycle += 1;
                        self.slow_steps += 1;
                        self.stalled += 1;
                        self.exception(t);
                        continue;
                    }
                }
            };
            // The fetch's physical address: from the fast path's page, or
            // what the slow fetch translated.
            let fetch_pa = if slow {
                self.last_fetch_pa
            } else {
                self.fetch_pa_page | (pc & 0xfff)
            };
            let before = (
                self.tlb.stats.walks.total,
                self.tlb.stats.tlb.l2tlb.total.hits,
                self.tlb.stats.tlb.itlb.total.misses,
            );
            let mem = crate::timing::mem_shape(insn.op);
            let result = self.execute_cold(bus, insn);
            self.cycle += 1;
            // Fetches from the cached page are counted by the fetch run,
            // as in the functional loop.
            self.slow_steps += slow as u64;
            let mut e = crate::timing::InsnEvent::new(&insn, pc);
            e.fetch_pa = fetch_pa;
            e.next_pc = self.pc;
            if matches!(
                insn.op,
                Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu
            ) {
                e.taken = Some(self.pc != pc.wrapping_add(insn.len as u64));
            }
            if matches!(
                e.class,
                crate::timing::InsnClass::Div | crate::timing::InsnClass::DivW
            ) {
                e.div_operands = Some(self.div_operands);
            }
            if let (Some((size, store)), true) = (mem, result.is_ok()) {
                e.mem = Some(crate::timing::MemAccess {
                    pa: self.last_data_pa,
                    size,
                    store,
                });
            }
            let walked = self.tlb.stats.walks.total != before.0;
            e.tlb = if walked {
                let (addrs, count) = self.last_walk;
                crate::timing::TlbOutcome::Walk {
                    pte_reads: addrs,
                    count,
                }
            } else if self.tlb.stats.tlb.l2tlb.total.hits != before.1 {
                crate::timing::TlbOutcome::L2Hit
            } else {
                crate::timing::TlbOutcome::None
            };
            let mut cost = self.timing.as_mut().map_or(1, |m| m.retire(&e));
            if walked && mem.is_some() && self.tlb.stats.tlb.itlb.total.misses != before.2 {
                // Both the fetch and the data access missed; the event
                // carried the data side's, charge the fetch's walk too.
                let out = crate::timing::TlbOutcome::Walk {
                    pte_reads: [0; 3],
                    count: 0,
                };
                cost += self.timing.as_mut().map_or(0, |m| m.charge_tlb(&out));
            }
            self.stall_cycles += cost.saturating_sub(1);
            if let Err(t) = result {
                self.stalled += 1;
                self.exception(t);
            }
        }
    }

    /// Instructions retired so far (free-running; `minstret` adds an offset).
    #[inline]
    pub fn instret(&self) -> u64 {
        self.cycle - self.stalled
    }

    /// Return to the machine loop after the current instruction.
    #[inline]
    pub(crate) fn end_batch(&mut self) {
        self.batch_end = 0;
    }

    /// Advance time by `cycles` without retiring instructions (WFI sleep).
    pub fn idle(&mut self, cycles: u64) {
        self.cycle += cycles;
        self.stalled += cycles;
        self.idle_cycles += cycles;
    }

    fn run_loop<const TRACE: bool>(&mut self, bus: &mut Bus) {
        while self.cycle < self.batch_end {
            // Fast path: the decoded instruction is in the page the fetch
            // cache points at. Anything else goes through the cold path,
            // kept out of line so the hot loop stays small.
            let pc = self.pc;
            let insn = if pc >> 12 == self.fetch_vpn {
                if !TRACE
                    && self.cycle + crate::bus::MAX_BLOCK as u64 <= self.batch_end
                    && self.run_block(bus, self.fetch_base.0, self.fetch_page)
                {
                    continue;
                }
                // SAFETY: `fetch_base` points at a page of this bus's code
                // cache (set in `fetch_slow`; `bind` forgets it when the hart
                // meets another cache), which lives as long as the cache; the
                // slot index is below the page's 2048 slots.
                unsafe { (*self.fetch_base.0).slots[((pc >> 1) as usize) % 2048] }
            } else if !TRACE && self.fetch_switch(bus) {
                continue;
            } else {
                Insn::UNDECODED
            };
            if TRACE {
                self.step_slow::<TRACE>(bus, insn);
                continue;
            }
            // An undecoded slot (or another page) dispatches to the
            // `Undecoded` arm, which asks for the slow path without effects.
            match self.execute::<false, false>(bus, &insn, pc) {
                Ok(()) => {
                    self.cycle += 1;
                }
                Err(t) if t.cause == trap::NEEDS_SLOW_FETCH => {
                    self.step_slow::<TRACE>(bus, Insn::UNDECODED)
                }
                Err(t) => {
                    self.cycle += 1;
                    self.stalled += 1;
                    self.exception(t)
                }
            }
        }
    }

    /// One instruction through the full fetch path (decode-cache miss, page
    /// change, tracing).
    #[inline(never)]
    fn step_slow<const TRACE: bool>(&mut self, bus: &mut Bus, cached: Insn) {
        let pc = self.pc;
        let prv = self.prv;
        let fetched = if cached.op != Op::Undecoded {
            Ok(cached)
        } else {
            self.fetch_slow(bus)
        };
        let result = match fetched {
            Ok(insn) => {
                let r = self.execute_cold(bus, insn);
                if TRACE && r.is_ok() {
                    self.trace_commit(prv, pc, &insn);
                }
                r
            }
            Err(t) => Err(t),
        };
        self.cycle += 1;
        self.slow_steps += 1;
        if let Err(t) = result {
            self.stalled += 1;
            if TRACE {
                self.trace_discard();
            }
            self.exception(t)
        }
    }

    fn trace_commit(&mut self, prv: Priv, pc: u64, insn: &Insn) {
        let (x, f) = (self.x, self.f);
        if let Some(t) = self.tracer.as_mut() {
            t.commit(prv, pc, insn, &x[..32], &f);
        }
    }

    fn trace_discard(&mut self) {
        if let Some(t) = self.tracer.as_mut() {
            t.discard();
        }
    }

    #[inline(never)]
    fn fetch_slow(&mut self, bus: &mut Bus) -> Result<Insn, Trap> {
        let pc = self.pc;
        let t = self.translate_fetch(bus, pc, 2)?;
        let pa = t.pa;
        self.last_fetch_pa = pa;
        let lo = bus
            .read_dram_u16(pa)
            .ok_or(Trap::new(cause::INSTRUCTION_ACCESS_FAULT, pc))? as u32;
        if lo & 3 == 3 {
            if pc & 0xfff == 0xffe {
                // A 32-bit instruction straddling two pages: decoded every
                // time, never cached (its halves may be remapped apart).
                let pa2 = self.translate_fetch(bus, pc + 2, 2)?.pa;
                let hi = bus
                    .read_dram_u16(pa2)
                    .ok_or(Trap::new(cause::INSTRUCTION_ACCESS_FAULT, pc + 2))?
                    as u32;
                self.reset_fetch();
                return Ok(decode::decode(lo | (hi << 16)));
            }
            if !self.pmp_ok(pa + 2, 2, crate::mmu::pmp::AccessType::Fetch, self.prv) {
                return Err(Trap::new(cause::INSTRUCTION_ACCESS_FAULT, pc));
            }
        }
        let raw = if lo & 3 == 3 {
            lo | (bus.read_dram_u16(pa + 2).unwrap_or(0) as u32) << 16
        } else {
            lo
        };
        let insn = decode::decode(raw);
        let off = (pa - crate::bus::DRAM_BASE) as usize;
        let (page, new) = bus.code.page_for(off);
        if new {
            // Write entries for the page must now check for code on stores.
            self.host_tlb.drop_write_page(pa & !0xfff);
        }
        bus.code.set_slot(page, off, insn);
        if self.pmp_ok(
            pa & !0xfff,
            4096,
            crate::mmu::pmp::AccessType::Fetch,
            self.prv,
        ) && self.fetch_page_cacheable()
            && t.slot != NOT_CACHED
        {
            self.start_fetch_run(t.slot);
            self.fetch_vpn = pc >> 12;
            self.fetch_pa_page = pa & !0xfff;
            self.fetch_base = FetchBase(bus.code.page_ptr(page));
            self.fetch_page = page;
            let vpn = pc >> 12;
            self.fetch_cache[self.prv as usize][(vpn as usize) % FETCH_CACHE] = FetchEntry {
                vpn,
                gen: self.fetch_gen,
                slot: t.slot,
                page: page as u32,
                pa_page: pa & !0xfff,
            };
        } else {
            self.reset_fetch();
        }
        Ok(insn)
    }

    /// Point the fetch fast path at the page of `pc` again when the fetch
    /// cache remembers it (an instruction fetch that leaves the current
    /// page). That page's fetch is an L1 hit in the TLB model on the
    /// remembered slot, whose entry is unchanged since (else the cache's
    /// generation moved on): the hit's replacement touch happens now and
    /// the new fetch run counts it, exactly as `fetch_slow` would.
    #[inline(never)]
    fn fetch_switch(&mut self, bus: &Bus) -> bool {
        let vpn = self.pc >> 12;
        let e = self.fetch_cache[self.prv as usize][(vpn as usize) % FETCH_CACHE];
        if e.vpn != vpn || e.gen != self.fetch_gen {
            return false;
        }
        if e.slot < NOT_CACHED {
            self.tlb.touch_l1(crate::mmu::tlb::Side::Fetch, e.slot);
        }
        self.start_fetch_run(e.slot);
        self.fetch_vpn = vpn;
        self.fetch_pa_page = e.pa_page;
        self.fetch_page = e.page as usize;
        self.fetch_base = FetchBase(bus.code.page_ptr(e.page as usize));
        true
    }

    /// Void the fetch cache (see `fetch_gen`).
    pub(crate) fn forget_fetch_pages(&mut self) {
        self.fetch_gen = self.fetch_gen.wrapping_add(1);
        if self.fetch_gen == 0 {
            // After 2^32 generations, old entries could look current again.
            self.fetch_cache
                .iter_mut()
                .for_each(|t| t.fill(FetchEntry::EMPTY));
        }
    }

    /// Forget the fetch fast-path page (after a translation or privilege change).
    #[inline]
    ///
    /// The fetch run's counting goes on until the next run starts: the
    /// instruction that got here may itself have been fetched through the
    /// fast path, and its cycle is added only after it completes.
    pub(crate) fn reset_fetch(&mut self) {
        self.fetch_vpn = u64::MAX;
    }

    /// Whether the current instruction was fetched from the fast path's
    /// page (whose ITLB slot the fetch run holds).
    pub(crate) fn fetch_page_active(&self) -> bool {
        self.fetch_vpn == self.pc >> 12
    }

    /// Recompute the effective data privilege (MPRV/MPP, §3.1.6.3).
    /// A change ends the data-TLB hit run (its mode is the run's).
    pub(crate) fn update_data_priv(&mut self) {
        let s = self.csr.mstatus;
        let data_priv = if self.prv == Priv::M && s & mstatus::MPRV != 0 {
            Priv::from_bits(s >> mstatus::MPP_SHIFT)
        } else {
            self.prv
        };
        if data_priv != self.data_priv {
            self.end_data_run();
            self.data_priv = data_priv;
        }
    }

    /// Change privilege mode.
    pub(crate) fn set_priv(&mut self, prv: Priv) {
        self.prv = prv;
        self.update_data_priv();
        self.reset_fetch();
    }

    /// Take a synchronous exception.
    #[cold]
    #[inline(never)]
    pub fn exception(&mut self, t: Trap) {
        let instret = self.instret();
        if instret == self.last_trap_instret {
            self.traps_in_a_row += 1;
        } else {
            self.traps_in_a_row = 1;
            self.last_trap_instret = instret;
        }
        if self.traps_in_a_row >= TRAP_LOOP_LIMIT {
            self.stop = Some(HartStop::TrapLoop {
                pc: self.pc,
                cause: t.cause,
                tval: t.tval,
            });
            self.end_batch();
            return;
        }
        self.trap(t.cause, t.tval);
    }

    /// Enter the trap handler for `cause` (interrupt bit included) per
    /// §3.1.8 delegation, §3.1.6.1 stacking and §3.1.7 vectoring.
    pub(crate) fn trap(&mut self, cause: u64, tval: u64) {
        let interrupt = cause & irq::INTERRUPT_BIT != 0;
        let code = cause & !irq::INTERRUPT_BIT;
        let deleg = if interrupt {
            self.csr.mideleg
        } else {
            self.csr.medeleg
        };
        let vector = |tvec: u64| {
            if interrupt && tvec & 1 != 0 {
                (tvec & !3).wrapping_add(4 * code)
            } else {
                tvec & !3
            }
        };
        let mut s = self.csr.mstatus;
        if self.prv <= Priv::S && (deleg >> code) & 1 != 0 {
            self.csr.scause = cause;
            self.csr.sepc = self.pc;
            self.csr.stval = tval;
            s = set_bit(s, mstatus::SPIE, s & mstatus::SIE != 0);
            s = set_bit(s, mstatus::SPP, self.prv == Priv::S);
            s &= !mstatus::SIE;
            self.pc = vector(self.csr.stvec);
            self.csr.mstatus = s;
            self.set_priv(Priv::S);
        } else {
            self.csr.mcause = cause;
            self.csr.mepc = self.pc;
            self.csr.mtval = tval;
            s = set_bit(s, mstatus::MPIE, s & mstatus::MIE != 0);
            s = (s & !mstatus::MPP) | ((self.prv as u64) << mstatus::MPP_SHIFT);
            s &= !mstatus::MIE;
            self.pc = vector(self.csr.mtvec);
            self.csr.mstatus = s;
            self.set_priv(Priv::M);
        }
        self.reservation = u64::MAX;
        self.wfi = false;
        if let Some(t) = self.tracer.as_mut() {
            t.trap(cause, tval);
        }
    }

    /// The interrupt to take now, if any (§3.1.9: pending and enabled, M-level
    /// interrupts enabled when below M or MIE is set, S-level ones when below
    /// S or in S with SIE set; fixed priority MEI > MSI > MTI > SEI > SSI > STI).
    pub fn pending_interrupt(&self) -> Option<u64> {
        let pending = self.mip() & self.csr.mie;
        if pending == 0 {
            return None;
        }
        let s = self.csr.mstatus;
        let m_enabled = self.prv < Priv::M || s & mstatus::MIE != 0;
        let s_enabled = self.prv < Priv::S || (self.prv == Priv::S && s & mstatus::SIE != 0);
        let m_pending = if m_enabled {
            pending & !self.csr.mideleg
        } else {
            0
        };
        let s_pending = if s_enabled {
            pending & self.csr.mideleg
        } else {
            0
        };
        for set in [m_pending, s_pending] {
            for i in irq::PRIORITY {
                if set & (1 << i) != 0 {
                    return Some(i);
                }
            }
        }
        None
    }

    /// Take the highest-priority pending, enabled interrupt if there is one.
    /// Returns whether one was taken.
    pub fn take_interrupt(&mut self) -> bool {
        match self.pending_interrupt() {
            Some(i) => {
                self.trap(irq::INTERRUPT_BIT | i, 0);
                true
            }
            None => false,
        }
    }

    /// Whether WFI may complete: some interrupt is pending and enabled in
    /// `mie`, regardless of the global enables (§3.3.3).
    pub fn wfi_wakeup(&self) -> bool {
        self.mip() & self.csr.mie != 0
    }
}

/// Entries per privilege mode in the fetch cache.
const FETCH_CACHE: usize = 64;

/// A page the fetch fast path pointed at: its virtual page number, the
/// TLB-model slot that translated it (or `UNTRANSLATED`), its code-cache
/// page and physical address, and the generation it belongs to.
#[derive(Clone, Copy)]
struct FetchEntry {
    vpn: u64,
    gen: u32,
    slot: u32,
    page: u32,
    pa_page: u64,
}

impl FetchEntry {
    const EMPTY: FetchEntry = FetchEntry {
        vpn: u64::MAX,
        gen: 0,
        slot: 0,
        page: 0,
        pa_page: 0,
    };
}

/// Pointer to a decode-cache page (see `Hart::fetch_base`).
struct FetchBase(*const crate::bus::CodePage);

// SAFETY: the pointer is only dereferenced while the hart runs against the
// bus whose code cache owns the page (`Hart::bind`); the page allocation is
// not tied to any thread.
unsafe impl Send for FetchBase {}

#[inline]
fn set_bit(v: u64, bit: u64, on: bool) -> u64 {
    if on {
        v | bit
    } else {
        v & !bit
    }
}
