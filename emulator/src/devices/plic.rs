//! RISC-V PLIC (Platform-Level Interrupt Controller) with the QEMU `virt`
//! layout.
//!
//! Sources:
//! * RISC-V Platform-Level Interrupt Controller Specification v1.0.0
//!   ("PLIC spec"): §1.3 gateways, §1.4 notifications, §3 memory map,
//!   §4 priorities, §5 pending bits, §6 enables, §7 thresholds, §8 claim,
//!   §9 completion.
//! * QEMU `include/hw/riscv/virt.h` (`VIRT_IRQCHIP_NUM_SOURCES` = 96,
//!   `VIRT_IRQCHIP_NUM_PRIO_BITS` = 3, `VIRT_PLIC_*` bases/strides) and
//!   `hw/intc/sifive_plic.c` (4-byte-only accesses, WARL priority masking,
//!   reserved registers read as zero / ignore writes).
//!
//! Context numbering follows QEMU `virt` (hart config "MS" per hart):
//! context `2h` is hart `h` in M-mode, `2h + 1` is hart `h` in S-mode.
//!
//! Access rules: only naturally aligned 4-byte accesses inside the
//! [`crate::devices::PLIC_SIZE`] window are accepted (QEMU
//! `sifive_plic_ops.valid` = 4..4); anything else faults. Registers that do not
//! exist (sources >= 96, contexts of harts that do not exist, reserved gaps)
//! read as zero and ignore writes, as in QEMU.

/// Number of interrupt sources including the reserved source 0: valid
/// sources are `1..NUM_SOURCES` = 1..=95 (QEMU `VIRT_IRQCHIP_NUM_SOURCES`,
/// advertised in the device tree as `riscv,ndev` = 95).
pub const NUM_SOURCES: u32 = 96;
/// Highest priority / threshold value: priorities are 3 bits wide, 0..=7
/// (QEMU `VIRT_IRQCHIP_NUM_PRIO_BITS` = 3; PLIC spec §4 lets the platform
/// choose the width and makes the registers WARL).
pub const MAX_PRIORITY: u32 = 7;
/// Number of contexts per hart (M-mode and S-mode).
pub const CONTEXTS_PER_HART: usize = 2;

/// 32-bit words needed for one bit per source.
const WORDS: usize = NUM_SOURCES.div_ceil(32) as usize;

/// Interrupt source priority registers, 4 bytes per source (PLIC spec §3, §4).
const PRIORITY_BASE: u64 = 0x0000;
/// Interrupt pending bits, 1 bit per source (PLIC spec §3, §5).
const PENDING_BASE: u64 = 0x1000;
/// Enable bits of context 0 (PLIC spec §3, §6).
const ENABLE_BASE: u64 = 0x2000;
/// Distance between the enable blocks of consecutive contexts.
const ENABLE_STRIDE: u64 = 0x80;
/// Threshold register of context 0; claim/complete is at +4 (PLIC spec §3, §7, §8).
const CONTEXT_BASE: u64 = 0x20_0000;
/// Distance between the threshold/claim blocks of consecutive contexts.
const CONTEXT_STRIDE: u64 = 0x1000;

/// Platform-Level Interrupt Controller.
#[derive(Debug, Clone)]
pub struct Plic {
    /// Priority of each source, 0..=MAX_PRIORITY; `priority[0]` is always 0.
    priority: [u32; NUM_SOURCES as usize],
    /// Pending bits (the gateway has forwarded a request).
    pending: [u32; WORDS],
    /// Claimed and not yet completed ("in flight") sources.
    in_flight: [u32; WORDS],
    /// Current input level of each source's wire.
    level: [u32; WORDS],
    /// Enable bits per context; bit 0 of word 0 is hardwired to zero.
    enable: Vec<[u32; WORDS]>,
    /// Priority threshold per context, 0..=MAX_PRIORITY.
    threshold: Vec<u32>,
}

#[inline]
fn bit(words: &[u32; WORDS], src: u32) -> bool {
    words[(src / 32) as usize] & (1 << (src % 32)) != 0
}

#[inline]
fn set_bit(words: &mut [u32; WORDS], src: u32, v: bool) {
    let w = &mut words[(src / 32) as usize];
    if v {
        *w |= 1 << (src % 32);
    } else {
        *w &= !(1 << (src % 32));
    }
}

