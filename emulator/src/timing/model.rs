//! The in-order core: [`CoreModel::retire`] charges one instruction.

use super::cache::Cache;
use super::class::{
    reg_bits, scoreboard_entry, Cause, InsnClass, InsnEvent, StaticEvent, TlbOutcome, CAUSE,
};
use super::config::TimingConfig;
use super::predictor::Predictor;

/// The longest block [`CoreModel::annotate_block`] schedules (the longest
/// block and its end marker: bits of a `u64` position mask).
const MAX_SCHEDULE: usize = 64;
use super::stats::TimingStats;

/// The parts of an instruction [`CoreModel::charge_parts`] uses (an
/// [`InsnEvent`] without its TLB outcome; `regs` is rd, rs1, rs2, rs3).
#[derive(Clone, Copy, Debug)]
pub struct Charged {
    pub class: InsnClass,
    pub regs: [u8; 4],
    pub pc: u64,
    pub fetch_pa: u64,
    pub next_pc: u64,
    /// A conditional branch's outcome.
    pub taken: bool,
    /// Whether there is a data access, at `mem_pa`.
    pub has_mem: bool,
    pub mem_pa: u64,
    /// Whether a divide's operands are known: `div_operands` (else the
    /// worst case is charged).
    pub div_known: bool,
    pub div_operands: (u64, u64),
}

/// The memory classes, charged in line by `charge_parts`.
const MEMORY: u32 = 1 << InsnClass::Load as u32
    | 1 << InsnClass::Store as u32
    | 1 << InsnClass::Amo as u32
    | 1 << InsnClass::FpLoad as u32
    | 1 << InsnClass::FpStore as u32;
/// The classes of the multiply/divide unit, charged by `muldiv`.
const MULDIV: u32 =
    1 << InsnClass::Mul as u32 | 1 << InsnClass::Div as u32 | 1 << InsnClass::DivW as u32;
/// Classes handled by `control`.
const CONTROL: u32 =
    1 << InsnClass::Branch as u32 | 1 << InsnClass::Jal as u32 | 1 << InsnClass::Jalr as u32;

/// What [`CoreModel::block_parts`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parts {
    /// They cost nothing: the block stays on its schedule.
    Free,
    /// They cost cycles: kept for [`CoreModel::charge_with_costs`].
    Costly,
    /// A divide: the schedule stops before it (nothing charged).
    Divide,
}

/// The timing model of one hart. See the [module docs](super).
#[derive(Clone, Debug)]
pub struct CoreModel {
    issue: [u32; InsnClass::COUNT],
    latency: [u32; InsnClass::COUNT],
    /// The scoreboard, per register (see [`super::F0`]): `cycle << 2 |
    /// cause`, the cycle its value is ready and the [`Cause`] of its
    /// producer. Entry 0 (x0 / none) stays 0; entry
    /// [`super::class::SINK`] takes the writes of instructions without a
    /// destination. 256 entries, so that a `u8` index needs no bounds
    /// check.
    ready: [u64; 256],
    /// Bit `r` (r < 64) is set whenever register `r` may not be ready at
    /// the issue cycle, and only then is `ready[r]` meaningful: a write
    /// whose latency exceeds its issue cycles records its entry and sets
    /// the bit; a shorter one (ready by the next instruction) only clears
    /// it, as does a wait for the register as a source. Sources without
    /// a bit are ready, and the scoreboard is not read.
    pending: u64,
    /// The mul/div unit is busy until this cycle.
    muldiv_free: u64,
    /// The costs of the last [`CoreModel::block_parts`] that cost cycles:
    /// fetch, data access, branch.
    costs: [u64; 3],
    last_fetch_line: u64,
    l1i_shift: u32,
    l1i: Cache,
    l1d: Cache,
    l2: Option<Cache>,
    predictor: Predictor,
    cfg: TimingConfig,
    /// The counters; `stats.cycles` is also the cycle at which the next
    /// instruction may issue.
    pub stats: TimingStats,
}

