//! Block execution: the interpreter's fast path.
//!
//! A block is a run of decoded instructions in address order within one
//! physical page, stored densely in the page's [`CodePage::blocks`]: up to
//! [`MAX_BLOCK`] instructions, ending with the first jump (included) or
//! with an `Undecoded` end marker before an instruction that
//! cannot run in a block (system instructions, CSR accesses, AMOs, fences
//! of the instruction stream, illegal encodings, a 32-bit instruction
//! straddling the page end) or at the page end. In a block, `Insn::raw`
//! holds the instruction's byte offset from the block's start and the
//! number of loads and stores before it ([`Insn::block_offset`],
//! [`Insn::mems_before`]), so the executor keeps `pc` in a register and
//! counts instructions and data accesses by position: no per-instruction
//! fetch check, `pc` update or instruction count, and no per-access count
//! of TLB-model hits (see [`crate::mmu::translate`]).
//! Conditional branches sit inside blocks: taken, they leave it (the
//! block's instructions after them do not run); not taken, the block goes
//! on, as the hardware's fall-through does.
//!
//! A block only runs whole-or-prefix: a load or store that would leave the
//! host translation cache's fast path (a TLB-model miss, MMIO, a page
//! crossing, a store into a line holding code) stops the block *before* that
//! instruction, which then runs through the per-instruction path; so the
//! TLB model sees exactly the accesses, in the same order, as without
//! blocks. Blocks are built lazily the first time execution reaches a
//! slot and dropped with the page's decoded slots when code is written, so
//! a store is seen by every later fetch even without `FENCE.I` (which the
//! Unprivileged ISA, chapter 3 "Zifencei", permits: an implementation may
//! keep instruction fetch coherent with stores).

use super::decode::{self, Insn, Op};
use super::trap::{cause, Trap, BLOCK_END, NEEDS_SLOW_FETCH};
use super::Hart;
use crate::bus::{Bus, CodePage, ENTRY_NONE, ENTRY_UNBUILT, MAX_BLOCK, SLOTS};
use crate::timing::{Charged, CoreModel, Parts, StaticEvent, TlbOutcome};

/// The state of [`Hart::run_block_timed`] across blocks.
struct TimedRun {
    /// The issue cycle of the next instruction.
    t: u64,
    /// The batch end on the model's cycle scale.
    limit: u64,
    /// The page's static events, each with its instruction.
    statics: *const StaticEvent,
    /// Physical address of the fetch page.
    fetch_page: u64,
    /// The current block's pc.
    base: u64,
    /// The current block's index in `statics` (the same as in `blocks`).
    start: usize,
}

/// What an operation does to a block.
#[derive(PartialEq, Eq)]
enum Role {
    /// Runs in the middle of a block.
    Body,
    /// Ends the block, included (jumps).
    Last,
    /// Cannot run in a block: the block ends before it.
    Outside,
}

fn role(op: Op) -> Role {
    match op {
        Op::Jal | Op::Jalr => Role::Last,
        Op::Undecoded
        | Op::Illegal
        | Op::FenceI
        | Op::Ecall
        | Op::Ebreak
        | Op::Csrrw
        | Op::Csrrs
        | Op::Csrrc
        | Op::Csrrwi
        | Op::Csrrsi
        | Op::Csrrci
        | Op::Mret
        | Op::Sret
        | Op::Wfi
        | Op::SfenceVma => Role::Outside,
        op if op.is_atomic() => Role::Outside,
        _ => Role::Body,
    }
}

/// The instruction at byte offset `off` of DRAM page `pg_off` (a DRAM
/// offset), from the page's decoded slot or decoded now (and stored in
/// the slot, so that stores to it invalidate the page's blocks). `None`
/// for a 32-bit instruction straddling the page end.
fn insn_at(bus: &mut Bus, page: usize, pg_off: usize, off: usize) -> Option<Insn> {
    let cached = bus.code.page_mut(page).slots[(off >> 1) % SLOTS];
    if cached.op != Op::Undecoded {
        return Some(cached);
    }
    let at = pg_off + off;
    let parcel = |o: usize| u16::from_le_bytes([bus.dram[o], bus.dram[o + 1]]) as u32;
    let lo = parcel(at);
    let raw = if lo & 3 != 3 {
        lo
    } else if off + 4 > 4096 {
        return None;
    } else {
        lo | parcel(at + 2) << 16
    };
    let insn = decode::decode(raw);
    bus.code.set_slot(page, at, insn);
    Some(insn)
}

