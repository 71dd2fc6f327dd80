//! Block execution (emulator/src/cpu/block.rs) against the
//! one-instruction-at-a-time path: with fast paths on and off, the hart
//! must be in the same state — registers, pc, instret, TLB and timing
//! statistics — after any number of instructions. Stopping at many cut
//! points makes batches, and so block boundaries, fall everywhere.

use pagewalk::guest::{
    patch_symbol, BAREMETAL_INTMIX, BAREMETAL_INTMIX_VM, BAREMETAL_VMTEST, INTMIX_ITERATIONS,
};
use pagewalk::machine::{Config, Console, Machine};

/// Registers, pc, instret and the statistics after `n` instructions.
fn state(elf: &[u8], n: u64, fast: bool, timing: bool) -> (Vec<u64>, Vec<u64>, u64, String) {
    let timing = timing.then(|| {
        pagewalk::timing::TimingConfig::load::<&str>("rocket", &[])
            .expect("preset")
            .expect("a model")
    });
    let mut m = Machine::new(Config {
        max_instructions: Some(n),
        fast_paths: fast,
        timing,
        console: Console::Capture { input: vec![] },
        ..Config::default()
    });
    m.load_elf(elf).expect("ELF loads");
    m.run();
    let mut stats = m.stats_json();
    // Host-side figures (wall time, rates) are not part of the state.
    if let Some(o) = stats.as_object_mut() {
        o.retain(|k, _| !k.contains("second") && !k.contains("wall") && !k.contains("host"));
    }
    (
        m.hart.x[..32].to_vec(),
        m.hart.f.to_vec(),
        m.hart.pc,
        stats.to_string(),
    )
}

/// `count` cut points spread over `1..=total` (fixed xorshift sequence).
fn cuts(total: u64, count: usize) -> Vec<u64> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    (0..count)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            1 + s % total
        })
        .collect()
}

fn same_at_cuts(name: &str, elf: &[u8], total: u64, timing: bool) {
    for n in cuts(total, 12) {
        let (fast, slow) = (state(elf, n, true, timing), state(elf, n, false, timing));
        assert_eq!(fast, slow, "{name}: state differs after {n} instructions");
    }
}

fn intmix(elf: &[u8]) -> Vec<u8> {
    patch_symbol(elf, INTMIX_ITERATIONS, 300).expect("symbol")
}

#[test]
fn intmix_machine_mode() {
    same_at_cuts("intmix", &intmix(BAREMETAL_INTMIX), 330_000, false);
}

#[test]
fn intmix_sv39_supervisor_mode() {
    same_at_cuts("intmix_vm", &intmix(BAREMETAL_INTMIX_VM), 330_000, false);
}

#[test]
fn vmtest_page_faults_and_fences() {
    same_at_cuts("vmtest", BAREMETAL_VMTEST, 235_000, false);
}

#[test]
fn intmix_with_the_timing_model() {
    same_at_cuts(
        "intmix_vm timed",
        &intmix(BAREMETAL_INTMIX_VM),
        330_000,
        true,
    );
}

#[test]
fn vmtest_with_the_timing_model() {
    same_at_cuts("vmtest timed", BAREMETAL_VMTEST, 235_000, true);
}

#[test]
fn intmix_machine_mode_with_the_timing_model() {
    same_at_cuts("intmix timed", &intmix(BAREMETAL_INTMIX), 330_000, true);
}
