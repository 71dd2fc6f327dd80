//! Timing presets named like the TLB presets, each parameter with its
//! public source. Where no public figure was found the value is marked
//! **assumption** with the reasoning; change it with `--model-set`.
//!
//! Shared simplifications (all presets): caches are true LRU (Rocket's
//! L1s use random replacement, the C906's FIFO); single and double
//! precision share one latency per FP class; the BTB is direct mapped.

use super::class::InsnClass::{self, *};
use super::config::{
    BranchConfig, CacheConfig, MulDivConfig, PredictorKind, TimingConfig, TlbTiming,
};

/// The preset names [`by_name`] accepts (`none` is handled by
/// [`TimingConfig::load`]: functional mode, no model).
pub const NAMES: [&str; 3] = ["rocket", "u74", "c906"];

/// The preset called `name`.
pub fn by_name(name: &str) -> Option<TimingConfig> {
    Some(match name {
        "rocket" => rocket(),
        "u74" => u74(),
        "c906" => c906(),
        _ => return None,
    })
}

/// A per-class table: `default` everywhere, then `set`.
fn table(default: u32, set: &[(InsnClass, u32)]) -> [u32; InsnClass::COUNT] {
    let mut t = [default; InsnClass::COUNT];
    for &(c, n) in set {
        t[c as usize] = n;
    }
    t
}

const fn cache(size: u32, ways: u32, hit_latency: u32) -> CacheConfig {
    CacheConfig {
        size,
        ways,
        line: 64,
        hit_latency,
    }
}

/// Rocket Chip's default big core (chipsalliance/rocket-chip,
/// `src/main/scala/rocket/`; `WithNBigCores`), the default preset.
///
/// - Clock: the generator has no fixed clock. **Assumption**: 1 GHz.
/// - L1I 16 KiB, 4-way, 64 B lines: `ICacheParams(nSets = 64, nWays = 4,
///   blockBytes = 64)` (ICache.scala); hit latency 2 (`latency = 2`),
///   hidden by the fetch pipeline.
/// - L1D 16 KiB, 4-way, 64 B: `DCacheParams(nSets = 64, nWays = 4)`
///   (HellaCache.scala). Load-to-use 2: the Rocket-derived SiFive E31
///   manual, §3.3: "LW has a two-cycle result latency, assuming a cache
///   hit". No L2 in the tile.
/// - Memory latency: **assumption** 80 cycles (~80 ns of DRAM at 1 GHz).
/// - Branch: `BHTParams(nEntries = 512, counterLength = 1, historyLength
///   = 8)` — a 512-entry gshare of 1-bit counters with 8 history bits;
///   `BTBParams(nEntries = 28)` (BTB.scala) is fully associative: the
///   model uses 32 direct-mapped entries. Mispredict penalty 3: E31
///   manual §3.2 "Mispredicted control-flow instructions incur a
///   three-cycle penalty". Rocket's 6-entry RAS is not modelled.
/// - Mul/div: `MulDivParams(mulUnroll = 8, mulEarlyOut = true,
///   divEarlyOut = true)` of `WithNBigCores`, one iterative unit (not
///   pipelined). Mul 9 = 64 bits / 8 per cycle + 1, scaled from the E31's
///   32-bit "5-cycle result latency" (32/8 + 1). Div 1 bit per cycle with
///   early out, base 1: the E31's 32-bit divides take "between a 2-cycle
///   and 33-cycle result latency, depending on the operand values"
///   (= 1 + 1..32 iterations); 64-bit: 2..65.
/// - CSR reads: E31 "CSR reads have a three-cycle result latency".
///   System instructions (fence, ecall, xret, sfence.vma) flush the
///   pipeline: **assumption** 5 cycles (the 5-stage pipeline refilled).
/// - FPU: `FPUParams(sfmaLatency = 3, dfmaLatency = 4)` (FPU.scala): add,
///   mul, fma 4 (the double figure); conversions and moves 2 (**assumption**
///   for `ifpu`/`fpmu`); divide/sqrt are iterative (DivSqrtRecFN):
///   **assumption** 27 cycles result latency, issue 1.
/// - TLB: no L2 TLB by default (`nL2TLBEntries = 0`); if one is
///   configured **assumption** 3 cycles. PTW reads go through the L1D
///   (the PTW is a D-cache client in RocketTile).
pub fn rocket() -> TimingConfig {
    TimingConfig {
        name: "rocket".into(),
        clock_hz: 1_000_000_000,
        issue: table(1, &[(System, 5)]),
        latency: table(
            1,
            &[
                (Mul, 9),
                (Csr, 3),
                (FpAdd, 4),
                (FpMul, 4),
                (FpFma, 4),
                (FpDiv, 27),
                (FpSqrt, 27),
                (FpCvt, 2),
                (FpMv, 2),
                (FpLoad, 2),
                (Amo, 2),
            ],
        ),
        muldiv: MulDivConfig {
            mul_pipelined: false,
            div_base: 1,
            div_bits_per_cycle: 1,
            div_early_out: true,
        },
        branch: BranchConfig {
            kind: PredictorKind::Gshare,
            entries: 512,
            counter_bits: 1,
            history_bits: 8,
            btb_entries: 32,
            mispredict_penalty: 3,
        },
        l1i: cache(16 << 10, 4, 2),
        l1d: cache(16 << 10, 4, 2),
        l2: CacheConfig::ABSENT,
        memory_latency: 80,
        tlb: TlbTiming {
            l2_hit_latency: 3,
            walk_base: 0,
            pte_via_l1d: true,
        },
    }
}