/// Build the block starting at byte offset `start` of the DRAM page at
/// DRAM offset `pg_off` (cache page `page`) and return its entry value
/// ([`ENTRY_NONE`] when the first instruction cannot run in a block).
/// The timing model, when there is one, completes the block's static
/// events ([`CoreModel::annotate_block`]).
fn build(
    bus: &mut Bus,
    page: usize,
    pg_off: usize,
    start: usize,
    model: Option<&CoreModel>,
) -> u16 {
    {
        let p = bus.code.page_mut(page);
        if p.blocks.len() + MAX_BLOCK + 1 > crate::bus::BLOCK_CAPACITY {
            // Full: start the page's block store afresh.
            p.entry.fill(ENTRY_UNBUILT);
            p.blocks.clear();
            p.statics.clear();
        }
    }
    let mut body: [Insn; MAX_BLOCK + 1] = [Insn::UNDECODED; MAX_BLOCK + 1];
    let end_static = StaticEvent::of(&Insn::UNDECODED);
    let mut statics = [end_static; MAX_BLOCK + 1];
    let mut offsets = [0u16; MAX_BLOCK + 1];
    let mut n = 0;
    let mut off = start;
    // Loads and stores so far (`Insn::mems_before`).
    let mut mems = 0u32;
    loop {
        let mut insn = match (n < MAX_BLOCK && off < 4096)
            .then(|| insn_at(bus, page, pg_off, off))
            .flatten()
        {
            Some(i) if role(i.op) != Role::Outside => i,
            _ => {
                if n == 0 {
                    return set_entry(bus, page, start, ENTRY_NONE);
                }
                // The end marker: the block continues at `off`, outside.
                let mut end = Insn::UNDECODED;
                end.raw = (off - start) as u32 | mems << 16;
                body[n] = end;
                statics[n] = end_static;
                statics[n].insn = end;
                offsets[n] = off.min(4095) as u16;
                n += 1;
                break;
            }
        };
        let last = role(insn.op) == Role::Last;
        let len = insn.len as usize;
        statics[n] = StaticEvent::of(&insn);
        offsets[n] = off as u16;
        insn.raw = (off - start) as u32 | mems << 16;
        // Loads and stores are the `MEM` events (atomics do not run in
        // blocks).
        mems += (statics[n].flags & StaticEvent::MEM != 0) as u32;
        body[n] = insn;
        statics[n].insn = insn;
        n += 1;
        off += len;
        if last {
            break;
        }
    }
    if let Some(m) = model {
        m.annotate_block(&mut statics[..n], &offsets[..n]);
    }
    let p = bus.code.page_mut(page);
    let at = p.blocks.len();
    p.blocks.extend_from_slice(&body[..n]);
    p.statics.extend_from_slice(&statics[..n]);
    set_entry(bus, page, start, at as u16 + 2)
}

fn set_entry(bus: &mut Bus, page: usize, start: usize, e: u16) -> u16 {
    bus.code.page_mut(page).entry[(start >> 1) % SLOTS] = e;
    e
}

/// The entry value at `next`, a jump's target, when it lies in the same
/// page as `base`; [`ENTRY_UNBUILT`] otherwise. A value above
/// [`ENTRY_NONE`] is a built block to chain to.
///
/// # Safety
/// `page` points at a live page of this bus's code cache, with no
/// reference into the cache held.
#[inline(always)]
unsafe fn chain_entry(page: *const CodePage, base: u64, next: u64) -> u16 {
    if next >> 12 != base >> 12 {
        return ENTRY_UNBUILT;
    }
    // SAFETY: by the caller's guarantee.
    unsafe { (*page).entry[((next >> 1) as usize) % SLOTS] }
}

/// A trap from the block instruction at `pc`. Only floating-point
/// instructions trap in a block (illegal: FS off, reserved rounding mode);
/// their `mtval` is the instruction bits, which the block copy does not
/// hold: they come from the page's slot.
///
/// # Safety
/// As for [`chain_entry`].
#[inline(always)]
unsafe fn block_trap(page: *const CodePage, pc: u64, mut t: Trap) -> Trap {
    if t.cause == cause::ILLEGAL_INSTRUCTION {
        // SAFETY: by the caller's guarantee.
        t.tval = unsafe { (*page).slots[((pc >> 1) as usize) % SLOTS].raw } as u64;
    }
    t
}

