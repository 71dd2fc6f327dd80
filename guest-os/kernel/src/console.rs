//! The console: the 16550 UART at 0x1000_0000, polled output; input by
//! receive interrupts through the PLIC (source 10, S-mode context 1 of
//! hart 0) into a buffer that read(0) takes from; a 0x04 (^D) byte is end
//! of file as on a Linux tty (the emulator sends one at host stdin's EOF).

use crate::mmio;
use alloc::collections::VecDeque;
use spin::Mutex;

const UART0: u64 = 0x1000_0000;
const THR: u64 = 0;
const RBR: u64 = 0;
const IER: u64 = 1;
const LSR: u64 = 5;
const LSR_DR: u8 = 1;
const LSR_THRE: u8 = 1 << 5;
const IER_ERBFI: u8 = 1;

const PLIC: u64 = 0x0c00_0000;
/// The UART's PLIC source.
const UART_IRQ: u64 = 10;
/// Hart 0's S-mode context.
const CONTEXT: u64 = 1;
const PLIC_ENABLE: u64 = PLIC + 0x2000 + 0x80 * CONTEXT;
const PLIC_THRESHOLD: u64 = PLIC + 0x20_0000 + 0x1000 * CONTEXT;
const PLIC_CLAIM: u64 = PLIC_THRESHOLD + 4;

/// Received bytes not yet read.
static INPUT: Mutex<VecDeque<u8>> = Mutex::new(VecDeque::new());

/// Receive interrupts on: UART IER.ERBFI, PLIC priority 1 for source 10,
/// enabled for context 1 with threshold 0, and `sie.SEIE`.
pub fn init_input() {
    mmio::write32(PLIC + 4 * UART_IRQ, 1);
    let word = PLIC_ENABLE + 4 * (UART_IRQ / 32);
    mmio::write32(word, mmio::read32(word) | 1 << (UART_IRQ % 32));
    mmio::write32(PLIC_THRESHOLD, 0);
    mmio::write8(UART0 + IER, IER_ERBFI);
    crate::arch::enable_external_interrupt();
}

/// Service pending external interrupts: claim from the PLIC, move the
/// UART's received bytes into the input buffer, complete. True when any
/// input arrived.
pub fn service() -> bool {
    let mut got = false;
    loop {
        let src = mmio::read32(PLIC_CLAIM);
        if src == 0 {
            break;
        }
        if src as u64 == UART_IRQ {
            got |= drain();
        }
        mmio::write32(PLIC_CLAIM, src);
    }
    // Bytes that came without an interrupt (e.g. before it was enabled).
    got | drain()
}

fn drain() -> bool {
    let mut input = INPUT.lock();
    let mut got = false;
    while mmio::read8(UART0 + LSR) & LSR_DR != 0 {
        input.push_back(mmio::read8(UART0 + RBR));
        got = true;
    }
    got
}

/// End of file (^D), as a Linux tty in canonical mode: a read returns the
/// bytes before it, or 0 when there are none.
pub const EOF: u8 = 0x04;

/// Take up to `max` buffered input bytes, stopping at an EOF byte (^D):
/// `Some(empty)` when it comes first (end of file; consumed), `None` when
/// nothing is buffered (the reader blocks).
pub fn take_input(max: usize) -> Option<alloc::vec::Vec<u8>> {
    let mut input = INPUT.lock();
    if input.is_empty() {
        return None;
    }
    let n = max.min(input.len());
    match input.iter().take(n).position(|&b| b == EOF) {
        Some(k) => {
            let bytes: alloc::vec::Vec<u8> = input.drain(..k).collect();
            // "abc^D" pushes "abc" and the ^D is spent; after a newline
            // (or alone) it stays for the next read: end of file.
            if bytes.last().is_none_or(|&b| b != b'\n') {
                input.pop_front();
            }
            Some(bytes)
        }
        None => Some(input.drain(..n).collect()),
    }
}

pub struct Uart;

impl Uart {
    pub fn putc(&mut self, byte: u8) {
        while mmio::read8(UART0 + LSR) & LSR_THRE == 0 {}
        mmio::write8(UART0 + THR, byte);
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.putc(b));
    }
}

impl core::fmt::Write for Uart {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = write!($crate::console::Uart, $($arg)*);
    }};
}

#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::console::Uart, $($arg)*);
    }};
}

/// Kernel log line, printed only with `debug` on the command line.
#[macro_export]
macro_rules! klog {
    ($($arg:tt)*) => {{
        if $crate::debug() {
            $crate::println!($($arg)*);
        }
    }};
}
