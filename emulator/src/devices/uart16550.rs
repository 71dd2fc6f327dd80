//! NS16550A UART as on QEMU `virt` (byte-wide registers at offsets 0..=7,
//! `reg-shift` 0, `reg-io-width` 1).
//!
//! Sources:
//! * TI "PC16550D Universal Asynchronous Receiver/Transmitter with FIFOs"
//!   datasheet (SNLS378C): the register summary, the per-register
//!   descriptions (RBR/THR, IER, IIR, FCR, LCR, MCR, LSR, MSR, SCR, divisor
//!   latches) and the "Interrupt Control Functions" table (IIR priorities and
//!   reset conditions) and "UART Reset Configuration" table.
//! * QEMU `hw/char/serial.c` / `hw/char/serial-mm.c` for the behaviour that
//!   guests (Linux `8250_core`/`8250_port`, OpenSBI `uart8250`, xv6) are
//!   tested against: IER keeps bits 3:0, MSR reads DCD|DSR|CTS, a THR-empty
//!   interrupt is re-armed when IER.ETBEI goes 0→1, access width 1..8 bytes
//!   with the register value in the low byte.
//!
//! Simplifications (documented deviations from the datasheet):
//! * Transmission is instantaneous: a THR write hands the byte to the sink
//!   and THR/TSR are immediately empty again (LSR.THRE = LSR.TEMT = 1 always).
//! * The receive FIFO is an unbounded queue fed by [`Uart16550::push_input`];
//!   no overrun, parity, framing or break errors are ever reported, so the
//!   receiver-line-status interrupt never fires.
//! * The received-data interrupt is raised whenever data is available,
//!   regardless of the FCR trigger level (no character-timeout interrupt is
//!   needed, since there is no notion of character time).
//! * Modem lines are constant (MSR = DCD|DSR|CTS, no delta bits), so the
//!   modem-status interrupt never fires. MCR is stored but loopback mode
//!   (MCR bit 4) is not implemented.
//! * Divisor latch and LCR settings are stored but have no effect.
//!
//! Access rules: 1-, 2-, 4- or 8-byte naturally aligned accesses within
//! offsets 0..8 are accepted; the register at `offset` is accessed (reads
//! return it zero-extended, writes use the low byte), as QEMU's serial-mm does.
//! Offsets 8.. of the [`crate::devices::UART0_SIZE`] window fault (QEMU maps
//! only 8 bytes).

use std::collections::VecDeque;
use std::io::Write;

/// Number of byte registers (offsets 0..=7).
const NUM_REGS: u64 = 8;

/// IER bit 0: enable received-data-available interrupt (datasheet, IER).
pub const IER_ERBFI: u8 = 0x01;
/// IER bit 1: enable transmitter-holding-register-empty interrupt.
pub const IER_ETBEI: u8 = 0x02;
/// IER bit 2: enable receiver-line-status interrupt (never fires here).
pub const IER_ELSI: u8 = 0x04;
/// IER bit 3: enable modem-status interrupt (never fires here).
pub const IER_EDSSI: u8 = 0x08;

/// IIR value: no interrupt pending (datasheet, Interrupt Control Functions table).
pub const IIR_NO_INT: u8 = 0x01;
/// IIR value: transmitter holding register empty (priority 3).
pub const IIR_THRI: u8 = 0x02;
/// IIR value: received data available (priority 2).
pub const IIR_RDI: u8 = 0x04;
/// IIR bits 7:6, set when the FIFOs are enabled (FCR bit 0).
pub const IIR_FIFO_ENABLED: u8 = 0xC0;

/// FCR bit 0: FIFO enable.
pub const FCR_FIFO_ENABLE: u8 = 0x01;
/// FCR bit 1: clear the receive FIFO (self-clearing).
pub const FCR_CLEAR_RX: u8 = 0x02;
/// FCR bit 2: clear the transmit FIFO (self-clearing; nothing to clear here).
pub const FCR_CLEAR_TX: u8 = 0x04;

/// LCR bit 7: divisor latch access bit.
pub const LCR_DLAB: u8 = 0x80;