impl Plic {
    /// Creates a PLIC serving `harts` harts, i.e. `2 * harts` contexts.
    ///
    /// Reset state (as QEMU `sifive_plic_reset`): all priorities, thresholds,
    /// pending bits, enables and in-flight marks are zero.
    pub fn new(harts: usize) -> Self {
        let contexts = harts.saturating_mul(CONTEXTS_PER_HART);
        Plic {
            priority: [0; NUM_SOURCES as usize],
            pending: [0; WORDS],
            in_flight: [0; WORDS],
            level: [0; WORDS],
            enable: vec![[0; WORDS]; contexts],
            threshold: vec![0; contexts],
        }
    }

    /// Number of contexts (2 per hart).
    pub fn num_contexts(&self) -> usize {
        self.threshold.len()
    }

    /// Drives the interrupt wire of source `src` (1..=95) to `level`
    /// (level-triggered gateway, PLIC spec §1.3 / §9):
    /// * a high level makes the source pending unless it is in flight
    ///   (claimed and not yet completed);
    /// * a low level does not retract a request already pending (the gateway
    ///   "does not have the facility to retract an interrupt request"; QEMU
    ///   behaves the same since commit a84be2baa9ec);
    /// * on completion the source becomes pending again if the level is
    ///   still high.
    ///
    /// Source 0 and sources >= 96 are ignored.
    pub fn set_level(&mut self, src: u32, level: bool) {
        if src == 0 || src >= NUM_SOURCES {
            log::warn!("plic: set_level on nonexistent source {src} ignored");
            return;
        }
        set_bit(&mut self.level, src, level);
        if level && !bit(&self.in_flight, src) {
            set_bit(&mut self.pending, src, true);
        }
    }

    /// Whether source `src` is pending (its IP bit, PLIC spec §5).
    pub fn is_pending(&self, src: u32) -> bool {
        src < NUM_SOURCES && bit(&self.pending, src)
    }

    /// Whether source `src` has been claimed and not yet completed.
    pub fn is_in_flight(&self, src: u32) -> bool {
        src < NUM_SOURCES && bit(&self.in_flight, src)
    }

    /// External interrupt notification of context `ctx` (PLIC spec §1.4):
    /// true when some source is pending, enabled for `ctx` and has priority
    /// strictly greater than `ctx`'s threshold. The machine feeds context
    /// `2h` to hart `h`'s `mip.MEIP` and `2h + 1` to its `mip.SEIP`.
    /// False for a context that does not exist.
    pub fn eip(&self, ctx: usize) -> bool {
        self.best_candidate(ctx).is_some()
    }

    /// Highest-priority pending and enabled source of `ctx` with priority
    /// above the threshold; ties go to the lowest ID (PLIC spec §8).
    fn best_candidate(&self, ctx: usize) -> Option<u32> {
        let enable = self.enable.get(ctx)?;
        let threshold = self.threshold[ctx];
        let mut best: Option<(u32, u32)> = None;
        for (w, (&p, &e)) in self.pending.iter().zip(enable.iter()).enumerate() {
            let mut bits = p & e & !self.in_flight[w];
            while bits != 0 {
                let src = (w as u32) * 32 + bits.trailing_zeros();
                bits &= bits - 1;
                let prio = self.priority[src as usize];
                // Strict `>` on the priority keeps the lowest ID on ties,
                // since sources are visited in increasing order.
                if prio > threshold && best.is_none_or(|(_, bp)| prio > bp) {
                    best = Some((src, prio));
                }
            }
        }
        best.map(|(src, _)| src)
    }

    /// Claim (PLIC spec §8): returns the best candidate source of `ctx` (0 if
    /// none), clears its pending bit and marks it in flight.
    fn claim(&mut self, ctx: usize) -> u32 {
        match self.best_candidate(ctx) {
            Some(src) => {
                set_bit(&mut self.pending, src, false);
                set_bit(&mut self.in_flight, src, true);
                src
            }
            None => 0,
        }
    }

