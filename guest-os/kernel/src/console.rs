//! The console: the 16550 UART at 0x1000_0000, polled output.

use crate::mmio;

const UART0: u64 = 0x1000_0000;
const THR: u64 = 0;
const LSR: u64 = 5;
const LSR_THRE: u8 = 1 << 5;

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
