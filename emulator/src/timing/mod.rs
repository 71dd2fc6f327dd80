//! Cycle-approximate timing model (DESIGN §1, issue 5): an in-order,
//! single-issue core with a scoreboard, a branch predictor and BTB, L1 I/D
//! caches, an optional L2 and a fixed memory latency, charging every
//! retired instruction. Until the interpreter calls it, every instruction
//! costs one cycle (CPI = 1), which is what virtual time is derived from.
//!
//! # Configuration
//!
//! [`TimingConfig::load`]`(spec, overrides)`: `spec` is a preset
//! (`rocket`, `u74`, `c906` — named like the TLB presets, every figure
//! with its source or marked as an assumption in [`presets`]), `none`
//! (functional mode: `Ok(None)`, no model at all) or a TOML file (see
//! [`parse`]); `overrides` are `KEY=VALUE` strings (`--model-set
//! l1d.size=64K`). Bad input is a [`ConfigError`], never a panic.
//! `clock_hz` gives the timebase: [`CoreModel::mtime`].
//!
//! # How the interpreter calls it
//!
//! One [`CoreModel`] per hart. After each instruction retires (including
//! one that traps: charge it like any other; an instruction that faults
//! on fetch is not retired and not charged):
//!
//! ```text
//! let mut e = InsnEvent::new(&insn, pc);  // class + operands from the decode
//! e.fetch_pa = fetch_pa;                  // physical pc (I-cache is PIPT)
//! e.next_pc = next_pc;                    // after the instruction
//! e.taken = Some(taken);                  // conditional branches
//! e.mem = Some(MemAccess { pa, size, store });   // loads/stores/AMOs
//! e.div_operands = Some((|a|, |b|));      // divides (magnitudes)
//! e.tlb = outcome;                        // data access's, else the fetch's
//! model.retire(&e);                       // → cycles charged
//! // if both the fetch and the data access missed the L1 TLB:
//! model.charge_tlb(&fetch_outcome);
//! ```
//!
//! `mcycle`/`cycle` read [`CoreModel::cycles`]. `retire` takes a small
//! `Copy` event by reference, allocates nothing and dispatches statically;
//! the predictor, caches and scoreboard are flat arrays.
//!
//! The interpreter's blocks (`cpu::block`) use a faster entry with the
//! same results: when a block is built, [`StaticEvent::of`] and
//! [`CoreModel::annotate_block`] fix what the instruction and its place in
//! the block decide (issue cycles, latency, cause, which model parts it
//! needs, the sources that cannot stall, an upper bound on the block's
//! cycles); then [`CoreModel::charge_static`] and
//! [`CoreModel::charge_static_jump`] charge it with only the dynamic parts
//! (fetch line, scoreboard for pending sources, D-cache, unit, predictor).
//!
//! Most blocks go faster still, on their **static schedule**, also fixed
//! when the block is built: for each position, the cycle it issues, the
//! in-block waits by cause, the pending bits cleared, the results still
//! in flight and the mul/div unit's state, all counted from the block's
//! first issue, assuming every fetch and data access hits, every
//! not-taken branch is predicted and every value from before the block is
//! ready. When that last holds at the block's start (and the multiplier
//! is free in time: [`CoreModel::schedule_from`]), the block runs with
//! only its fetches, data accesses and not-taken branches charged as they
//! come ([`CoreModel::block_parts`]: the caches and predictor see the same
//! sequence); when it is left, [`CoreModel::charge_scheduled`] adds the
//! cycles, stalls and scoreboard entries of the prefix that ran. The
//! first part that costs a cycle (a miss, a misprediction) or a divide
//! (data-dependent latency) ends the schedule: the prefix before it is
//! charged from it, the rest one by one. The result is the same to the
//! cycle: timing/tests.rs checks every prefix of random blocks against
//! charging one by one, tests/blocks.rs whole programs against the
//! per-instruction path.
//!
//! # What is modelled
//!
//! Per instruction, in order (`t` starts at the previous instruction's
//! end, and every cycle added is either an issue cycle or a stall with
//! a cause, so `cycles = Σ issue + Σ stalls`):
//!
//! 1. **Fetch**: the L1I is looked up when the fetch moves to a new line
//!    (the line fetched last is its set's MRU, so it cannot miss; every
//!    fetch still counts as an access). A miss stalls for the L2 hit
//!    latency (+ memory latency on an L2 miss), or the memory latency
//!    without an L2 → `stalls.icache`. The L1I hit latency is hidden by
//!    the fetch pipeline.
//! 2. **Translation** ([`TlbOutcome`]): L1 TLB hit free; L2 TLB hit
//!    `tlb.l2_hit_latency`; a walk costs `tlb.walk_base` plus, per PTE
//!    read, the L1D hit latency plus the miss cost if it misses the L1D
//!    (or, with `tlb.pte_via_l1d = false`, the L2/memory cost). Walk-cache
//!    hits are the PTE reads the MMU did not make → `stalls.tlb`.
//! 3. **Operands**: a scoreboard holds, for each x and f register, the
//!    cycle its pending value is ready; the instruction waits for its
//!    latest source. The wait is charged to the producer: load →
//!    `load_use`, mul/div → `muldiv`, FP → `fp`, else `other` (between
//!    sources ready at the same cycle, the later cause in that order).
//! 4. **Execute**: mul/div wait for the unit if busy (`muldiv`); divides
//!    are never pipelined and take `div_base + ceil(iterations /
//!    div_bits_per_cycle)` with early-out iterations from the operands'
//!    bit lengths; muls are pipelined or not per preset. Loads, stores
//!    and AMOs access the L1D at `mem.pa`; a miss blocks the pipeline for
//!    the miss cost → `stalls.dcache`. The result is ready `latency[class]`
//!    cycles after issue (loads: `l1d.hit_latency`, so a dependent
//!    instruction right after a hit waits `hit_latency - 1` cycles).
//! 5. **Issue**: `issue[class]` cycles (1 for all but system instructions,
//!    which drain the pipeline).
//! 6. **Control flow**: conditional branches consult the direction
//!    predictor (bimodal or gshare, 1- or 2-bit counters starting weakly
//!    not-taken); a taken branch also needs the BTB to hold its target.
//!    jal/jalr are predicted by the BTB alone. A wrong direction or target
//!    costs `branch.mispredict_penalty` → `stalls.branch`. Correctly
//!    predicted taken branches cost nothing extra.
//!
//! # Simplifications
//!
//! - Caches hold tags only, true LRU, write-allocate; stores stall on a
//!   miss like loads (no write buffer, no MSHRs, no prefetch, no
//!   write-back traffic); the L2 is unified, non-inclusive bookkeeping
//!   (L1I and L1D misses and bypassing PTE reads access it).
//! - One latency per FP class for both precisions; no structural hazard
//!   on the FPU (FP div/sqrt are fully pipelined in the model).
//! - No return-address stack; returns are predicted by the BTB. The BTB
//!   is direct mapped and tagged with the full pc.
//! - Interrupts, traps and `wfi` cost only their instruction's issue.
//! - TLB fills, walk-cache lookups and A/D updates cost nothing beyond
//!   the PTE reads.

pub mod cache;
pub mod class;
pub mod config;
pub mod model;
pub mod parse;
pub mod predictor;
pub mod presets;
pub mod stats;

#[cfg(test)]
mod tests;

pub use class::{
    mem_shape, Cause, InsnClass, InsnEvent, MemAccess, StaticEvent, TlbOutcome, F0, SINK,
};
pub use config::{
    BranchConfig, CacheConfig, ConfigError, MulDivConfig, PredictorKind, TimingConfig, TlbTiming,
};
pub use model::{Charged, CoreModel, Parts};
pub use stats::{BranchStats, CacheCounts, CacheStats, Stalls, TimingStats};
