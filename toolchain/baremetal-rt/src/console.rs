//! The console: a polled 16550 UART at 0x1000_0000 (byte registers, as on
//! QEMU `virt`).

use crate::mmio;

const UART0: usize = 0x1000_0000;
const THR: usize = 0;
const LSR: usize = 5;
/// Line status: transmit holding register empty.
const LSR_THRE: u8 = 1 << 5;

/// The UART, as a `core::fmt::Write` sink.
pub struct Uart;

impl Uart {
    /// Send one byte, waiting for the transmitter to be ready.
    pub fn putc(&mut self, byte: u8) {
        while mmio::read8(UART0 + LSR) & LSR_THRE == 0 {}
        mmio::write8(UART0 + THR, byte);
    }
}

impl core::fmt::Write for Uart {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        s.bytes().for_each(|b| self.putc(b));
        Ok(())
    }
}

/// Print to the UART.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = write!($crate::Uart, $($arg)*);
    }};
}

/// Print a line to the UART.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::Uart, $($arg)*);
    }};
}
