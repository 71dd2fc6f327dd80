//! The timing model wired into the hart: `mcycle`/`cycle` read the modelled
//! count, statistics appear, the TLB counts do not depend on it, and bad
//! `--model` input is a clean error.

use pagewalk::bus::{Bus, DRAM_BASE};
use pagewalk::cpu::Hart;
use pagewalk::devices::ConsoleSink;
use pagewalk::machine::{Config, Machine, Outcome};
use pagewalk::timing::{CoreModel, TimingConfig};
use std::process::Command;

fn rocket() -> TimingConfig {
    TimingConfig::load::<&str>("rocket", &[]).unwrap().unwrap()
}

#[test]
fn guest_rdcycle_reads_the_modelled_cycle_count() {
    // li a1, 7; mul a2, a1, a1; mul a3, a2, a2 (dependent: stalls);
    // csrr a0, cycle
    let code: [u32; 4] = [0x0070_0593, 0x02b5_8633, 0x02c6_06b3, 0xc000_2573];
    let mut bus = Bus::new(1 << 20, 1, ConsoleSink::Buffer(Vec::new()), 100);
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.write_bytes(DRAM_BASE, &bytes).unwrap();
    let mut hart = Hart::new(0, DRAM_BASE);
    hart.timing = Some(Box::new(CoreModel::new(&rocket())));
    for _ in 0..3 {
        hart.run(&mut bus, 1); // one cycle of budget: exactly one instruction
    }
    let modelled = hart.timing.as_ref().unwrap().cycles();
    assert!(
        modelled > 3,
        "a cold I-cache and a mul chain cost cycles: {modelled}"
    );
    assert_eq!(hart.now(), modelled);
    hart.run(&mut bus, 1);
    assert_eq!(hart.pc, DRAM_BASE + 16);
    assert_eq!(
        hart.x[10], modelled,
        "rdcycle sees every cycle charged before it"
    );
}

/// Run `code` at DRAM_BASE under the rocket model for `budget` cycles,
/// either in one call (the block path) or one instruction per call (the
/// per-instruction path): the model's statistics.
fn run_code(code: &[u32], budget: u64, one_at_a_time: bool) -> pagewalk::timing::TimingStats {
    let mut bus = Bus::new(1 << 20, 1, ConsoleSink::Buffer(Vec::new()), 100);
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.write_bytes(DRAM_BASE, &bytes).unwrap();
    let mut hart = Hart::new(0, DRAM_BASE);
    hart.timing = Some(Box::new(CoreModel::new(&rocket())));
    if one_at_a_time {
        while hart.now() < budget {
            hart.run(&mut bus, 1);
        }
    } else {
        hart.run(&mut bus, budget);
    }
    hart.timing.unwrap().stats
}

/// `run_code` on the block path and one instruction at a time: the same
/// statistics, returned.
fn run_code_both_ways(code: &[u32], budget: u64) -> pagewalk::timing::TimingStats {
    let block = run_code(code, budget, false);
    let one = run_code(code, budget, true);
    assert_eq!(
        format!("{block:?}"),
        format!("{one:?}"),
        "the block path charges as one instruction at a time does"
    );
    block
}

#[test]
fn divide_latency_follows_the_operands_in_the_interpreter() {
    // li a1, 1; slli a1, a1, SH; li a2, 3; div a3, a1, a2;
    // addi a4, a3, 1 (waits for the divide); j .
    // Rocket: divide latency 1 + (bitlen(a1) - bitlen(3) + 1), so the
    // add waits 40 cycles for 1 << 40 and 2 for 1 << 2, on the block path
    // and one instruction at a time alike.
    for (sh, wait) in [(40u32, 40u64), (2, 2)] {
        let code = [
            0x0010_0593,
            0x0005_9593 | (sh << 20),
            0x0030_0613,
            0x02c5_c6b3,
            0x0016_8713,
            0x0000_006f,
        ];
        for one in [false, true] {
            let stats = run_code(&code, 2_000, one);
            assert_eq!(
                stats.stalls.muldiv, wait,
                "shift {sh}, one at a time: {one}"
            );
        }
    }
}