impl Hart {
    /// The entry value of the block at `self.pc` in `page` (cache page
    /// `page_idx`, the page the fetch fast path points at), built now if
    /// it was not yet.
    #[inline(always)]
    fn block_entry(&mut self, bus: &mut Bus, page: *const CodePage, page_idx: usize) -> u16 {
        let slot = ((self.pc >> 1) as usize) % SLOTS;
        // SAFETY: `page` points at a live page of this bus's code cache
        // (`Hart::bind`), and no reference into the cache is held here.
        let entry = unsafe { (*page).entry[slot] };
        if entry != ENTRY_UNBUILT {
            return entry;
        }
        let pg_off = (self.fetch_pa_page - crate::bus::DRAM_BASE) as usize;
        let start = (self.pc & 0xfff) as usize;
        build(bus, page_idx, pg_off, start, self.timing.as_deref())
    }

    /// [`Hart::run_block`] with the timing model charging every
    /// instruction exactly as the per-instruction loop (`Hart::run_timed`)
    /// does: the same events through the same parts of
    /// [`crate::timing::CoreModel`], in the same order, and an instruction
    /// starts only while `now()` is below the batch end. The issue cycle
    /// is kept in a local and the per-instruction counters are added when
    /// the run ends.
    #[inline(always)]
    pub(super) fn run_block_timed(
        &mut self,
        bus: &mut Bus,
        page: *const CodePage,
        page_idx: usize,
    ) -> bool {
        let entry = self.block_entry(bus, page, page_idx);
        if entry == ENTRY_NONE {
            return false;
        }
        // Nothing a block instruction does reaches the timing model (no
        // CSR accesses run in blocks), so it is taken out while they run.
        let Some(mut model) = self.timing.take() else {
            return false;
        };
        // `now() - cycles` stays constant while blocks run: each
        // instruction adds one to `cycle` and its cost minus one to
        // `stall_cycles`, and its cost to the model's cycles.
        let t0 = model.stats.cycles;
        let limit = self.batch_end.saturating_sub(self.now() - t0);
        let mut run = TimedRun {
            t: t0,
            limit,
            // SAFETY: as in `run_block`; `statics` runs parallel to `blocks`
            // and holds copies of its instructions.
            statics: unsafe { (*page).statics.as_ptr() },
            fetch_page: self.fetch_pa_page,
            base: self.pc,
            start: entry as usize - 2,
        };
        let mut n = 0u64;
        let mut mems = 0;
        let trap = loop {
            // SAFETY: `start` is a stored block's first instruction.
            let first = unsafe { &*run.statics.add(run.start) };
            // A block whose worst case ends before the batch does cannot
            // meet the batch end: no check per instruction.
            let (k, e) = if run.t.saturating_add(first.bound as u64) < run.limit {
                if first.scheduled {
                    // The first fetch delays the whole block.
                    run.t += model.block_fetch(run.fetch_page | (run.base & 0xfff));
                }
                if first.scheduled && model.schedule_from(first, run.t) {
                    self.scheduled_block(bus, &mut model, &mut run)
                } else {
                    self.timed_block::<false>(bus, &mut model, &mut run, 0)
                }
            } else {
                self.timed_block::<true>(bus, &mut model, &mut run, 0)
            };
            n += k as u64;
            // SAFETY: as above; `k` is a position in the block.
            let st = unsafe { &*run.statics.add(run.start + k) };
            // The instruction at `k` made no data access (it did not run,
            // or it is a jump or taken branch).
            mems += st.insn.mems_before();
            let pc = run.base.wrapping_add(st.insn.block_offset());
            let Some(e) = e else {
                // The batch ended before `pc`.
                self.pc = pc;
                break None;
            };
            if e.cause == NEEDS_SLOW_FETCH {
                // Runs outside the block, charged there.
                self.pc = pc;
                break None;
            }
            n += 1;
            let fetch_pa = || run.fetch_page | (pc & 0xfff);
            if e.cause == BLOCK_END {
                // A jump or a taken branch to `tval`.
                let next_pc = e.tval;
                self.pc = next_pc;
                run.t = model.charge_static_jump(st, fetch_pa, pc, next_pc, run.t);
                // Chain within the page, as `run_block` does.
                // SAFETY: as above.
                let e = unsafe { chain_entry(page, run.base, next_pc) };
                if e <= ENTRY_NONE {
                    break None;
                }
                run.base = next_pc;
                run.start = e as usize - 2;
                continue;
            }
            // A trap (no data access made).
            let part = Charged {
                class: st.class,
                regs: st.regs(),
                pc,
                fetch_pa: fetch_pa(),
                next_pc: pc,
                taken: false,
                has_mem: false,
                mem_pa: 0,
                div_known: true,
                div_operands: self.div_operands,
            };
            run.t = model.charge_parts(&part, &TlbOutcome::None, run.t);
            self.pc = pc;
            // SAFETY: as above.
            break Some(unsafe { block_trap(page, pc, e) });
        };
        let t = run.t;
        model.block_retired(n, t);
        self.timing = Some(model);
        self.cycle += n;
        self.stall_cycles += (t - t0) - n;
        self.add_block_data_hits(mems);
        if let Some(t) = trap {
            self.stalled += 1;
            self.exception(t);
        }
        n != 0
    }

