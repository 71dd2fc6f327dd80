//! Branch direction predictor (bimodal or gshare saturating counters)
//! and a direct-mapped branch target buffer.

use super::config::{BranchConfig, PredictorKind};

#[derive(Clone, Debug)]
pub struct Predictor {
    gshare: bool,
    counters: Box<[u8]>,
    mask: u64,
    max: u8,
    /// Counter value at or above which the prediction is taken.
    threshold: u8,
    history: u64,
    history_mask: u64,
    btb_pc: Box<[u64]>,
    btb_target: Box<[u64]>,
    btb_mask: u64,
}

impl Predictor {
    /// From a validated configuration. Counters start weakly not-taken.
    pub fn new(cfg: &BranchConfig) -> Predictor {
        let max = ((1u32 << cfg.counter_bits) - 1) as u8;
        let threshold = max.div_ceil(2);
        Predictor {
            gshare: cfg.kind == PredictorKind::Gshare,
            counters: vec![threshold - 1; cfg.entries as usize].into_boxed_slice(),
            mask: cfg.entries as u64 - 1,
            max,
            threshold,
            history: 0,
            history_mask: (1u64 << cfg.history_bits) - 1,
            btb_pc: vec![u64::MAX; cfg.btb_entries as usize].into_boxed_slice(),
            btb_target: vec![0; cfg.btb_entries as usize].into_boxed_slice(),
            btb_mask: cfg.btb_entries as u64 - 1,
        }
    }

    #[inline]
    fn btb_slot(&self, pc: u64) -> usize {
        ((pc >> 1) & self.btb_mask) as usize
    }

    /// The BTB's target for `pc`, checked against `target`; then records
    /// `pc → target`. True if the BTB predicted `target`.
    #[inline]
    fn btb(&mut self, pc: u64, target: u64) -> bool {
        let i = self.btb_slot(pc);
        let hit = self.btb_pc[i] == pc && self.btb_target[i] == target;
        self.btb_pc[i] = pc;
        self.btb_target[i] = target;
        hit
    }

    /// A conditional branch at `pc` resolved `taken` (to `target` if
    /// taken). Predicts, trains, and returns true if mispredicted: wrong
    /// direction, or predicted taken without the right BTB target.
    #[inline]
    pub fn branch(&mut self, pc: u64, taken: bool, target: u64) -> bool {
        let mut idx = pc >> 1;
        if self.gshare {
            idx ^= self.history;
            self.history = ((self.history << 1) | taken as u64) & self.history_mask;
        }
        let c = &mut self.counters[(idx & self.mask) as usize];
        let predicted = *c >= self.threshold;
        if taken {
            *c = (*c + 1).min(self.max);
        } else {
            *c = c.saturating_sub(1);
        }
        if taken {
            let btb_hit = self.btb(pc, target);
            !predicted || !btb_hit
        } else {
            predicted
        }
    }

    /// A jump (jal/jalr) at `pc` to `target`: true if the BTB did not
    /// predict `target`.
    #[inline]
    pub fn jump(&mut self, pc: u64, target: u64) -> bool {
        !self.btb(pc, target)
    }
}