/// LSR bit 0: data ready.
pub const LSR_DR: u8 = 0x01;
/// LSR bit 5: transmitter holding register empty.
pub const LSR_THRE: u8 = 0x20;
/// LSR bit 6: transmitter empty (THR and shift register).
pub const LSR_TEMT: u8 = 0x40;

/// MSR value: DCD | DSR | CTS asserted, no deltas (QEMU `serial_reset`).
pub const MSR_VALUE: u8 = 0xB0;

/// Where transmitted bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleSink {
    /// Write each byte to the host's standard output, flushed at `\n`
    /// and by [`Uart16550::flush`].
    Stdout,
    /// Collect bytes in memory; retrieve them with [`Uart16550::take_output`].
    Buffer(Vec<u8>),
}

/// NS16550A UART.
#[derive(Debug, Clone)]
pub struct Uart16550 {
    sink: ConsoleSink,
    /// Received bytes not yet read through RBR.
    rx: VecDeque<u8>,
    /// Interrupt enable register (bits 3:0).
    ier: u8,
    /// FIFO control "sticky" bits: FIFO enable (bit 0) and trigger level (7:6).
    fcr: u8,
    lcr: u8,
    mcr: u8,
    scr: u8,
    dll: u8,
    dlm: u8,
    /// THR-empty interrupt latch (Interrupt Control Functions table: set when THR becomes
    /// empty, reset by reading IIR with THRI as source or writing THR).
    thr_ipending: bool,
}

impl Uart16550 {
    /// Creates a UART in its reset state (datasheet "UART Reset
    /// Configuration" table: IER = 0, IIR = 0x01, FCR = 0, LCR = 0, MCR = 0,
    /// LSR = 0x60), sending output to `sink`.
    pub fn new(sink: ConsoleSink) -> Self {
        Uart16550 {
            sink,
            rx: VecDeque::new(),
            ier: 0,
            fcr: 0,
            lcr: 0,
            mcr: 0,
            scr: 0,
            dll: 0,
            dlm: 0,
            thr_ipending: false,
        }
    }

    /// Appends host input bytes to the receive FIFO (unbounded).
    pub fn push_input(&mut self, bytes: &[u8]) {
        self.rx.extend(bytes.iter().copied());
    }

    /// True when the receive FIFO holds bytes the guest has not read yet.
    pub fn has_pending_input(&self) -> bool {
        !self.rx.is_empty()
    }

    /// Returns and clears the bytes transmitted so far when the sink is
    /// [`ConsoleSink::Buffer`]; always empty for [`ConsoleSink::Stdout`].
    pub fn take_output(&mut self) -> Vec<u8> {
        match &mut self.sink {
            ConsoleSink::Buffer(buf) => std::mem::take(buf),
            ConsoleSink::Stdout => Vec::new(),
        }
    }