    /// Completion (PLIC spec §9): ends the in-flight state of `src`. Per the
    /// spec, a completion for a source that is not enabled for `ctx` is
    /// silently ignored (Linux's `plic_irq_eoi` relies on this by enabling
    /// a masked source around its completion write). If the wire is still
    /// high the gateway forwards a new request at once.
    fn complete(&mut self, ctx: usize, value: u32) {
        if value == 0 || value >= NUM_SOURCES {
            log::debug!("plic: completion of invalid source {value} ignored");
            return;
        }
        let enabled = self.enable.get(ctx).is_some_and(|e| bit(e, value));
        if !enabled {
            log::debug!("plic: completion of source {value} not enabled for context {ctx} ignored");
            return;
        }
        set_bit(&mut self.in_flight, value, false);
        if bit(&self.level, value) {
            set_bit(&mut self.pending, value, true);
        }
    }

    /// MMIO read of `size` bytes at byte `offset` from
    /// [`crate::devices::PLIC_BASE`]. Only aligned 4-byte reads are accepted.
    /// Reading a claim/complete register performs a claim (side effect).
    pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()> {
        let reg = Self::decode(offset, size)?;
        let v = match reg {
            Reg::Priority(src) => self.priority[src as usize],
            Reg::Pending(w) => self.pending[w],
            Reg::Enable(ctx, w) => self.enable.get(ctx).map_or(0, |e| e[w]),
            Reg::Threshold(ctx) => self.threshold.get(ctx).copied().unwrap_or(0),
            Reg::Claim(ctx) => {
                if ctx < self.num_contexts() {
                    self.claim(ctx)
                } else {
                    0
                }
            }
            Reg::Reserved => 0,
        };
        Ok(u64::from(v))
    }

    /// MMIO write of the low `size` bytes of `value` at byte `offset` from
    /// [`crate::devices::PLIC_BASE`]. Only aligned 4-byte writes are accepted.
    /// Writing a claim/complete register performs a completion.
    pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()> {
        let reg = Self::decode(offset, size)?;
        let value = value as u32;
        match reg {
            // Source 0 does not exist: its priority is hardwired to zero
            // (PLIC spec §4; QEMU commit 41fc1f02947d).
            Reg::Priority(0) => {}
            // WARL: keep only the implemented 3 bits (QEMU sifive_plic_write).
            Reg::Priority(src) => self.priority[src as usize] = value & MAX_PRIORITY,
            Reg::Pending(_) => log::debug!("plic: write to read-only pending bits ignored"),
            Reg::Enable(ctx, w) => {
                if let Some(e) = self.enable.get_mut(ctx) {
                    // Bit 0 of word 0 (source 0) is hardwired to zero (spec §6).
                    e[w] = if w == 0 { value & !1 } else { value };
                }
            }
            Reg::Threshold(ctx) => {
                if let Some(t) = self.threshold.get_mut(ctx) {
                    *t = value & MAX_PRIORITY;
                }
            }
            Reg::Claim(ctx) => {
                if ctx < self.num_contexts() {
                    self.complete(ctx, value);
                }
            }
            Reg::Reserved => {
                log::debug!("plic: write to reserved offset {offset:#x} ignored");
            }
        }
        Ok(())
    }

    /// Decodes an access into the register it touches.
    fn decode(offset: u64, size: u8) -> Result<Reg, ()> {
        if size != 4 || !offset.is_multiple_of(4) || offset >= super::PLIC_SIZE {
            return Err(());
        }
        let reg = if offset < PENDING_BASE {
            let src = (offset - PRIORITY_BASE) / 4;
            if src < u64::from(NUM_SOURCES) {
                Reg::Priority(src as u32)
            } else {
                Reg::Reserved
            }
        } else if offset < ENABLE_BASE {
            let w = ((offset - PENDING_BASE) / 4) as usize;
            if w < WORDS {
                Reg::Pending(w)
            } else {
                Reg::Reserved
            }
        } else if offset < CONTEXT_BASE {
            let rel = offset - ENABLE_BASE;
            let ctx = (rel / ENABLE_STRIDE) as usize;
            let w = ((rel % ENABLE_STRIDE) / 4) as usize;
            if w < WORDS {
                Reg::Enable(ctx, w)
            } else {
                Reg::Reserved
            }
        } else {
            let rel = offset - CONTEXT_BASE;
            let ctx = (rel / CONTEXT_STRIDE) as usize;
            match rel % CONTEXT_STRIDE {
                0 => Reg::Threshold(ctx),
                4 => Reg::Claim(ctx),
                _ => Reg::Reserved,
            }
        };
        Ok(reg)
    }
}

