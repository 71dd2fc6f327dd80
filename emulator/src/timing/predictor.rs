//! Branch direction predictor (bimodal or gshare saturating counters)
//! and a direct-mapped branch target buffer.

use super::config::{BranchConfig, PredictorKind};

/// One BTB entry: the branch's pc and its last target.
#[derive(Clone, Copy, Debug)]
struct BtbEntry {
    pc: u64,
    target: u64,
}

#[derive(Clone, Debug)]
pub struct Predictor {
    counters: Box<[u8]>,
    mask: u64,
    max: u8,
    /// Counter value at or above which the prediction is taken.
    threshold: u8,
    /// Global history (gshare); stays 0 for bimodal, whose history mask
    /// is 0, so both index the counters as `(pc >> 1) ^ history`.
    history: u64,
    history_mask: u64,
    btb: Box<[BtbEntry]>,
    btb_mask: u64,
}

impl Predictor {
    /// From a validated configuration. Counters start weakly not-taken.
    pub fn new(cfg: &BranchConfig) -> Predictor {
        let max = ((1u32 << cfg.counter_bits) - 1) as u8;
        let threshold = max.div_ceil(2);
        let history_mask = match cfg.kind {
            PredictorKind::Gshare => (1u64 << cfg.history_bits) - 1,
            PredictorKind::Bimodal => 0,
        };
        let empty = BtbEntry {
            pc: u64::MAX,
            target: 0,
        };
        Predictor {
            counters: vec![threshold - 1; cfg.entries as usize].into_boxed_slice(),
            mask: cfg.entries as u64 - 1,
            max,
            threshold,
            history: 0,
            history_mask,
            btb: vec![empty; cfg.btb_entries as usize].into_boxed_slice(),
            btb_mask: cfg.btb_entries as u64 - 1,
        }
    }

    /// The BTB's target for `pc`, checked against `target`; then records
    /// `pc → target`. True if the BTB predicted `target`.
    #[inline(always)]
    fn btb(&mut self, pc: u64, target: u64) -> bool {
        let i = ((pc >> 1) & self.btb_mask) as usize;
        let e = &mut self.btb[i];
        let hit = e.pc == pc && e.target == target;
        *e = BtbEntry { pc, target };
        hit
    }

    /// A conditional branch at `pc` resolved `taken` (to `target` if
    /// taken). Predicts, trains, and returns true if mispredicted: wrong
    /// direction, or predicted taken without the right BTB target.
    #[inline(always)]
    pub fn branch(&mut self, pc: u64, taken: bool, target: u64) -> bool {
        let idx = (pc >> 1) ^ self.history;
        self.history = ((self.history << 1) | taken as u64) & self.history_mask;
        let c = &mut self.counters[(idx & self.mask) as usize];
        let predicted = *c >= self.threshold;
        if taken {
            *c = (*c + 1).min(self.max);
            let btb_hit = self.btb(pc, target);
            !predicted || !btb_hit
        } else {
            *c = c.saturating_sub(1);
            predicted
        }
    }

    /// A jump (jal/jalr) at `pc` to `target`: true if the BTB did not
    /// predict `target`.
    #[inline(always)]
    pub fn jump(&mut self, pc: u64, target: u64) -> bool {
        !self.btb(pc, target)
    }
}