    /// Run the block at `run.start` from its first instruction, as
    /// `timed_block` does, for a `scheduled` block that may start on its
    /// schedule ([`CoreModel::schedule_from`]) and cannot meet the batch
    /// end: only the parts of each instruction that depend on the run are
    /// charged as it goes ([`CoreModel::block_parts`]), the rest from the
    /// schedule when the block is left. A part that costs cycles delays
    /// the rest of the schedule when nothing in flight could overlap it
    /// ([`CoreModel::schedule_delay`]); otherwise, and at a divide, the
    /// schedule charges the instructions before it, and `timed_block` the
    /// rest.
    #[inline(always)]
    fn scheduled_block(
        &mut self,
        bus: &mut Bus,
        model: &mut CoreModel,
        run: &mut TimedRun,
    ) -> (usize, Option<Trap>) {
        // The cycle the schedule counts from: the block's first issue,
        // plus any delays.
        let mut start = run.t;
        let (base, fetch_page) = (run.base, run.fetch_page);
        // SAFETY: `run.start` is a stored block's first instruction.
        let first = unsafe { run.statics.add(run.start) };
        // SAFETY (all): positions stay within the stored block (see
        // `timed_block`).
        let block = |k: usize| unsafe { std::slice::from_raw_parts(first, k + 1) };
        let mut p = first;
        let e = loop {
            // SAFETY: as above.
            let st = unsafe { &*p };
            match self.execute::<true, true>(bus, &st.insn, base) {
                Ok(()) => {
                    if st.flags & StaticEvent::DYNAMIC != 0 {
                        let pc = || base.wrapping_add(st.insn.block_offset());
                        let fetch_pa = || fetch_page | (pc() & 0xfff);
                        let parts = model.block_parts(st, fetch_pa, || self.last_data_pa, pc);
                        if parts != Parts::Free {
                            // SAFETY: as above.
                            let k = unsafe { p.offset_from(first) } as usize;
                            if parts == Parts::Costly {
                                if let Some(d) = model.schedule_delay(block(k + 1), k) {
                                    start += d;
                                    // SAFETY: as above.
                                    p = unsafe { p.add(1) };
                                    continue;
                                }
                            }
                            let t = model.charge_scheduled(block(k), k, start);
                            run.t = if parts == Parts::Costly {
                                model.charge_with_costs(st, t)
                            } else {
                                // A divide: the schedule stops here.
                                model.charge_static(
                                    st,
                                    fetch_pa,
                                    || self.last_data_pa,
                                    pc,
                                    || self.div_operands,
                                    t,
                                )
                            };
                            return self.timed_block::<false>(bus, model, run, k + 1);
                        }
                    }
                    // SAFETY: as above.
                    p = unsafe { p.add(1) };
                }
                Err(e) => break e,
            }
        };
        // SAFETY: as above.
        let k = unsafe { p.offset_from(first) } as usize;
        run.t = model.charge_scheduled(block(k), k, start);
        (k, Some(e))
    }