#[test]
fn the_multiplier_stays_busy_across_blocks() {
    // li a5, 20; loop: mul a2, a3, a4; addi a5, a5, -1; bnez a5, loop;
    // j . — independent multiplies, one per 3-instruction block. Rocket's
    // multiplier is not pipelined (latency 9): each mul after the first
    // waits for the one before to leave the unit, 6 cycles after the addi
    // and a well-predicted taken branch, 3 after a mispredicted one
    // (penalty 3). Rocket's gshare (8 history bits) mispredicts the
    // first 9 taken branches, while the history fills with ones, and the
    // exit: 19 waits, 9 of them after a misprediction.
    let code = [
        0x0140_0793,
        0x02e6_8633,
        0xfff7_8793,
        0xfe07_9ce3,
        0x0000_006f,
    ];
    let block = run_code_both_ways(&code, 3_000);
    assert_eq!(block.branch.branches, 20);
    assert_eq!(block.branch.mispredicts, 10);
    assert_eq!(block.stalls.muldiv, 9 * 3 + 10 * 6);
}

#[test]
fn a_result_still_in_flight_when_a_block_ends_is_waited_for() {
    // li a1, 3; li a2, 5; mul a3, a2, a2; mul a4, a3, a1; j +8; nop;
    // add a5, a4, a4; j . — Rocket (mul latency 9, not pipelined): after
    // the cold fetch (80), mul a3 issues at 82, mul a4 waits 8 for it and
    // issues at 91 (ready at 100); the jump issues at 92 and is
    // mispredicted (cold BTB, 3); in the next block the add, at 96, waits
    // 4 more for a4. The block path must leave a4's entry as one
    // instruction at a time does.
    let code = [
        0x0030_0593,
        0x0050_0613,
        0x02c6_06b3,
        0x02b6_8733,
        0x0080_006f,
        0x0000_0013,
        0x00e7_07b3,
        0x0000_006f,
    ];
    let block = run_code_both_ways(&code, 500);
    assert_eq!(block.stalls.muldiv, 8 + 4);
}

fn run(elf: &[u8], timing: Option<TimingConfig>) -> serde_json::Value {
    let mut m = Machine::new(Config {
        timing,
        max_instructions: Some(50_000_000),
        ..Config::default()
    });
    m.load_elf(elf).unwrap();
    assert_eq!(m.run(), Outcome::Finisher { code: 0 });
    m.stats_json()
}

#[test]
fn timing_statistics_and_unchanged_tlb_counts() {
    let elf = pagewalk::guest::BAREMETAL_VMTEST;
    let functional = run(elf, None);
    let timed = run(elf, Some(rocket()));
    // Functional: one cycle per instruction, trapping ones included.
    assert!(functional["cycles"].as_u64() >= functional["instret"].as_u64());
    let (cycles, instret) = (
        timed["cycles"].as_u64().unwrap(),
        timed["instret"].as_u64().unwrap(),
    );
    assert!(
        cycles > instret,
        "{cycles} cycles for {instret} instructions"
    );
    assert!(timed["stalls"]["icache"].as_u64().unwrap() > 0);
    assert!(timed["cache"]["l1d"]["accesses"].as_u64().unwrap() > 0);
    // Walks cost cycles, and the model does not change what the TLB sees.
    assert!(timed["stalls"]["tlb"].as_u64().unwrap() > 0);
    for key in [
        "tlb",
        "walks",
        "sfence",
        "faults",
        "untranslated",
        "instret",
    ] {
        assert_eq!(functional[key], timed[key], "{key}");
    }
}

#[test]
fn bad_model_options_are_clean_errors() {
    let pagewalk = env!("CARGO_BIN_EXE_pagewalk");
    for args in [
        &["run", "--model", "nosuchcore", "hello-baremetal"][..],
        &[
            "run",
            "--model",
            "rocket",
            "--model-set",
            "l1d.size=banana",
            "hello-baremetal",
        ][..],
        &["run", "--model-set", "l1d.size=64K", "hello-baremetal"][..],
    ] {
        let out = Command::new(pagewalk).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("pagewalk: error: --model"), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}