/// SiFive U74 as in the StarFive JH7110 (VisionFive 2).
///
/// - Clock 1.5 GHz: the JH7110's U74 cores run at 1.5 GHz (VisionFive 2
///   specification).
/// - L1I and L1D 32 KiB, 64 B lines, 64 sets → 8 ways: the JH7110 device
///   tree (Linux `arch/riscv/boot/dts/starfive/jh7110.dtsi`, U74 cpu
///   nodes: `i-cache-size = <32768>`, `i-cache-sets = <64>`,
///   `i-cache-block-size = <64>`, same for `d-`; checked in this session).
/// - L2 2 MiB, 16 ways, 64 B: the same dtsi's `ccache` node
///   (`cache-size = <2097152>`, `cache-sets = <2048>`, `cache-block-size
///   = <64>`, `cache-unified`). L2 hit latency: **assumption** 20 cycles
///   (not found in public text).
/// - Latencies from LLVM's SiFive 7-series scheduling model
///   (`llvm/lib/Target/RISCV/RISCVSchedSiFive7.td`, `SiFive7Model`, the
///   U7 pipeline): `LoadLatency = 3`, `MispredictPenalty = 3`, integer
///   multiply latency 3, 64-bit integer divide `Latency = 66`,
///   `ReleaseAtCycles = [1, 65]` (not pipelined). The model uses early
///   out with base 2 and 1 bit per cycle, so 64-bit divides take 3..66
///   (operand-dependent, as the U74 manual describes the divider). FP
///   add/mul/fma 5 and FP div/sqrt 27 (single; double is 56 —
///   **simplified** to one figure) are recalled from the same file, not
///   re-checked in this session.
/// - **Simplification**: the U74 is dual-issue (`IssueWidth = 2`); the
///   model issues one instruction per cycle, so its CPI floor is 1.
/// - Branch predictor: sizes not found in public text. **Assumption**:
///   gshare of 2048 2-bit counters with 11 history bits, 32-entry BTB.
/// - Memory latency: **assumption** 150 cycles (~100 ns at 1.5 GHz).
/// - TLB: 512-entry L2 TLB hit **assumption** 4 cycles (not documented).
pub fn u74() -> TimingConfig {
    TimingConfig {
        name: "u74".into(),
        clock_hz: 1_500_000_000,
        issue: table(1, &[(System, 5)]),
        latency: table(
            1,
            &[
                (Mul, 3),
                (Csr, 3),
                (FpAdd, 5),
                (FpMul, 5),
                (FpFma, 5),
                (FpDiv, 27),
                (FpSqrt, 27),
                (FpCvt, 3),
                (FpMv, 2),
                (FpLoad, 3),
                (Amo, 3),
            ],
        ),
        muldiv: MulDivConfig {
            mul_pipelined: true,
            div_base: 2,
            div_bits_per_cycle: 1,
            div_early_out: true,
        },
        branch: BranchConfig {
            kind: PredictorKind::Gshare,
            entries: 2048,
            counter_bits: 2,
            history_bits: 11,
            btb_entries: 32,
            mispredict_penalty: 3,
        },
        l1i: cache(32 << 10, 8, 1),
        l1d: cache(32 << 10, 8, 3),
        l2: cache(2 << 20, 16, 20),
        memory_latency: 150,
        tlb: TlbTiming {
            l2_hit_latency: 4,
            walk_base: 0,
            pte_via_l1d: true,
        },
    }
}

/// T-Head XuanTie C906 as in the Allwinner D1.
///
/// - Clock 1 GHz: the Allwinner D1 runs its C906 at 1 GHz.
/// - L1I 32 KiB 2-way, L1D 32 KiB 4-way, 64 B lines (FIFO replacement,
///   modelled as LRU): XuanTie C906 feature list ("VIPT, two-way
///   set-associative instruction cache", "four-way set associative L1 data
///   cache", "Fixed cache line length of 64 bytes"; caches configurable up
///   to 64 KiB, the D1 has 32 KiB each). No L2 (the D1 has none).
/// - Load-to-use: **assumption** 3 (5-stage in-order pipeline with the
///   cache read in the memory stage; not found in public text).
/// - Memory latency: **assumption** 100 cycles.
/// - Branch predictor, mul/div and FP latencies: not found in public
///   text. **Assumptions**: bimodal of 8192 2-bit counters (a 16 Kbit
///   BHT), 32-entry BTB, mispredict penalty 4; mul 4 pipelined; divide
///   base 3, 4 bits per cycle with early out (3..19 cycles); FP add/mul/fma
///   4, div/sqrt 20.
/// - TLB: jTLB (128-entry L2) hit **assumption** 3 cycles; the PTW reads
///   through the L1D.
pub fn c906() -> TimingConfig {
    TimingConfig {
        name: "c906".into(),
        clock_hz: 1_000_000_000,
        issue: table(1, &[(System, 5)]),
        latency: table(
            1,
            &[
                (Mul, 4),
                (Csr, 3),
                (FpAdd, 4),
                (FpMul, 4),
                (FpFma, 4),
                (FpDiv, 20),
                (FpSqrt, 20),
                (FpCvt, 3),
                (FpMv, 2),
                (FpLoad, 3),
                (Amo, 3),
            ],
        ),
        muldiv: MulDivConfig {
            mul_pipelined: true,
            div_base: 3,
            div_bits_per_cycle: 4,
            div_early_out: true,
        },
        branch: BranchConfig {
            kind: PredictorKind::Bimodal,
            entries: 8192,
            counter_bits: 2,
            history_bits: 0,
            btb_entries: 32,
            mispredict_penalty: 4,
        },
        l1i: cache(32 << 10, 2, 1),
        l1d: cache(32 << 10, 4, 3),
        l2: CacheConfig::ABSENT,
        memory_latency: 100,
        tlb: TlbTiming {
            l2_hit_latency: 3,
            walk_base: 0,
            pte_via_l1d: true,
        },
    }
}
