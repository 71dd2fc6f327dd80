//! SiFive test finisher ("sifive,test0"), as in QEMU `hw/misc/sifive_test.c`
//! and `include/hw/misc/sifive_test.h`.
//!
//! One write-only control register at offset 0 (bits 15:0 = status, bits
//! 31:16 = exit code):
//! * status `0x5555` (`FINISHER_PASS`): power off, success;
//! * status `0x3333` (`FINISHER_FAIL`): power off, failure with exit code
//!   `value >> 16` (QEMU calls `exit(code)`);
//! * status `0x7777` (`FINISHER_RESET`): system reset.
//!
//! Any other value, or a write at a non-zero offset, is ignored with a warning
//! (QEMU logs a guest error). Every read returns 0.
//!
//! Access rules mirror QEMU's `sifive_test_ops.valid` (min 2, max 4 bytes):
//! naturally aligned 2- or 4-byte accesses inside the 0x1000-byte window;
//! 1- and 8-byte accesses fault. A 2-byte write carries only the status, so its
//! exit code is 0.
//!
//! The device only records the request; the machine polls
//! [`SifiveTest::take_request`] (e.g. after each store to this device) and acts.

/// Size in bytes of the device window (QEMU `sifive_test_init`).
const WINDOW: u64 = 0x1000;

/// Status value requesting a failing power-off (QEMU `FINISHER_FAIL`).
pub const FINISHER_FAIL: u16 = 0x3333;
/// Status value requesting a passing power-off (QEMU `FINISHER_PASS`).
pub const FINISHER_PASS: u16 = 0x5555;
/// Status value requesting a system reset (QEMU `FINISHER_RESET`).
pub const FINISHER_RESET: u16 = 0x7777;

/// What the guest asked the finisher to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinisherRequest {
    /// Power off with success (status 0x5555); exit status 0.
    Pass,
    /// Power off with failure (status 0x3333); the payload is the exit code
    /// from bits 31:16 of the written value (may be 0, which QEMU would turn
    /// into exit status 0).
    Fail(u16),
    /// Reset the whole system (status 0x7777).
    Reset,
}

/// SiFive test finisher.
#[derive(Debug, Clone, Default)]
pub struct SifiveTest {
    /// First request written and not yet taken (QEMU acts on the first one
    /// immediately, so later ones are ignored until this is taken).
    request: Option<FinisherRequest>,
}

impl SifiveTest {
    /// Creates the device with no pending request.
    pub fn new() -> Self {
        SifiveTest { request: None }
    }

    /// Returns and clears the pending request, if any.
    pub fn take_request(&mut self) -> Option<FinisherRequest> {
        self.request.take()
    }

    fn access_ok(offset: u64, size: u8) -> bool {
        matches!(size, 2 | 4) && super::access_ok(offset, size, WINDOW)
    }

    /// MMIO read of `size` bytes at byte `offset` from
    /// [`crate::devices::SIFIVE_TEST_BASE`]: always 0 (QEMU
    /// `sifive_test_read`). `Err(())` = load access fault.
    pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()> {
        if !Self::access_ok(offset, size) {
            return Err(());
        }
        Ok(0)
    }

    /// MMIO write of the low `size` bytes of `value` at byte `offset` from
    /// [`crate::devices::SIFIVE_TEST_BASE`] (QEMU `sifive_test_write`).
    /// `Err(())` = store access fault.
    pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()> {
        if !Self::access_ok(offset, size) {
            return Err(());
        }
        let value = value & if size == 2 { 0xFFFF } else { 0xFFFF_FFFF };
        let status = (value & 0xFFFF) as u16;
        let code = ((value >> 16) & 0xFFFF) as u16;
        let req = match (offset, status) {
            (0, FINISHER_PASS) => Some(FinisherRequest::Pass),
            (0, FINISHER_FAIL) => Some(FinisherRequest::Fail(code)),
            (0, FINISHER_RESET) => Some(FinisherRequest::Reset),
            _ => None,
        };
        match req {
            Some(r) => {
                if self.request.is_none() {
                    self.request = Some(r);
                }
            }
            None => log::warn!(
                "sifive_test: ignored write offset={offset:#x} size={size} value={value:#x}"
            ),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_state_and_reads() {
        let mut t = SifiveTest::new();
        assert_eq!(t.take_request(), None);
        assert_eq!(t.read(0, 4), Ok(0));
        assert_eq!(t.read(0, 2), Ok(0));
        assert_eq!(t.read(0xFFC, 4), Ok(0));
        t.write(0, 4, 0x5555).unwrap();
        assert_eq!(t.read(0, 4), Ok(0), "write-only register reads 0");
    }

    #[test]
    fn pass() {
        let mut t = SifiveTest::new();
        t.write(0, 4, 0x5555).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Pass));
        assert_eq!(t.take_request(), None);
        // Upper bits are ignored for PASS.
        t.write(0, 4, 0x0001_5555).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Pass));
    }

    #[test]
    fn fail_with_code() {
        let mut t = SifiveTest::new();
        t.write(0, 4, (42 << 16) | 0x3333).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(42)));
        t.write(0, 4, 0xFFFF_3333).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(0xFFFF)));
        t.write(0, 4, 0x3333).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(0)));
        // Bits above 31 are not part of a 4-byte write.
        t.write(0, 4, 0x1_0000_3333).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(0)));
    }

    #[test]
    fn reset() {
        let mut t = SifiveTest::new();
        t.write(0, 4, 0x7777).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Reset));
    }

    #[test]
    fn halfword_write_has_no_code() {
        let mut t = SifiveTest::new();
        t.write(0, 2, 0x0005_3333).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(0)));
        t.write(0, 2, 0x5555).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Pass));
    }

    #[test]
    fn other_values_and_offsets_ignored() {
        let mut t = SifiveTest::new();
        for v in [0u64, 1, 0x1234, 0x5554, 0x3334, 0x7776, 0x5555_0000] {
            t.write(0, 4, v).unwrap();
            assert_eq!(t.take_request(), None, "{v:#x}");
        }
        t.write(4, 4, 0x5555).unwrap();
        t.write(0xFFC, 4, 0x5555).unwrap();
        t.write(2, 2, 0x5555).unwrap();
        assert_eq!(t.take_request(), None);
    }

    #[test]
    fn first_request_wins_until_taken() {
        let mut t = SifiveTest::new();
        t.write(0, 4, (3 << 16) | 0x3333).unwrap();
        t.write(0, 4, 0x5555).unwrap();
        assert_eq!(t.take_request(), Some(FinisherRequest::Fail(3)));
        assert_eq!(t.take_request(), None);
    }

    #[test]
    fn bad_sizes_and_offsets_fault() {
        let mut t = SifiveTest::new();
        for (off, size) in [
            (0u64, 1u8),
            (0, 8),
            (0, 3),
            (0, 0),
            (0, 16),
            (1, 2),
            (2, 4),
            (0x1000, 4),
            (0xFFE, 4),
            (u64::MAX, 2),
            (u64::MAX - 3, 4),
        ] {
            assert_eq!(t.read(off, size), Err(()), "{off:#x}/{size}");
            assert_eq!(t.write(off, size, 0x5555), Err(()), "{off:#x}/{size}");
        }
        assert_eq!(t.take_request(), None);
        assert_eq!(t.read(0xFFE, 2), Ok(0));
    }
}
