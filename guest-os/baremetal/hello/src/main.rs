//! Bare-metal "hello world" for the QEMU `virt` platform (and pagewalk).
//!
//! Boots in M-mode at 0x8000_0000 (`-bios none -kernel`), prints a few lines
//! on the 16550 UART, then powers off through the SiFive test finisher
//! (the runtime, `toolchain/baremetal-rt`, provides entry, console and exit).
//! The output must be byte-identical on pagewalk and QEMU
//! (tests/baremetal.rs checks both).

#![no_std]
#![no_main]

use baremetal_rt::{entry, exit, print, println};

/// CRC-32 (IEEE 802.3, reflected, as zlib's `crc32`), bit by bit.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The sum of the primes below `n` (sieve of Eratosthenes on the stack).
fn prime_sum(n: usize) -> u64 {
    let mut composite = [false; 10_000];
    let n = n.min(composite.len());
    let mut sum = 0u64;
    for i in 2..n {
        if !composite[i] {
            sum += i as u64;
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    sum
}

const GREETING: &str = "Hello from pagewalk bare-metal Rust!\n";

fn main(hartid: usize) -> ! {
    print!("{GREETING}");
    println!("hart id: {hartid}");
    println!("crc32(greeting) = {:#010x}", crc32(GREETING.as_bytes()));
    println!("sum of primes below 10000 = {}", prime_sum(10_000));
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..90 {
        (a, b) = (b, a.wrapping_add(b));
    }
    println!("fib(90) = {a}");
    println!("bye");
    exit(0)
}

entry!(main);