impl CoreModel {
    /// A cold model (empty caches, untrained predictor) of a validated
    /// configuration.
    pub fn new(cfg: &TimingConfig) -> CoreModel {
        CoreModel {
            issue: cfg.issue,
            latency: cfg.latency,
            ready: [0; 256],
            pending: 0,
            muldiv_free: 0,
            costs: [0; 3],
            last_fetch_line: u64::MAX,
            l1i_shift: cfg.l1i.line.max(1).trailing_zeros(),
            l1i: Cache::new(&cfg.l1i),
            l1d: Cache::new(&cfg.l1d),
            l2: cfg.l2_present().then(|| Cache::new(&cfg.l2)),
            predictor: Predictor::new(&cfg.branch),
            cfg: cfg.clone(),
            stats: TimingStats::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &TimingConfig {
        &self.cfg
    }

    /// Modelled cycles so far (`mcycle`).
    #[inline]
    pub fn cycles(&self) -> u64 {
        self.stats.cycles
    }

    /// `mtime` ticks at `timebase_hz` for the cycles so far:
    /// `cycles * timebase_hz / clock_hz`, rounded down.
    pub fn mtime(&self, timebase_hz: u64) -> u64 {
        (self.stats.cycles as u128 * timebase_hz as u128 / self.cfg.clock_hz.max(1) as u128) as u64
    }

    /// Cost of an L1 miss (or a PTE read that bypasses the L1D) for
    /// physical address `pa`: the L2 if present, then memory.
    #[inline]
    fn below_l1(&mut self, pa: u64) -> u64 {
        match &mut self.l2 {
            Some(l2) => {
                self.stats.cache.l2.accesses += 1;
                if l2.access(pa) {
                    self.cfg.l2.hit_latency as u64
                } else {
                    self.stats.cache.l2.misses += 1;
                    (self.cfg.l2.hit_latency + self.cfg.memory_latency) as u64
                }
            }
            None => self.cfg.memory_latency as u64,
        }
    }

    /// An L1D miss at `pa` (already counted as an access): its cost.
    #[inline]
    fn data_miss(&mut self, pa: u64) -> u64 {
        self.stats.cache.l1d.misses += 1;
        self.below_l1(pa)
    }

    /// An instruction's data access at `pa` when it may issue at `t`: the
    /// cycle it issues after an L1D miss (counted as a D-cache stall).
    #[inline(always)]
    fn data_access_stall(&mut self, pa: u64, t: u64) -> u64 {
        self.stats.cache.l1d.accesses += 1;
        if self.l1d.access(pa) {
            t
        } else {
            self.data_miss_stall(pa, t)
        }
    }

    /// [`CoreModel::data_access_stall`] after a miss.
    #[inline(never)]
    fn data_miss_stall(&mut self, pa: u64, t: u64) -> u64 {
        let p = self.data_miss(pa);
        self.stats.stalls.dcache += p;
        t + p
    }

    /// A data access: 0 on an L1D hit, else the miss cost.
    #[inline(always)]
    fn data_access(&mut self, pa: u64) -> u64 {
        self.stats.cache.l1d.accesses += 1;
        if self.l1d.access(pa) {
            0
        } else {
            self.data_miss(pa)
        }
    }

    /// Cycles a TLB outcome costs (and the PTE reads' cache effects).
    #[inline]
    fn tlb_cost(&mut self, t: &TlbOutcome) -> u64 {
        match *t {
            TlbOutcome::None | TlbOutcome::L1Hit => 0,
            TlbOutcome::L2Hit => self.cfg.tlb.l2_hit_latency as u64,
            TlbOutcome::Walk { pte_reads, count } => {
                let mut cost = self.cfg.tlb.walk_base as u64;
                for &pa in &pte_reads[..(count as usize).min(3)] {
                    cost += if self.cfg.tlb.pte_via_l1d {
                        self.cfg.l1d.hit_latency as u64 + self.data_access(pa)
                    } else {
                        self.below_l1(pa)
                    };
                }
                cost
            }
        }
    }

    /// Charge a second TLB outcome for the current instruction (the
    /// fetch's, when the event's `tlb` holds the data access's). Returns
    /// the cycles added.
    pub fn charge_tlb(&mut self, t: &TlbOutcome) -> u64 {
        let c = self.tlb_cost(t);
        self.stats.cycles += c;
        self.stats.stalls.tlb += c;
        c
    }

    /// Divide latency for the given operands (see [`super::MulDivConfig`]).
    #[inline]
    fn div_latency(&self, word: bool, ops: Option<(u64, u64)>) -> u64 {
        let m = &self.cfg.muldiv;
        let width: u32 = if word { 32 } else { 64 };
        let iters = match ops {
            Some((a, b)) if m.div_early_out => {
                let (a, b) = if word {
                    (a & 0xFFFF_FFFF, b & 0xFFFF_FFFF)
                } else {
                    (a, b)
                };
                if b == 0 {
                    1
                } else {
                    let la = 64 - a.leading_zeros() as i64;
                    let lb = 64 - b.leading_zeros() as i64;
                    (la - lb + 1).clamp(1, width as i64) as u32
                }
            }
            _ => width,
        };
        (m.div_base + iters.div_ceil(m.div_bits_per_cycle)) as u64
    }

    #[inline]
    fn add_stall(&mut self, cause: Cause, n: u64) {
        let s = &mut self.stats.stalls;
        match cause {
            Cause::LoadUse => s.load_use += n,
            Cause::MulDiv => s.muldiv += n,
            Cause::Fp => s.fp += n,
            Cause::Other => s.other += n,
        }
    }

    /// An instruction fetch moved to a new line: look it up in the L1I.
    #[inline(never)]
    fn fetch_new_line(&mut self, line: u64, pa: u64) -> u64 {
        self.last_fetch_line = line;
        if self.l1i.access_line(line) {
            return 0;
        }
        self.stats.cache.l1i.misses += 1;
        let p = self.below_l1(pa);
        self.stats.stalls.icache += p;
        p
    }

    /// The TLB stall of an L2-TLB hit or a walk.
    #[inline(never)]
    fn tlb_stall(&mut self, t: &TlbOutcome) -> u64 {
        let p = self.tlb_cost(t);
        self.stats.stalls.tlb += p;
        p
    }

    /// Mul/div classes: returns the issue cycle after the unit is free,
    /// and the result latency (a divide's from its operands, when known).
    #[inline(never)]
    fn muldiv(
        &mut self,
        class: InsnClass,
        div_operands: Option<(u64, u64)>,
        mut t: u64,
    ) -> (u64, u64) {
        let mut lat = self.latency[class as usize] as u64;
        if self.muldiv_free > t {
            self.stats.stalls.muldiv += self.muldiv_free - t;
            t = self.muldiv_free;
        }
        if class != InsnClass::Mul {
            lat = self.div_latency(class == InsnClass::DivW, div_operands);
            self.muldiv_free = t + lat;
        } else if !self.cfg.muldiv.mul_pipelined {
            self.muldiv_free = t + lat;
        }
        (t, lat)
    }

    /// Branches and jumps at `pc` continuing at `next_pc` (`taken`: a
    /// conditional branch's outcome): predict, train, return the penalty.
    #[inline(always)]
    fn control(&mut self, class: InsnClass, pc: u64, next_pc: u64, taken: bool) -> u64 {
        let b = &mut self.stats.branch;
        let mispredicted = if class == InsnClass::Branch {
            b.branches += 1;
            let m = self.predictor.branch(pc, taken, next_pc);
            b.mispredicts += m as u64;
            m
        } else {
            b.jumps += 1;
            let m = self.predictor.jump(pc, next_pc);
            b.jump_mispredicts += m as u64;
            m
        };
        let p = if mispredicted {
            self.cfg.branch.mispredict_penalty as u64
        } else {
            0
        };
        self.stats.stalls.branch += p;
        p
    }

    /// Charge one retired instruction; returns the cycles it added. The
    /// common path (no new fetch line, TLB hit, no stall, ALU/FP/CSR
    /// class) is inlined; the rest is out of line.
    #[inline(always)]
    pub fn retire(&mut self, e: &InsnEvent) -> u64 {
        let start = self.stats.cycles;
        self.stats.instret += 1;
        self.stats.cache.l1i.accesses += 1;
        let t = self.charge(e, start);
        self.stats.cycles = t;
        t - start
    }

    /// The instructions of a block were charged with [`CoreModel::charge`]:
    /// count `n` retired instructions (and their fetches) and set the cycle
    /// count to `t`, the cycle after the last. The same as `n` calls of
    /// [`CoreModel::retire`], which a block loop avoids for speed (the
    /// counters in memory would form a dependency chain per instruction).
    #[inline]
    pub fn block_retired(&mut self, n: u64, t: u64) {
        self.stats.instret += n;
        self.stats.cache.l1i.accesses += n;
        self.stats.cycles = t;
    }

    /// What [`CoreModel::retire`] does to the pipeline for one instruction
    /// that may issue at cycle `t` (its fetch counted by the caller):
    /// returns the cycle the next one may issue. Every stall and cache
    /// counter is updated; `stats.cycles` and `stats.instret` are not.
    #[inline(always)]
    pub fn charge(&mut self, e: &InsnEvent, t: u64) -> u64 {
        let taken = e.taken.unwrap_or_else(|| {
            let d = e.next_pc.wrapping_sub(e.pc);
            d != 2 && d != 4
        });
        let part = Charged {
            class: e.class,
            regs: [e.rd, e.rs1, e.rs2, e.rs3],
            pc: e.pc,
            fetch_pa: e.fetch_pa,
            next_pc: e.next_pc,
            taken,
            has_mem: e.mem.is_some(),
            mem_pa: e.mem.map_or(0, |m| m.pa),
            div_known: e.div_operands.is_some(),
            div_operands: e.div_operands.unwrap_or((0, 0)),
        };
        self.charge_parts(&part, &e.tlb, t)
    }

    /// [`CoreModel::charge`] of an instruction given by its parts, with
    /// `tlb` the outcome of its translation.
    #[inline(always)]
    pub fn charge_parts(&mut self, e: &Charged, tlb: &TlbOutcome, mut t: u64) -> u64 {
        t = self.fetch(e.fetch_pa, t);
        // Translation.
        if !matches!(tlb, TlbOutcome::None | TlbOutcome::L1Hit) {
            t += self.tlb_stall(tlb);
        }
        let [rd, r1, r2, r3] = e.regs;
        let mask = reg_bits([r1, r2, r3]);
        t = self.operands(r1, r2, r3, self.pending & mask, t);
        self.pending &= !mask;
        let c = e.class as usize;
        let lat;
        (t, lat) = if ((MEMORY | MULDIV) >> c) & 1 != 0 {
            let div = e.div_known.then_some(e.div_operands);
            self.unit(e.class, e.has_mem.then_some(e.mem_pa), div, t)
        } else {
            (t, self.latency[c] as u64)
        };
        if rd != 0 {
            if lat > self.issue[c] as u64 {
                self.write_back(rd, t, scoreboard_entry(lat, CAUSE[c]));
                self.pending |= 1 << (rd & 63);
            } else {
                self.pending &= !(1 << (rd & 63));
            }
        }
        t += self.issue[c] as u64;
        if (CONTROL >> c) & 1 != 0 {
            t += self.control(e.class, e.pc, e.next_pc, e.taken);
        }
        t
    }

    /// Complete the [`StaticEvent`]s of a block for this model:
    /// `page_offsets[k]` is the byte offset of instruction `k` in its
    /// page. Sets [`StaticEvent::FETCH`] where the I-cache line may change
    /// and the class's `issue`, `lat` and `cause`; and drops from `srcs`
    /// each source whose last writer earlier in the block issued at least
    /// its (fixed) latency of issue cycles before: that value is ready
    /// whatever stalls happen between, because stalls only delay the
    /// reader. [`StaticEvent::SCORE`] stays set only when a source is left.
    /// The first instruction's `bound` sums, per instruction, its issue
    /// cycles and the worst case of each part its flags name (a miss to
    /// memory, the longest latency or divide, the misprediction penalty).
    pub fn annotate_block(&self, block: &mut [StaticEvent], page_offsets: &[u16]) {
        let cfg = &self.cfg;
        let l2 = if cfg.l2_present() {
            cfg.l2.hit_latency
        } else {
            0
        };
        let miss = cfg.memory_latency as u64 + l2 as u64;
        let wait = self.latency.iter().map(|&l| l as u64).max().unwrap_or(0);
        let wait = wait
            .max(cfg.l1d.hit_latency.max(1) as u64)
            .max(self.div_latency(false, None));
        let mut bound = 0u64;
        // Per register: the issue cycle (static, from the block's start)
        // of its last writer in the block, and that writer's latency when
        // fixed (not a divide).
        let mut written: [Option<(u64, Option<u64>)>; 64] = [None; 64];
        let mut at = 0u64;
        let line = |k: usize| page_offsets[k] as u64 >> self.l1i_shift;
        for (k, st) in block.iter_mut().enumerate() {
            let c = st.class as usize;
            st.issue = self.issue[c];
            let lat = match st.class {
                InsnClass::Load | InsnClass::FpLoad => self.cfg.l1d.hit_latency.max(1),
                _ => self.latency[c],
            };
            st.cause = CAUSE[c];
            st.entry = scoreboard_entry(lat as u64, st.cause);
            st.flags &=
                !(StaticEvent::FETCH | StaticEvent::CROSS | StaticEvent::SCORE | StaticEvent::LONG);
            let divide = matches!(st.class, InsnClass::Div | InsnClass::DivW);
            let regs = st.regs();
            let rd = regs[0];
            let mut short = 0;
            st.rd_bit = 0;
            if rd != 0 && (divide || lat > st.issue) {
                st.flags |= StaticEvent::LONG;
                st.rd_bit = 1 << (rd & 63);
            } else if rd != 0 {
                short = 1 << (rd & 63);
            }
            if k == 0 || line(k) != line(k - 1) {
                st.flags |= StaticEvent::FETCH;
                if k > 0 {
                    st.flags |= StaticEvent::CROSS;
                }
            }
            for (src, &r) in st.srcs.iter_mut().zip(&regs[1..]) {
                let ready_early = match written[(r & 63) as usize] {
                    Some((w, Some(lat))) => at - w >= lat,
                    _ => false,
                };
                *src = if r == 0 || ready_early { 0 } else { r };
                if *src != 0 {
                    st.flags |= StaticEvent::SCORE;
                }
            }
            st.src_mask = reg_bits(st.srcs);
            st.keep = !(st.src_mask | short);
            let has = |flag: u8, cost: u64| if st.flags & flag != 0 { cost } else { 0 };
            let penalty = if (CONTROL >> c) & 1 != 0 {
                cfg.branch.mispredict_penalty as u64
            } else {
                0
            };
            bound += st.issue as u64
                + has(StaticEvent::FETCH, miss)
                + has(StaticEvent::SCORE, wait)
                + has(StaticEvent::MEM, miss)
                + has(StaticEvent::MULDIV, wait)
                + penalty;
            if rd != 0 {
                written[(rd & 63) as usize] = Some((at, (!divide).then_some(lat as u64)));
            }
            at += st.issue as u64;
        }
        if let Some(first) = block.first_mut() {
            first.bound = bound.min(u32::MAX as u64) as u32;
        }
        self.schedule_block(block);
    }

    /// The static schedule of a block annotated by `annotate_block`: each
    /// instruction's `at`, `stall_before`, `clear_before`, `live_before`
    /// and `free_before`, and the first one's `ext_block`, `muldiv_at` and
    /// `scheduled`. It follows `charge_static` instruction by instruction
    /// with every fetch and data access hitting, every not-taken branch
    /// predicted, every source not written earlier in the block ready and
    /// the mul/div unit free at the block's first multiply: then a prefix
    /// of the block costs what its schedule says
    /// ([`CoreModel::charge_scheduled`]). It stops at the first divide,
    /// whose latency depends on its operands.
    fn schedule_block(&self, block: &mut [StaticEvent]) {
        let n = block.len();
        // Per register: the last writer's scoreboard entry, relative to the
        // block's first issue, and its position.
        let mut entry = [0u64; 64];
        let mut writer = [None::<usize>; 64];
        // Per position: when its result is ready, and the position of the
        // next writer of its register.
        let mut ready = [0u64; MAX_SCHEDULE];
        let mut next_write = [usize::MAX; MAX_SCHEDULE];
        let mut at = 0u64;
        let mut stall = [0u64; 4];
        let (mut clear, mut ext) = (0u64, 0u64);
        // The mul/div unit is free from this cycle (0: free).
        let mut free = 0u64;
        let mut muldiv_at = u32::MAX;
        let mut end = n;
        for k in 0..n.min(MAX_SCHEDULE) {
            let st = &mut block[k];
            st.at = at.min(u32::MAX as u64) as u32;
            st.stall_before = stall
                .iter()
                .enumerate()
                .fold(0, |acc, (c, &n)| acc | n.min(0xffff) << (16 * c));
            st.clear_before = clear;
            st.free_before = free.min(u32::MAX as u64) as u32;
            if matches!(st.class, InsnClass::Div | InsnClass::DivW) {
                end = k + 1;
                break;
            }
            let [rd, srcs @ ..] = st.regs();
            let mut latest = 0;
            for r in srcs.into_iter().filter(|&r| r != 0) {
                match writer[(r & 63) as usize] {
                    Some(_) => latest = latest.max(entry[(r & 63) as usize]),
                    None => ext |= 1 << (r & 63),
                }
            }
            if latest >> 2 > at {
                stall[(latest & 3) as usize] += (latest >> 2) - at;
                at = latest >> 2;
            }
            clear |= reg_bits(srcs);
            if st.class == InsnClass::Mul {
                if muldiv_at == u32::MAX {
                    muldiv_at = at.min(u32::MAX as u64 - 1) as u32;
                }
                if free > at {
                    stall[Cause::MulDiv as usize] += free - at;
                    at = free;
                }
                if !self.cfg.muldiv.mul_pipelined {
                    free = at + self.latency[InsnClass::Mul as usize] as u64;
                }
            }
            st.issued = at.min(u32::MAX as u64) as u32;
            ready[k] = at + (st.entry >> 2);
            if rd != 0 {
                let r = (rd & 63) as usize;
                clear |= 1 << r;
                entry[r] = (at << 2) + st.entry;
                if let Some(w) = writer[r].replace(k) {
                    next_write[w] = k;
                }
            }
            at += st.issue as u64;
        }
        // The results not ready when each instruction may issue, of the
        // last writers of their registers before it.
        for k in 0..end.min(MAX_SCHEDULE) {
            let at = block[k].at as u64;
            block[k].live_before = (0..k)
                .filter(|&w| {
                    block[w].flags & StaticEvent::LONG != 0 && next_write[w] >= k && ready[w] > at
                })
                .fold(0, |m, w| m | 1 << w);
        }
        let fits = stall.iter().all(|&n| n <= 0xffff) && at < u32::MAX as u64;
        if let Some(first) = block.first_mut() {
            first.scheduled = fits && n <= MAX_SCHEDULE;
            first.ext_block = ext;
            first.muldiv_at = muldiv_at;
        }
    }

    /// [`CoreModel::charge_parts`] for an instruction of a block that
    /// completed and goes on to the next one in the block (not a jump, a
    /// taken branch or a trap; so no TLB miss either), from its
    /// [`StaticEvent`] completed by [`CoreModel::annotate_block`]: the
    /// model parts its flags do not name are skipped, which gives the
    /// same result. `fetch_pa` (asked only with [`StaticEvent::FETCH`]),
    /// `mem_pa` (only for loads and stores) and `pc` (only for branches)
    /// are computed on demand, as are `div_operands`, a divide's source
    /// values.
    #[inline(always)]
    pub fn charge_static(
        &mut self,
        st: &StaticEvent,
        fetch_pa: impl FnOnce() -> u64,
        mem_pa: impl FnOnce() -> u64,
        pc: impl FnOnce() -> u64,
        div_operands: impl FnOnce() -> (u64, u64),
        mut t: u64,
    ) -> u64 {
        const PLAIN: u8 = !(StaticEvent::SCORE);
        if st.flags & PLAIN == 0 {
            // The common case: the scoreboard, if that, and the pipeline.
            // Without SCORE, `src_mask` is 0: no test of the flag (a
            // data-dependent host branch) is needed.
            let [r1, r2, r3] = st.srcs;
            t = self.operands(r1, r2, r3, self.pending & st.src_mask, t);
            // Not LONG: the result is ready by the next instruction.
            self.pending &= st.keep;
            return t + st.issue as u64;
        }
        t = self.static_front(st, fetch_pa, t);
        let mut entry = st.entry;
        if st.flags & (StaticEvent::MEM | StaticEvent::MULDIV) != 0 {
            if st.flags & StaticEvent::MEM != 0 {
                t = self.data_access_stall(mem_pa(), t);
            } else {
                let lat;
                (t, lat) = self.muldiv(st.class, Some(div_operands()), t);
                entry = scoreboard_entry(lat, st.cause);
            }
        }
        // Harmless for a result that is not LONG (its entry is not read
        // while its bit is clear), and cheaper than a test.
        self.write_back(st.rd_slot, t, entry);
        t += st.issue as u64;
        if st.flags & StaticEvent::BRANCH != 0 {
            // Not taken: the target is not looked at.
            let pc = pc();
            t += self.control(InsnClass::Branch, pc, pc, false);
        }
        t
    }

    /// Whether a `scheduled` block whose first instruction is `first` may
    /// start on its schedule at `t`: every source it reads from before the
    /// block is ready by then. Otherwise its instructions are charged one
    /// by one ([`CoreModel::charge_static`]).
    #[inline(always)]
    pub fn schedule_from(&self, first: &StaticEvent, t: u64) -> bool {
        let hot = self.pending & first.ext_block;
        self.muldiv_free <= t + first.muldiv_at as u64 && (hot == 0 || self.ready_by(hot, t))
    }

    /// Whether every register of `hot` (pending bits) is ready at `t`.
    #[inline(never)]
    fn ready_by(&self, mut hot: u64, t: u64) -> bool {
        while hot != 0 {
            let r = hot.trailing_zeros() as usize;
            hot &= hot - 1;
            if self.ready[r] >> 2 > t {
                return false;
            }
        }
        true
    }

    /// The fetch of a scheduled block's first instruction, at `fetch_pa`,
    /// before the block starts: its cost in cycles (counted in the
    /// statistics), by which the block's start is delayed. The
    /// instruction's own charge then finds its line fetched.
    #[inline(always)]
    pub fn block_fetch(&mut self, fetch_pa: u64) -> u64 {
        self.fetch(fetch_pa, 0)
    }

    /// The parts of an instruction of a scheduled block that depend on the
    /// run, in `charge_static`'s order: its fetch (at `fetch_pa`), data
    /// access (at `mem_pa`) and not-taken branch (at `pc`), as its flags
    /// name them; counted in the statistics, not yet in any cycle count.
    /// Returns whether any of them cost a cycle (then their costs are kept
    /// for [`CoreModel::charge_with_costs`]), or, for a divide, that the
    /// schedule stops (nothing done).
    #[inline(always)]
    pub fn block_parts(
        &mut self,
        st: &StaticEvent,
        fetch_pa: impl FnOnce() -> u64,
        mem_pa: impl FnOnce() -> u64,
        pc: impl FnOnce() -> u64,
    ) -> Parts {
        // One part alone is the common case.
        let kind = st.flags & StaticEvent::DYNAMIC;
        if kind == StaticEvent::MEM {
            let data = self.data_access_stall(mem_pa(), 0);
            if data == 0 {
                return Parts::Free;
            }
            self.costs = [0, data, 0];
            return Parts::Costly;
        }
        if kind == StaticEvent::BRANCH {
            let pc = pc();
            let branch = self.control(InsnClass::Branch, pc, pc, false);
            if branch == 0 {
                return Parts::Free;
            }
            self.costs = [0, 0, branch];
            return Parts::Costly;
        }
        if kind & StaticEvent::DIVIDE != 0 {
            return Parts::Divide;
        }
        let (mut fetch, mut data, mut branch) = (0, 0, 0);
        if kind & StaticEvent::CROSS != 0 {
            fetch = self.fetch(fetch_pa(), 0);
        }
        if kind & StaticEvent::MEM != 0 {
            data = self.data_access_stall(mem_pa(), 0);
        }
        if kind & StaticEvent::BRANCH != 0 {
            let pc = pc();
            branch = self.control(InsnClass::Branch, pc, pc, false);
        }
        if fetch | data | branch != 0 {
            self.costs = [fetch, data, branch];
            return Parts::Costly;
        }
        Parts::Free
    }

    /// Charge instructions `0..k` of a scheduled block that started on its
    /// schedule ([`CoreModel::schedule_from`]), which all completed and
    /// went on in the block, and whose [`CoreModel::block_parts`] cost
    /// nothing or delayed the schedule ([`CoreModel::schedule_delay`]):
    /// `t` is the block's first issue plus those delays, `block` holds the block's static events from its
    /// first (`block.len() > k`). Returns the cycle the instruction at `k`
    /// may issue, with the stall counters and the scoreboard as
    /// [`CoreModel::charge_static`] for each in turn leaves them.
    #[inline(always)]
    pub fn charge_scheduled(&mut self, block: &[StaticEvent], k: usize, t: u64) -> u64 {
        let end = &block[k];
        let s = end.stall_before;
        if s != 0 {
            if s >> 16 == 0 {
                self.stats.stalls.load_use += s;
            } else {
                self.add_scheduled_stalls(s);
            }
        }
        if end.free_before != 0 {
            self.muldiv_free = t + end.free_before as u64;
        }
        self.pending &= !end.clear_before;
        let mut live = end.live_before;
        while live != 0 {
            let w = live.trailing_zeros() as usize;
            live &= live - 1;
            let st = &block[w];
            self.write_back(st.rd_slot, t + st.issued as u64, st.entry);
            self.pending |= st.rd_bit;
        }
        t + end.at as u64
    }

    /// The cycles to delay the rest of a scheduled block by, when the
    /// [`CoreModel::block_parts`] of the instruction at `k` (which went on
    /// in the block: `block.len() > k + 1`) cost cycles and the schedule
    /// still holds after them, because nothing a later instruction could
    /// wait for is in flight when they happen: no result produced in the
    /// block (before it issues, for a fetch; after, but its own result,
    /// for a data access or a branch) and no mul/div unit still busy when
    /// the next instruction may issue (if it is free by then, no later
    /// multiply waits, delayed or not). Then the delay moves everything
    /// after alike. `None`: the rest must be charged one by one.
    #[inline(always)]
    pub fn schedule_delay(&self, block: &[StaticEvent], k: usize) -> Option<u64> {
        let (here, next) = (&block[k], &block[k + 1]);
        if here.live_before | (next.live_before & !(1 << k)) != 0 || next.free_before > next.at {
            return None;
        }
        let [fetch, data, branch] = self.costs;
        Some(fetch + data + branch)
    }

    /// Add a schedule's `stall_before` to the stall counters.
    #[inline(never)]
    fn add_scheduled_stalls(&mut self, s: u64) {
        for (c, cause) in Cause::ALL.into_iter().enumerate() {
            self.add_stall(cause, (s >> (16 * c)) & 0xffff);
        }
    }

    /// [`CoreModel::charge_static`] for an instruction of a scheduled
    /// block whose [`CoreModel::block_parts`] cost cycles.
    #[inline(never)]
    pub fn charge_with_costs(&mut self, st: &StaticEvent, mut t: u64) -> u64 {
        let [fetch, data, branch] = self.costs;
        t = self.static_sources(st, t + fetch);
        t += data;
        self.write_back(st.rd_slot, t, st.entry);
        t + st.issue as u64 + branch
    }

    /// [`CoreModel::charge_parts`] for a jump or taken branch of a block at
    /// `pc` that continued at `next_pc`, from its [`StaticEvent`] (as
    /// [`CoreModel::charge_static`]).
    #[inline(always)]
    pub fn charge_static_jump(
        &mut self,
        st: &StaticEvent,
        fetch_pa: impl FnOnce() -> u64,
        pc: u64,
        next_pc: u64,
        mut t: u64,
    ) -> u64 {
        t = self.static_front(st, fetch_pa, t);
        self.write_back(st.rd_slot, t, st.entry);
        t += st.issue as u64;
        t + self.control(st.class, pc, next_pc, true)
    }

    /// The fetch and the scoreboard of a block instruction, as its flags
    /// ask.
    #[inline(always)]
    fn static_front(
        &mut self,
        st: &StaticEvent,
        fetch_pa: impl FnOnce() -> u64,
        mut t: u64,
    ) -> u64 {
        if st.flags & StaticEvent::FETCH != 0 {
            t = self.fetch(fetch_pa(), t);
        }
        self.static_sources(st, t)
    }

    /// The scoreboard part of a block instruction from `t` (waits for its
    /// pending sources, then marks what stays pending): the cycle it may
    /// issue.
    #[inline(always)]
    fn static_sources(&mut self, st: &StaticEvent, t: u64) -> u64 {
        let [r1, r2, r3] = st.srcs;
        let t = self.operands(r1, r2, r3, self.pending & st.src_mask, t);
        self.pending = (self.pending & st.keep) | st.rd_bit;
        t
    }

    /// The fetch at `fetch_pa` for an instruction that may issue at `t`:
    /// only a change of line can miss (the line fetched last is the most
    /// recently used of its set).
    #[inline(always)]
    fn fetch(&mut self, fetch_pa: u64, t: u64) -> u64 {
        let line = fetch_pa >> self.l1i_shift;
        if line != self.last_fetch_line {
            t + self.fetch_new_line(line, fetch_pa)
        } else {
            t
        }
    }

    /// The scoreboard: the cycle at or after `t` when sources `r1`..`r3`
    /// are ready; `hot` holds the pending bits among them. The caller then
    /// clears their pending bits (ready after any wait).
    #[inline(always)]
    fn operands(&mut self, r1: u8, r2: u8, r3: u8, hot: u64, t: u64) -> u64 {
        if hot == 0 {
            return t;
        }
        // Only the entries of pending sources are meaningful.
        let entry = |r: u8| {
            if (hot >> (r & 63)) & 1 != 0 {
                self.ready[r as usize]
            } else {
                0
            }
        };
        let latest = entry(r1).max(entry(r2)).max(entry(r3));
        if latest >> 2 > t {
            self.operand_stall(latest, t)
        } else {
            t
        }
    }

    /// A memory or mul/div class issuing at `t`: the data access at
    /// `mem_pa` (`None`: it made none, having trapped), or the unit. Returns
    /// the issue cycle and the result latency.
    #[inline(always)]
    fn unit(
        &mut self,
        class: InsnClass,
        mem_pa: Option<u64>,
        div_operands: Option<(u64, u64)>,
        mut t: u64,
    ) -> (u64, u64) {
        let c = class as usize;
        if (MEMORY >> c) & 1 != 0 {
            if let Some(pa) = mem_pa {
                t = self.data_access_stall(pa, t);
            }
            let lat = if matches!(class, InsnClass::Load | InsnClass::FpLoad) {
                self.cfg.l1d.hit_latency.max(1) as u64
            } else {
                self.latency[c] as u64
            };
            (t, lat)
        } else {
            self.muldiv(class, div_operands, t)
        }
    }

    /// Scoreboard slot `rd` is written by an instruction issuing at `t`
    /// with increment `entry` ([`scoreboard_entry`]).
    #[inline(always)]
    fn write_back(&mut self, rd: u8, t: u64, entry: u64) {
        self.ready[rd as usize] = (t << 2) + entry;
    }

    /// A source operand is not ready at `t`: charge the wait until the
    /// cycle of scoreboard entry `latest` to its producer. Returns that
    /// cycle.
    #[inline(never)]
    fn operand_stall(&mut self, latest: u64, t: u64) -> u64 {
        self.add_stall(Cause::ALL[(latest & 3) as usize], (latest >> 2) - t);
        latest >> 2
    }
}
