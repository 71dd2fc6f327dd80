//! The bare-metal hello world (guest-os/baremetal/hello) and the
//! benchmarks `compute` and `intmix` on pagewalk, their checksums against
//! the same code run natively, and cross-checked byte for byte against QEMU
//! when `qemu-system-riscv64` is installed.

use pagewalk::guest::{
    intmix_with, BAREMETAL_COMPUTE, BAREMETAL_HELLO, BAREMETAL_INTMIX, BAREMETAL_INTMIX_HTIF,
    BAREMETAL_INTMIX_VM,
};
use pagewalk::machine::{Config, Console, Machine, Outcome};
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

/// The intmix kernel itself, run natively for the expected checksum.
#[path = "../guest-os/baremetal/intmix/src/mix.rs"]
#[allow(dead_code)]
mod intmix;

const EXPECTED: &str = "Hello from pagewalk bare-metal Rust!\n\
                        hart id: 0\n\
                        crc32(greeting) = 0x1341b698\n\
                        sum of primes below 10000 = 5736396\n\
                        fib(90) = 2880067194370816120\n\
                        bye\n";

fn run_pagewalk(elf: &[u8]) -> (Outcome, Vec<u8>) {
    let mut m = Machine::new(Config {
        console: Console::Capture { input: vec![] },
        max_instructions: Some(200_000_000),
        ..Config::default()
    });
    m.load_elf(elf).expect("load hello ELF");
    let outcome = m.run();
    (outcome, m.take_output())
}

#[test]
fn hello_on_pagewalk() {
    let (outcome, output) = run_pagewalk(BAREMETAL_HELLO);
    assert_eq!(String::from_utf8_lossy(&output), EXPECTED);
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
}

#[test]
fn hello_matches_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    let q = qemu::run(BAREMETAL_HELLO, "hello", Duration::from_secs(20));
    let (_, ours) = run_pagewalk(BAREMETAL_HELLO);
    // Compared as raw bytes; shown as text when they differ.
    assert!(
        q.stdout == ours,
        "QEMU and pagewalk output differ\n--- QEMU:\n{}\n--- pagewalk:\n{}\n--- QEMU stderr:\n{}",
        String::from_utf8_lossy(&q.stdout),
        String::from_utf8_lossy(&ours),
        q.stderr
    );
    assert_eq!(
        q.status,
        Some(0),
        "QEMU exit status (finisher 0x5555 = 0); stderr: {}",
        q.stderr
    );
}

/// The compute benchmark's checksum, computed inside the emulator, equals the
/// same kernels run natively on the host.
#[test]
fn compute_checksum_matches_the_host() {
    let (outcome, output) = run_pagewalk(BAREMETAL_COMPUTE);
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    let text = String::from_utf8(output).expect("UTF-8 output");
    // "compute: N rounds, checksum 0x..."
    let rounds: u32 = text
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {text}"));
    let expected = workloads::run(rounds);
    assert_eq!(
        text,
        format!("compute: {rounds} rounds, checksum {expected:#018x}\n")
    );
}

#[test]
fn compute_matches_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    let q = qemu::run(BAREMETAL_COMPUTE, "compute", Duration::from_secs(60));
    let (_, ours) = run_pagewalk(BAREMETAL_COMPUTE);
    assert_eq!(
        String::from_utf8_lossy(&q.stdout),
        String::from_utf8_lossy(&ours)
    );
}

/// intmix's iteration count for the tests: about 20 million instructions
/// (the built-in default is `intmix::ITERATIONS`).
const INTMIX_TEST_ITERATIONS: u64 = 20_000;

/// intmix and intmix_vm, patched to a shorter run, print the checksum of
/// the same kernel run natively on the host.
#[test]
fn intmix_checksum_matches_the_host() {
    let expected = intmix::run(INTMIX_TEST_ITERATIONS);
    let n = INTMIX_TEST_ITERATIONS;
    for (elf, line) in [
        (
            BAREMETAL_INTMIX,
            format!("intmix: {n} iterations, checksum {expected:#018x}\n"),
        ),
        (
            BAREMETAL_INTMIX_VM,
            format!("intmix_vm: {n} iterations in S-mode (Sv39), checksum {expected:#018x}\n"),
        ),
    ] {
        let (outcome, output) = run_pagewalk(&intmix_with(elf, n));
        assert_eq!(String::from_utf8_lossy(&output), line);
        assert_eq!(outcome, Outcome::Finisher { code: 0 });
    }
    // The Spike variant: the same line through the HTIF write proxy, and
    // the exit through tohost.
    let (outcome, output) = run_pagewalk(&intmix_with(BAREMETAL_INTMIX_HTIF, n));
    assert_eq!(
        String::from_utf8_lossy(&output),
        format!("intmix: {n} iterations, checksum {expected:#018x}\n")
    );
    assert_eq!(outcome, Outcome::Htif { code: 0 });
}

/// The built-in intmix runs its default iteration count.
#[test]
fn intmix_default_iterations() {
    let default = intmix_with(BAREMETAL_INTMIX, intmix::ITERATIONS);
    assert!(
        default == BAREMETAL_INTMIX,
        "INTMIX_ITERATIONS is not intmix::ITERATIONS"
    );
    let default = intmix_with(BAREMETAL_INTMIX_VM, intmix::ITERATIONS);
    assert!(
        default == BAREMETAL_INTMIX_VM,
        "INTMIX_ITERATIONS is not intmix::ITERATIONS"
    );
}

#[test]
fn intmix_matches_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    for (elf, name) in [
        (BAREMETAL_INTMIX, "intmix"),
        (BAREMETAL_INTMIX_VM, "intmix_vm"),
    ] {
        let elf = intmix_with(elf, INTMIX_TEST_ITERATIONS);
        let q = qemu::run(&elf, name, Duration::from_secs(60));
        let (_, ours) = run_pagewalk(&elf);
        assert!(
            q.stdout == ours,
            "{name}: QEMU and pagewalk output differ\n--- QEMU:\n{}\n--- pagewalk:\n{}\n--- QEMU stderr:\n{}",
            String::from_utf8_lossy(&q.stdout),
            String::from_utf8_lossy(&ours),
            q.stderr
        );
        assert_eq!(
            q.status,
            Some(0),
            "{name}: QEMU exit status; stderr: {}",
            q.stderr
        );
    }
}
