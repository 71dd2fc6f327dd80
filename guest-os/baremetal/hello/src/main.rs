//! Bare-metal "hello world" for the QEMU `virt` platform (and pagewalk).
//!
//! Boots in M-mode at 0x8000_0000 (`-bios none -kernel`), prints a few lines
//! on the 16550 UART, then powers off through the SiFive test finisher.
//! The output must be byte-identical on pagewalk and QEMU
//! (tests/baremetal.rs checks both).

#![no_std]
#![no_main]

use core::fmt::Write;
use core::ptr::{read_volatile, write_volatile};

// Entry: hart 0 sets up gp, sp and .bss, then calls `rust_main(hartid)`;
// other harts (none on the default one-hart machine) park in WFI.
core::arch::global_asm!(
    r#"
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    bnez a0, 3f
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call rust_main
3:  wfi
    j 3b
"#
);

const UART0: usize = 0x1000_0000;
const UART_THR: usize = 0;
const UART_LSR: usize = 5;
const LSR_THRE: u8 = 1 << 5;

const FINISHER: usize = 0x10_0000;
const FINISHER_PASS: u32 = 0x5555;
const FINISHER_FAIL: u32 = 0x3333;

struct Uart;

impl Uart {
    fn putc(&mut self, byte: u8) {
        // SAFETY: the 16550 registers are byte-wide MMIO at UART0.
        unsafe {
            while read_volatile((UART0 + UART_LSR) as *const u8) & LSR_THRE == 0 {}
            write_volatile((UART0 + UART_THR) as *mut u8, byte);
        }
    }
}

impl Write for Uart {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        s.bytes().for_each(|b| self.putc(b));
        Ok(())
    }
}

fn finish(value: u32) -> ! {
    // SAFETY: the SiFive test finisher is a 32-bit MMIO register.
    unsafe { write_volatile(FINISHER as *mut u32, value) };
    loop {
        core::hint::spin_loop();
    }
}

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

#[no_mangle]
extern "C" fn rust_main(hartid: usize) -> ! {
    let mut uart = Uart;
    let _ = uart.write_str(GREETING);
    let _ = writeln!(uart, "hart id: {hartid}");
    let _ = writeln!(
        uart,
        "crc32(greeting) = {:#010x}",
        crc32(GREETING.as_bytes())
    );
    let _ = writeln!(uart, "sum of primes below 10000 = {}", prime_sum(10_000));
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..90 {
        (a, b) = (b, a.wrapping_add(b));
    }
    let _ = writeln!(uart, "fib(90) = {a}");
    let _ = writeln!(uart, "bye");
    finish(FINISHER_PASS)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let _ = writeln!(Uart, "panic: {info}");
    finish((1 << 16) | FINISHER_FAIL)
}
