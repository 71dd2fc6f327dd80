//! The bare-metal hello world (guest-os/baremetal/hello) on pagewalk, and
//! cross-checked byte for byte against QEMU when `qemu-system-riscv64` is
//! installed.

use pagewalk::guest::{BAREMETAL_COMPUTE, BAREMETAL_HELLO};
use pagewalk::machine::{Config, Console, Machine, Outcome};
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

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