    /// Writes bytes to the console sink without touching any register: the
    /// HTIF console (riscv-tests' `printf` through the fesvr `write` proxy)
    /// shares the UART's output.
    pub fn emit(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.transmit(b);
        }
    }

    /// Flushes the host's standard output when the sink is
    /// [`ConsoleSink::Stdout`] (no-op for a buffer).
    pub fn flush(&mut self) {
        if let ConsoleSink::Stdout = self.sink {
            let _ = std::io::stdout().flush();
        }
    }

    /// Interrupt output (the INTR pin, to PLIC source
    /// [`crate::devices::UART0_IRQ`]): true while IIR reports a pending
    /// interrupt.
    pub fn irq(&self) -> bool {
        self.interrupt_id() != IIR_NO_INT
    }

    /// Highest-priority pending interrupt as an IIR bits 3:0 value
    /// (datasheet Interrupt Control Functions table). Receiver line status (priority 1) and modem
    /// status (priority 4) never occur in this model.
    fn interrupt_id(&self) -> u8 {
        if self.ier & IER_ERBFI != 0 && !self.rx.is_empty() {
            IIR_RDI
        } else if self.ier & IER_ETBEI != 0 && self.thr_ipending {
            IIR_THRI
        } else {
            IIR_NO_INT
        }
    }

    fn dlab(&self) -> bool {
        self.lcr & LCR_DLAB != 0
    }

    fn lsr(&self) -> u8 {
        let dr = if self.rx.is_empty() { 0 } else { LSR_DR };
        LSR_THRE | LSR_TEMT | dr
    }

    fn transmit(&mut self, byte: u8) {
        match &mut self.sink {
            ConsoleSink::Buffer(buf) => buf.push(byte),
            ConsoleSink::Stdout => {
                let mut out = std::io::stdout();
                let _ = out.write_all(&[byte]);
                if byte == b'\n' {
                    let _ = out.flush();
                }
            }
        }
    }

    /// Reads register `reg` (0..=7) with its side effects.
    fn read_reg(&mut self, reg: u64) -> u8 {
        match reg {
            // RBR: pops the FIFO; 0 when empty. DLL when DLAB = 1.
            0 if self.dlab() => self.dll,
            0 => self.rx.pop_front().unwrap_or(0),
            // IER / DLM.
            1 if self.dlab() => self.dlm,
            1 => self.ier,
            // IIR: reading it with THRI as the source clears THRI.
            2 => {
                let id = self.interrupt_id();
                if id == IIR_THRI {
                    self.thr_ipending = false;
                }
                let fifo = if self.fcr & FCR_FIFO_ENABLE != 0 {
                    IIR_FIFO_ENABLED
                } else {
                    0
                };
                fifo | id
            }
            3 => self.lcr,
            4 => self.mcr,
            // LSR: no error bits are ever set, so reading is side-effect free.
            5 => self.lsr(),
            // MSR: constant lines, no delta bits.
            6 => MSR_VALUE,
            _ => self.scr,
        }
    }

    /// Writes register `reg` (0..=7) with its side effects.
    fn write_reg(&mut self, reg: u64, v: u8) {
        match reg {
            0 if self.dlab() => self.dll = v,
            // THR: transmitted at once; writing THR clears the THRE
            // interrupt, and THR becoming empty again right away re-arms it
            // (datasheet Interrupt Control Functions table).
            0 => {
                self.transmit(v);
                self.thr_ipending = true;
            }
            1 if self.dlab() => self.dlm = v,
            1 => {
                let old = self.ier;
                self.ier = v & 0x0F;
                // Enabling ETBEI while THR is empty raises a THRE interrupt
                // (QEMU serial.c; Linux's UART_BUG_THRE probe expects it).
                if old & IER_ETBEI == 0 && self.ier & IER_ETBEI != 0 {
                    self.thr_ipending = true;
                }
            }
            // FCR.
            2 => {
                // Changing the FIFO-enable bit clears both FIFOs (datasheet
                // FCR bit 0 description; QEMU serial.c).
                let toggled = (v ^ self.fcr) & FCR_FIFO_ENABLE != 0;
                if v & FCR_CLEAR_RX != 0 || toggled {
                    self.rx.clear();
                }
                self.fcr = v & 0xC1;
            }
            3 => self.lcr = v,
            // MCR: bits 4:0 stored; loopback (bit 4) not implemented.
            4 => self.mcr = v & 0x1F,
            // LSR and MSR are read-only (writes are "factory test" only).
            5 | 6 => {}
            _ => self.scr = v,
        }
    }

    /// MMIO read of `size` bytes at byte `offset` from
    /// [`crate::devices::UART0_BASE`]; returns the byte register at `offset`
    /// zero-extended. `Err(())` = load access fault.
    pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()> {
        if !super::access_ok(offset, size, NUM_REGS) {
            return Err(());
        }
        Ok(u64::from(self.read_reg(offset)))
    }

    /// MMIO write of the low byte of `value` to the register at byte
    /// `offset` from [`crate::devices::UART0_BASE`]. `Err(())` = store
    /// access fault.
    pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()> {
        if !super::access_ok(offset, size, NUM_REGS) {
            return Err(());
        }
        self.write_reg(offset, value as u8);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uart() -> Uart16550 {
        Uart16550::new(ConsoleSink::Buffer(Vec::new()))
    }

    #[test]
    fn reset_values() {
        let mut u = uart();
        assert_eq!(u.read(1, 1), Ok(0)); // IER
        assert_eq!(u.read(2, 1), Ok(0x01)); // IIR
        assert_eq!(u.read(3, 1), Ok(0)); // LCR
        assert_eq!(u.read(4, 1), Ok(0)); // MCR
        assert_eq!(u.read(5, 1), Ok(0x60)); // LSR
        assert_eq!(u.read(6, 1), Ok(0xB0)); // MSR
        assert_eq!(u.read(7, 1), Ok(0)); // SCR
        assert_eq!(u.read(0, 1), Ok(0)); // RBR, empty
        assert!(!u.irq());
        assert!(!u.has_pending_input());
    }

    #[test]
    fn thr_write_goes_to_buffer() {
        let mut u = uart();
        for &b in b"hi\n" {
            u.write(0, 1, u64::from(b)).unwrap();
        }
        u.write(0, 1, 0x1234).unwrap(); // only the low byte
        assert_eq!(u.take_output(), b"hi\n\x34".to_vec());
        assert!(u.take_output().is_empty());
        assert_eq!(u.read(5, 1), Ok(0x60));
    }

    #[test]
    fn stdout_sink_take_output_is_empty() {
        let mut u = Uart16550::new(ConsoleSink::Stdout);
        assert!(u.take_output().is_empty());
        u.flush();
    }

    #[test]
    fn dlab_switches_offsets_0_and_1() {
        let mut u = uart();
        u.write(1, 1, 0x03).unwrap(); // IER
        u.write(3, 1, 0x83).unwrap(); // DLAB | 8N1
        assert_eq!(u.read(3, 1), Ok(0x83));
        u.write(0, 1, 0x0C).unwrap(); // DLL
        u.write(1, 1, 0x01).unwrap(); // DLM
        assert_eq!(u.read(0, 1), Ok(0x0C));
        assert_eq!(u.read(1, 1), Ok(0x01));
        assert!(u.take_output().is_empty(), "DLL write must not transmit");
        u.write(3, 1, 0x03).unwrap(); // DLAB off
        assert_eq!(u.read(1, 1), Ok(0x03), "IER preserved");
        u.push_input(b"x");
        assert_eq!(u.read(0, 1), Ok(u64::from(b'x')));
        u.write(3, 1, 0x80).unwrap();
        assert_eq!(u.read(0, 1), Ok(0x0C));
        assert_eq!(u.read(1, 1), Ok(0x01));
    }

    #[test]
    fn ier_keeps_low_nibble() {
        let mut u = uart();
        u.write(1, 1, 0xFF).unwrap();
        assert_eq!(u.read(1, 1), Ok(0x0F));
    }

    #[test]
    fn lsr_data_ready_and_rx_fifo() {
        let mut u = uart();
        u.push_input(b"ab");
        assert!(u.has_pending_input());
        assert_eq!(u.read(5, 1), Ok(0x61));
        assert_eq!(u.read(0, 1), Ok(u64::from(b'a')));
        assert_eq!(u.read(5, 1), Ok(0x61));
        assert_eq!(u.read(0, 1), Ok(u64::from(b'b')));
        assert_eq!(u.read(5, 1), Ok(0x60));
        assert!(!u.has_pending_input());
        assert_eq!(u.read(0, 1), Ok(0));
    }

    #[test]
    fn fcr_fifo_bits_in_iir_and_rx_clear() {
        let mut u = uart();
        u.write(2, 1, 0x01).unwrap();
        assert_eq!(u.read(2, 1), Ok(0xC1));
        u.push_input(b"abc");
        u.write(2, 1, 0x07).unwrap(); // enable + clear RX/TX
        assert!(!u.has_pending_input());
        assert_eq!(u.read(2, 1), Ok(0xC1));
        u.push_input(b"abc");
        u.write(2, 1, 0x00).unwrap(); // disabling FIFOs clears them too
        assert!(!u.has_pending_input());
        assert_eq!(u.read(2, 1), Ok(0x01));
        u.push_input(b"z");
        u.write(2, 1, 0x00).unwrap(); // no change: keep data
        assert!(u.has_pending_input());
    }

    #[test]
    fn rx_interrupt() {
        let mut u = uart();
        u.push_input(b"q");
        assert!(!u.irq(), "masked by IER");
        u.write(1, 1, u64::from(IER_ERBFI)).unwrap();
        assert!(u.irq());
        assert_eq!(u.read(2, 1), Ok(0x04));
        assert!(u.irq(), "IIR read does not clear RDA");
        assert_eq!(u.read(0, 1), Ok(u64::from(b'q')));
        assert!(!u.irq());
        assert_eq!(u.read(2, 1), Ok(0x01));
    }

    #[test]
    fn thre_interrupt_on_enable_and_cleared_by_iir_read() {
        let mut u = uart();
        u.write(2, 1, 0x01).unwrap();
        u.write(1, 1, u64::from(IER_ETBEI)).unwrap();
        assert!(u.irq());
        assert_eq!(u.read(2, 1), Ok(0xC2));
        assert!(!u.irq(), "IIR read with THRI as source clears it");
        assert_eq!(u.read(2, 1), Ok(0xC1));
        // Rewriting IER with ETBEI already set does not re-arm.
        u.write(1, 1, u64::from(IER_ETBEI)).unwrap();
        assert!(!u.irq());
        // 0 -> 1 transition re-arms (Linux UART_BUG_THRE probe sequence).
        u.write(1, 1, 0).unwrap();
        assert!(!u.irq());
        u.write(1, 1, u64::from(IER_ETBEI)).unwrap();
        assert!(u.irq());
    }

    #[test]
    fn thre_interrupt_rearmed_by_thr_write() {
        let mut u = uart();
        u.write(1, 1, u64::from(IER_ETBEI)).unwrap();
        assert_eq!(u.read(2, 1), Ok(0x02));
        assert!(!u.irq());
        u.write(0, 1, u64::from(b'A')).unwrap();
        assert!(u.irq(), "THR empties immediately after the write");
        // Disabling ETBEI masks it (driver's stop_tx).
        u.write(1, 1, 0).unwrap();
        assert!(!u.irq());
        assert_eq!(u.take_output(), b"A".to_vec());
    }

    #[test]
    fn rx_has_priority_over_thre() {
        let mut u = uart();
        u.write(1, 1, u64::from(IER_ERBFI | IER_ETBEI)).unwrap();
        u.push_input(b"k");
        assert_eq!(u.read(2, 1), Ok(0x04));
        // THRI still latched: reading IIR while RDA is the source must not clear it.
        u.read(0, 1).unwrap();
        assert_eq!(u.read(2, 1), Ok(0x02));
        assert_eq!(u.read(2, 1), Ok(0x01));
    }

    #[test]
    fn mcr_scr_lsr_msr() {
        let mut u = uart();
        u.write(4, 1, 0xFF).unwrap();
        assert_eq!(u.read(4, 1), Ok(0x1F));
        u.write(7, 1, 0x5A).unwrap();
        assert_eq!(u.read(7, 1), Ok(0x5A));
        u.write(5, 1, 0).unwrap();
        u.write(6, 1, 0).unwrap();
        assert_eq!(u.read(5, 1), Ok(0x60));
        assert_eq!(u.read(6, 1), Ok(0xB0));
    }

    #[test]
    fn wide_accesses_touch_one_register() {
        let mut u = uart();
        u.push_input(b"xy");
        assert_eq!(u.read(0, 4), Ok(u64::from(b'x')));
        assert_eq!(u.read(0, 8), Ok(u64::from(b'y')));
        assert_eq!(u.read(4, 4), Ok(0));
        u.write(0, 4, 0xFFFF_FF41).unwrap();
        assert_eq!(u.take_output(), b"A".to_vec());
        assert_eq!(u.read(1, 1), Ok(0), "IER not written by a wide THR write");
        assert_eq!(u.read(6, 2), Ok(0xB0));
    }

    #[test]
    fn bad_sizes_and_offsets_fault() {
        let mut u = uart();
        for (off, size) in [
            (0u64, 3u8),
            (0, 0),
            (0, 16),
            (1, 2),
            (2, 4),
            (4, 8),
            (8, 1),
            (0xFF, 1),
            (0x100, 1),
            (u64::MAX, 1),
            (u64::MAX - 7, 8),
        ] {
            assert_eq!(u.read(off, size), Err(()), "{off:#x}/{size}");
            assert_eq!(u.write(off, size, 0x41), Err(()), "{off:#x}/{size}");
        }
        assert!(u.take_output().is_empty());
        for off in 0..0x110u64 {
            for size in 0..=9u8 {
                let _ = u.read(off, size);
            }
        }
    }
}
