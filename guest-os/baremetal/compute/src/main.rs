//! A short compute-bound benchmark (the interpreter benches and `make
//! bench-compare` use the longer `intmix`): runs the `workloads` mix for a
//! fixed number of rounds and prints the checksum, which the host tests
//! compare with the same code run natively. Runs on pagewalk and on QEMU
//! `virt`.
#![no_std]
#![no_main]

use baremetal_rt::{entry, exit, println};

/// Rounds of the mix: about 68 million instructions.
pub const ROUNDS: u32 = 3000;

fn main(_hartid: usize) -> ! {
    let sum = workloads::run(ROUNDS);
    println!("compute: {ROUNDS} rounds, checksum {sum:#018x}");
    exit(0)
}

entry!(main);