    /// Run the block at `run.start` from its first instruction, charging
    /// each instruction that completes and goes on in the block, up to the
    /// one that leaves it (a jump, a taken branch, a trap, an instruction
    /// that must run outside) or, with `CHECK`, up to the batch end.
    /// Returns the position reached and what stopped there (`None`: the
    /// batch end); that instruction is not charged.
    #[inline(always)]
    fn timed_block<const CHECK: bool>(
        &mut self,
        bus: &mut Bus,
        model: &mut CoreModel,
        run: &mut TimedRun,
        from: usize,
    ) -> (usize, Option<Trap>) {
        let mut t = run.t;
        let mut k = from;
        let e = loop {
            // SAFETY: positions stay within the stored block (see
            // `run_block`).
            let st = unsafe { &*run.statics.add(run.start + k) };
            let i = &st.insn;
            if CHECK && t >= run.limit {
                break None;
            }
            match self.execute::<true, true>(bus, i, run.base) {
                Ok(()) => {
                    let pc = || run.base.wrapping_add(i.block_offset());
                    t = model.charge_static(
                        st,
                        || run.fetch_page | (pc() & 0xfff),
                        || self.last_data_pa,
                        pc,
                        || self.div_operands,
                        t,
                    );
                    k += 1;
                }
                Err(e) => break Some(e),
            }
        };
        run.t = t;
        (k, e)
    }

    /// Run the block at `self.pc`, which lies in the page the fetch fast
    /// path points at (`page`, cache page `page_idx`), and the blocks it
    /// leads to in the same page while the batch has room for
    /// [`MAX_BLOCK`] more instructions (it has at the call). Returns false
    /// when the instruction at `pc` cannot run in a block now (the caller
    /// runs it alone).
    #[inline(always)]
    pub(super) fn run_block(
        &mut self,
        bus: &mut Bus,
        page: *const CodePage,
        page_idx: usize,
    ) -> bool {
        let mut base = self.pc;
        let entry = self.block_entry(bus, page, page_idx);
        if entry == ENTRY_NONE {
            return false;
        }
        // SAFETY: as above; the page's block store is not modified while
        // blocks run (nothing in a block writes code or builds blocks), and
        // every block ends with a jump or an end marker, so the
        // walk stays within the stored block.
        let blocks = unsafe { (*page).blocks.as_ptr() };
        // SAFETY: `entry` - 2 indexes a stored block.
        let mut start = unsafe { blocks.add(entry as usize - 2) };
        let mut p = start;
        let mut chained = false;
        // Loads and stores of the blocks left so far.
        let mut mems = 0;
        // `self.cycle`, kept here while blocks run (nothing in a block
        // reads it).
        let mut cycle = self.cycle;
        loop {
            // SAFETY: see above.
            let i = unsafe { &*p };
            let Err(t) = self.execute::<true, false>(bus, i, base) else {
                // SAFETY: see above.
                p = unsafe { p.add(1) };
                continue;
            };
            let pc = base.wrapping_add(i.block_offset());
            // SAFETY: `p` and `start` point into the same block.
            let n = unsafe { p.offset_from(start) } as u64;
            // The instruction at `p` made no data access (a jump, a taken
            // branch, or one that did not run).
            mems += i.mems_before();
            if t.cause == BLOCK_END {
                // A jump or a taken branch to `tval`.
                let next = t.tval;
                cycle += n + 1;
                // Chain to the next block when it is built, in this page,
                // and the batch has room.
                // SAFETY: as above.
                let e = unsafe { chain_entry(page, base, next) };
                if e > ENTRY_NONE && cycle + MAX_BLOCK as u64 <= self.batch_end {
                    base = next;
                    chained = true;
                    // SAFETY: as above.
                    start = unsafe { blocks.add(e as usize - 2) };
                    p = start;
                    continue;
                }
                self.pc = next;
                self.cycle = cycle;
                self.add_block_data_hits(mems);
                return true;
            }
            self.pc = pc;
            self.add_block_data_hits(mems);
            if t.cause == NEEDS_SLOW_FETCH {
                self.cycle = cycle + n;
                // When it is the first block's first instruction, it must
                // run alone; after a chain, the caller looks again.
                return n != 0 || chained;
            }
            // SAFETY: as above.
            let t = unsafe { block_trap(page, pc, t) };
            self.cycle = cycle + n + 1;
            self.stalled += 1;
            self.exception(t);
            return true;
        }
    }
}