/// Register addressed by an access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reg {
    Priority(u32),
    Pending(usize),
    Enable(usize, usize),
    Threshold(usize),
    Claim(usize),
    Reserved,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prio(src: u32) -> u64 {
        4 * u64::from(src)
    }
    fn enable(ctx: usize, word: usize) -> u64 {
        0x2000 + 0x80 * ctx as u64 + 4 * word as u64
    }
    fn threshold(ctx: usize) -> u64 {
        0x20_0000 + 0x1000 * ctx as u64
    }
    fn claim(ctx: usize) -> u64 {
        threshold(ctx) + 4
    }
    fn enable_src(p: &mut Plic, ctx: usize, src: u32) {
        let off = enable(ctx, (src / 32) as usize);
        let old = p.read(off, 4).unwrap();
        p.write(off, 4, old | 1 << (src % 32)).unwrap();
    }

    #[test]
    fn reset_values() {
        let mut p = Plic::new(2);
        assert_eq!(p.num_contexts(), 4);
        for src in 0..NUM_SOURCES {
            assert_eq!(p.read(prio(src), 4), Ok(0));
        }
        for w in 0..3 {
            assert_eq!(p.read(0x1000 + 4 * w, 4), Ok(0));
        }
        for ctx in 0..4 {
            for w in 0..3 {
                assert_eq!(p.read(enable(ctx, w), 4), Ok(0));
            }
            assert_eq!(p.read(threshold(ctx), 4), Ok(0));
            assert_eq!(p.read(claim(ctx), 4), Ok(0));
            assert!(!p.eip(ctx));
        }
    }

    #[test]
    fn priority_is_masked_and_source0_hardwired() {
        let mut p = Plic::new(1);
        p.write(prio(5), 4, 0xFFFF_FFFF).unwrap();
        assert_eq!(p.read(prio(5), 4), Ok(7));
        p.write(prio(5), 4, 9).unwrap();
        assert_eq!(p.read(prio(5), 4), Ok(1));
        p.write(prio(0), 4, 3).unwrap();
        assert_eq!(p.read(prio(0), 4), Ok(0));
        p.write(prio(95), 4, 2).unwrap();
        assert_eq!(p.read(prio(95), 4), Ok(2));
        // Source 96 and beyond do not exist: RAZ/WI.
        p.write(prio(96), 4, 2).unwrap();
        assert_eq!(p.read(prio(96), 4), Ok(0));
        assert_eq!(p.read(0xFFC, 4), Ok(0));
    }

    #[test]
    fn threshold_is_masked() {
        let mut p = Plic::new(1);
        p.write(threshold(1), 4, 0xFF).unwrap();
        assert_eq!(p.read(threshold(1), 4), Ok(7));
        assert_eq!(p.read(threshold(0), 4), Ok(0));
    }

    #[test]
    fn enable_bit0_hardwired_and_words_independent() {
        let mut p = Plic::new(1);
        p.write(enable(0, 0), 4, 0xFFFF_FFFF).unwrap();
        assert_eq!(p.read(enable(0, 0), 4), Ok(0xFFFF_FFFE));
        p.write(enable(0, 2), 4, 0x8000_0001).unwrap();
        assert_eq!(p.read(enable(0, 2), 4), Ok(0x8000_0001));
        assert_eq!(p.read(enable(0, 1), 4), Ok(0));
        assert_eq!(p.read(enable(1, 0), 4), Ok(0));
        // Word 3 of a context's block is beyond source 95: RAZ/WI.
        p.write(enable(0, 3), 4, 1).unwrap();
        assert_eq!(p.read(enable(0, 3), 4), Ok(0));
    }

    #[test]
    fn pending_bits_read_only_and_reflect_level() {
        let mut p = Plic::new(1);
        p.set_level(10, true);
        p.set_level(33, true);
        p.set_level(95, true);
        assert_eq!(p.read(0x1000, 4), Ok(1 << 10));
        assert_eq!(p.read(0x1004, 4), Ok(1 << 1));
        assert_eq!(p.read(0x1008, 4), Ok(1 << 31));
        p.write(0x1000, 4, 0).unwrap();
        assert_eq!(p.read(0x1000, 4), Ok(1 << 10));
        assert!(p.is_pending(10));
    }

    #[test]
    fn claim_orders_by_priority_then_lowest_id() {
        let mut p = Plic::new(1);
        for (src, pr) in [(3, 2), (7, 5), (9, 5), (40, 1), (70, 7)] {
            p.write(prio(src), 4, pr).unwrap();
            enable_src(&mut p, 0, src);
            p.set_level(src, true);
        }
        assert!(p.eip(0));
        assert_eq!(p.read(claim(0), 4), Ok(70));
        assert_eq!(p.read(claim(0), 4), Ok(7));
        assert_eq!(p.read(claim(0), 4), Ok(9));
        assert_eq!(p.read(claim(0), 4), Ok(3));
        assert_eq!(p.read(claim(0), 4), Ok(40));
        assert!(!p.eip(0));
        assert_eq!(p.read(claim(0), 4), Ok(0));
    }

    #[test]
    fn priority_zero_never_interrupts() {
        let mut p = Plic::new(1);
        enable_src(&mut p, 0, 4);
        p.set_level(4, true);
        assert!(p.is_pending(4));
        assert!(!p.eip(0));
        assert_eq!(p.read(claim(0), 4), Ok(0));
        assert!(p.is_pending(4));
    }

    #[test]
    fn threshold_masks() {
        let mut p = Plic::new(1);
        p.write(prio(5), 4, 3).unwrap();
        enable_src(&mut p, 0, 5);
        p.set_level(5, true);
        p.write(threshold(0), 4, 3).unwrap();
        assert!(
            !p.eip(0),
            "priority must be strictly greater than threshold"
        );
        assert_eq!(p.read(claim(0), 4), Ok(0));
        assert!(p.is_pending(5));
        p.write(threshold(0), 4, 2).unwrap();
        assert!(p.eip(0));
        assert_eq!(p.read(claim(0), 4), Ok(5));
    }

    #[test]
    fn claim_clears_pending_and_complete_with_level_high_repends() {
        let mut p = Plic::new(1);
        p.write(prio(10), 4, 1).unwrap();
        enable_src(&mut p, 1, 10);
        p.set_level(10, true);
        assert!(p.eip(1));
        assert!(!p.eip(0));
        assert_eq!(p.read(claim(1), 4), Ok(10));
        assert!(!p.is_pending(10));
        assert!(p.is_in_flight(10));
        assert!(!p.eip(1));
        // Level re-asserted while in flight: no new request yet.
        p.set_level(10, true);
        assert!(!p.is_pending(10));
        assert_eq!(p.read(claim(1), 4), Ok(0));
        // Complete with level still high: pending again.
        p.write(claim(1), 4, 10).unwrap();
        assert!(!p.is_in_flight(10));
        assert!(p.is_pending(10));
        assert!(p.eip(1));
        assert_eq!(p.read(claim(1), 4), Ok(10));
        // Level drops, then completion: stays idle.
        p.set_level(10, false);
        p.write(claim(1), 4, 10).unwrap();
        assert!(!p.is_pending(10));
        assert!(!p.eip(1));
    }

    #[test]
    fn lowering_level_does_not_retract_pending() {
        let mut p = Plic::new(1);
        p.write(prio(2), 4, 1).unwrap();
        enable_src(&mut p, 0, 2);
        p.set_level(2, true);
        p.set_level(2, false);
        assert!(p.is_pending(2));
        assert_eq!(p.read(claim(0), 4), Ok(2));
        p.write(claim(0), 4, 2).unwrap();
        assert!(!p.is_pending(2));
    }

    #[test]
    fn per_context_enables() {
        let mut p = Plic::new(2);
        for src in [1, 2, 3] {
            p.write(prio(src), 4, 1).unwrap();
            p.set_level(src, true);
        }
        enable_src(&mut p, 0, 1);
        enable_src(&mut p, 3, 2);
        assert!(p.eip(0));
        assert!(!p.eip(1));
        assert!(!p.eip(2));
        assert!(p.eip(3));
        assert_eq!(p.read(claim(1), 4), Ok(0));
        assert_eq!(p.read(claim(2), 4), Ok(0));
        assert_eq!(p.read(claim(3), 4), Ok(2));
        assert_eq!(p.read(claim(0), 4), Ok(1));
        // A source enabled in two contexts is claimed only once.
        enable_src(&mut p, 1, 3);
        enable_src(&mut p, 2, 3);
        assert!(p.eip(1) && p.eip(2));
        assert_eq!(p.read(claim(2), 4), Ok(3));
        assert!(!p.eip(1));
        assert_eq!(p.read(claim(1), 4), Ok(0));
    }

    #[test]
    fn completion_requires_enable() {
        let mut p = Plic::new(1);
        p.write(prio(6), 4, 1).unwrap();
        enable_src(&mut p, 1, 6);
        p.set_level(6, true);
        assert_eq!(p.read(claim(1), 4), Ok(6));
        // Completion via a context where 6 is not enabled: ignored.
        p.write(claim(0), 4, 6).unwrap();
        assert!(p.is_in_flight(6));
        // Disable, complete: ignored; re-enable, complete: accepted.
        p.write(enable(1, 0), 4, 0).unwrap();
        p.write(claim(1), 4, 6).unwrap();
        assert!(p.is_in_flight(6));
        enable_src(&mut p, 1, 6);
        p.write(claim(1), 4, 6).unwrap();
        assert!(!p.is_in_flight(6));
        assert!(p.is_pending(6));
        // Invalid IDs are ignored without panicking.
        p.write(claim(1), 4, 0).unwrap();
        p.write(claim(1), 4, 96).unwrap();
        p.write(claim(1), 4, 0xFFFF_FFFF).unwrap();
    }

    #[test]
    fn set_level_ignores_invalid_sources() {
        let mut p = Plic::new(1);
        p.set_level(0, true);
        p.set_level(96, true);
        p.set_level(u32::MAX, true);
        assert_eq!(p.read(0x1000, 4), Ok(0));
        assert!(!p.is_pending(0));
        assert!(!p.is_pending(u32::MAX));
        assert!(!p.is_in_flight(u32::MAX));
    }

    #[test]
    fn missing_contexts_are_raz_wi() {
        let mut p = Plic::new(1);
        p.set_level(1, true);
        p.write(prio(1), 4, 1).unwrap();
        p.write(enable(2, 0), 4, 0xFFFF_FFFF).unwrap();
        assert_eq!(p.read(enable(2, 0), 4), Ok(0));
        p.write(threshold(2), 4, 1).unwrap();
        assert_eq!(p.read(threshold(2), 4), Ok(0));
        assert_eq!(p.read(claim(2), 4), Ok(0));
        p.write(claim(2), 4, 1).unwrap();
        assert!(!p.eip(2));
        assert!(!p.eip(usize::MAX));
        // Last context slot of the window.
        assert_eq!(p.read(claim(1023), 4), Ok(0));
        assert_eq!(p.read(0x5F_FFFC, 4), Ok(0));
    }

    #[test]
    fn bad_sizes_and_offsets_fault() {
        let mut p = Plic::new(1);
        for size in [0u8, 1, 2, 3, 8, 16, 255] {
            assert_eq!(p.read(0, size), Err(()), "size {size}");
            assert_eq!(p.write(claim(0), size, 0), Err(()), "size {size}");
        }
        assert_eq!(p.read(2, 4), Err(()));
        assert_eq!(p.write(claim(0) + 1, 4, 0), Err(()));
        for off in [0x60_0000, 0x60_0004, u64::MAX - 3, u64::MAX] {
            assert_eq!(p.read(off, 4), Err(()));
            assert_eq!(p.write(off, 4, 0), Err(()));
        }
    }

    #[test]
    fn sweep_no_panic() {
        let mut p = Plic::new(3);
        let ranges = [0..0x3000u64, 0x1F_F000..0x20_7000, 0x5F_F000..0x60_0010];
        for r in ranges {
            for off in r {
                for size in [1u8, 2, 3, 4, 8] {
                    let _ = p.read(off, size);
                    let _ = p.write(off, size, u64::MAX);
                }
            }
        }
    }

    #[test]
    fn zero_harts() {
        let mut p = Plic::new(0);
        assert_eq!(p.num_contexts(), 0);
        assert_eq!(p.read(claim(0), 4), Ok(0));
        assert!(!p.eip(0));
    }
}
