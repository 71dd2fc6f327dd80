//! SiFive CLINT (Core-Local Interruptor) as found on QEMU `virt`.
//!
//! Sources:
//! * SiFive FU540-C000 Manual v1.0, chapter 9 "Core Local Interruptor (CLINT)",
//!   table 56 (memory map) and §9.2–9.3 (MSIP, MTIME/MTIMECMP).
//! * RISC-V ACLINT spec v1.0 (MSWI §3, MTIMER §2), which is what QEMU's
//!   `hw/intc/riscv_aclint.c` implements; QEMU `virt` places an MSWI at
//!   0x0000 (size 0x4000) and an MTIMER at 0x4000 (size 0x8000), so mtime is at
//!   0x4000 + 0x7FF8 = 0xBFF8.
//!
//! Access rules (mirroring QEMU's `MemoryRegionOps.valid`):
//! * `msip` area 0x0000..0x4000: 4-byte naturally aligned accesses only.
//! * timer area 0x4000..0xC000: 4- or 8-byte naturally aligned accesses; a
//!   4-byte access touches one 32-bit half of a 64-bit register.
//! * 0xC000..0x10000 is not backed by any device in QEMU: access fault.
//! * Unimplemented registers inside the two areas (e.g. `msip` of a hart that
//!   does not exist) read as zero and ignore writes, as QEMU does.
//!
//! The time base is owned by the CLINT and is advanced only by the machine
//! (from its virtual cycle count) through [`Clint::advance`]; host wall-clock
//! time is never used.

/// Start of the `msip` array (FU540 manual table 56; ACLINT MSWI §3.1).
const MSIP_BASE: u64 = 0x0000;
/// End (exclusive) of the MSWI area in QEMU `virt` (`RISCV_ACLINT_SWI_SIZE`).
const MSWI_END: u64 = 0x4000;
/// Start of the `mtimecmp` array (FU540 manual table 56; ACLINT MTIMER §2.1).
const MTIMECMP_BASE: u64 = 0x4000;
/// Offset of `mtime` (FU540 manual table 56; QEMU 0x4000 + `RISCV_ACLINT_DEFAULT_MTIME`).
const MTIME_OFFSET: u64 = 0xBFF8;
/// End (exclusive) of the MTIMER area in QEMU `virt`
/// (0x4000 + `RISCV_ACLINT_DEFAULT_MTIMER_SIZE`).
const MTIMER_END: u64 = 0xC000;

/// The CLINT: per-hart machine software interrupt (`msip`) and machine timer
/// (`mtimecmp`) registers plus the shared `mtime` counter.
#[derive(Debug, Clone)]
pub struct Clint {
    /// `msip[h]`, only bit 0 is implemented (FU540 manual §9.2).
    msip: Vec<bool>,
    /// `mtimecmp[h]` in timebase ticks (FU540 manual §9.3).
    mtimecmp: Vec<u64>,
    /// `mtime` in timebase ticks ([`crate::devices::TIMEBASE_HZ`] per second).
    mtime: u64,
}

impl Clint {
    /// Creates a CLINT for `harts` harts (hart IDs `0..harts`).
    ///
    /// Reset state: `msip` = 0 (ACLINT spec §3.1), `mtime` = 0 (ACLINT spec
    /// §2.1), `mtimecmp` = `u64::MAX` (the spec leaves it unspecified; MAX
    /// keeps MTIP low until software programs it).
    pub fn new(harts: usize) -> Self {
        Clint {
            msip: vec![false; harts],
            mtimecmp: vec![u64::MAX; harts],
            mtime: 0,
        }
    }

    /// Number of harts this CLINT serves.
    pub fn harts(&self) -> usize {
        self.msip.len()
    }

    /// Current `mtime`, in timebase ticks.
    pub fn mtime(&self) -> u64 {
        self.mtime
    }

    /// Sets `mtime` to `v` timebase ticks.
    pub fn set_mtime(&mut self, v: u64) {
        self.mtime = v;
    }

    /// Advances `mtime` by `ticks` timebase ticks (wrapping at 2^64 like the
    /// hardware counter).
    pub fn advance(&mut self, ticks: u64) {
        self.mtime = self.mtime.wrapping_add(ticks);
    }

    /// Machine software interrupt line of `hart` (`msip[hart]` bit 0; feeds
    /// `mip.MSIP`). False for a hart that does not exist.
    pub fn msip(&self, hart: usize) -> bool {
        self.msip.get(hart).copied().unwrap_or(false)
    }

    /// Machine timer interrupt line of `hart`: `mtime >= mtimecmp[hart]`
    /// (unsigned compare, FU540 manual §9.3; feeds `mip.MTIP`). False for a
    /// hart that does not exist.
    pub fn mtip(&self, hart: usize) -> bool {
        self.mtimecmp
            .get(hart)
            .is_some_and(|&cmp| self.mtime >= cmp)
    }

    /// `mtimecmp[hart]` in timebase ticks (`u64::MAX` for a hart that does
    /// not exist).
    pub fn mtimecmp(&self, hart: usize) -> u64 {
        self.mtimecmp.get(hart).copied().unwrap_or(u64::MAX)
    }

    /// Number of ticks until `mtip(hart)` becomes true (0 if it already is,
    /// `None` if `mtimecmp[hart]` is `u64::MAX` or the hart does not exist).
    /// Lets the machine skip idle time when every hart is in WFI.
    pub fn ticks_until_mtip(&self, hart: usize) -> Option<u64> {
        let cmp = *self.mtimecmp.get(hart)?;
        if self.mtime >= cmp {
            Some(0)
        } else if cmp == u64::MAX {
            None
        } else {
            Some(cmp - self.mtime)
        }
    }

    /// MMIO read of `size` bytes at byte `offset` from [`crate::devices::CLINT_BASE`].
    /// `Err(())` = load access fault (see the module docs for the rules).
    pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()> {
        match Self::decode(offset, size)? {
            Reg::Msip(h) => Ok(u64::from(self.msip(h))),
            Reg::Mtimecmp(h, half) => Ok(self.mtimecmp.get(h).map_or(0, |&v| read_part(v, half))),
            Reg::Mtime(half) => Ok(read_part(self.mtime, half)),
        }
    }

    /// MMIO write of the low `size` bytes of `value` at byte `offset` from
    /// [`crate::devices::CLINT_BASE`]. `Err(())` = store access fault.
    pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()> {
        match Self::decode(offset, size)? {
            Reg::Msip(h) => {
                // Only bit 0 is writable; the rest are hardwired to zero
                // (FU540 manual §9.2, ACLINT §3.1).
                match self.msip.get_mut(h) {
                    Some(m) => *m = value & 1 != 0,
                    None => log::debug!("clint: msip write for missing hart {h} ignored"),
                }
            }
            Reg::Mtimecmp(h, half) => match self.mtimecmp.get_mut(h) {
                Some(cmp) => *cmp = write_part(*cmp, half, value),
                None => log::debug!("clint: mtimecmp write for missing hart {h} ignored"),
            },
            Reg::Mtime(half) => self.mtime = write_part(self.mtime, half, value),
        }
        Ok(())
    }

    /// Decodes an access into the register (and part of it) it touches.
    fn decode(offset: u64, size: u8) -> Result<Reg, ()> {
        if offset < MSWI_END {
            if size != 4 || !offset.is_multiple_of(4) {
                return Err(());
            }
            let idx = usize::try_from((offset - MSIP_BASE) / 4).map_err(|_| ())?;
            return Ok(Reg::Msip(idx));
        }
        if offset < MTIMER_END {
            if !(size == 4 || size == 8) || !offset.is_multiple_of(u64::from(size)) {
                return Err(());
            }
            let part = match (size, offset % 8) {
                (8, _) => Part::Full,
                (_, 0) => Part::Low,
                _ => Part::High,
            };
            let reg_off = offset & !7;
            if reg_off == MTIME_OFFSET {
                return Ok(Reg::Mtime(part));
            }
            let idx = usize::try_from((reg_off - MTIMECMP_BASE) / 8).map_err(|_| ())?;
            // Offsets past the last hart's mtimecmp give idx >= harts, which
            // read()/write() treat as read-as-zero / write-ignored.
            return Ok(Reg::Mtimecmp(idx, part));
        }
        Err(())
    }
}

/// Which register an access targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reg {
    Msip(usize),
    Mtimecmp(usize, Part),
    Mtime(Part),
}

/// Which part of a 64-bit register an access targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Full,
    Low,
    High,
}

fn read_part(v: u64, part: Part) -> u64 {
    match part {
        Part::Full => v,
        Part::Low => v & 0xFFFF_FFFF,
        Part::High => v >> 32,
    }
}

fn write_part(old: u64, part: Part, value: u64) -> u64 {
    match part {
        Part::Full => value,
        Part::Low => (old & !0xFFFF_FFFF) | (value & 0xFFFF_FFFF),
        Part::High => (old & 0xFFFF_FFFF) | (value << 32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_values() {
        let mut c = Clint::new(2);
        assert_eq!(c.harts(), 2);
        assert_eq!(c.mtime(), 0);
        for h in 0..2 {
            assert!(!c.msip(h));
            assert!(!c.mtip(h));
            assert_eq!(c.mtimecmp(h), u64::MAX);
            assert_eq!(c.read(4 * h as u64, 4), Ok(0));
            assert_eq!(c.read(0x4000 + 8 * h as u64, 8), Ok(u64::MAX));
        }
        assert_eq!(c.read(0xBFF8, 8), Ok(0));
    }

    #[test]
    fn msip_only_bit0_writable() {
        let mut c = Clint::new(2);
        c.write(4, 4, 0xFFFF_FFFF).unwrap();
        assert_eq!(c.read(4, 4), Ok(1));
        assert!(c.msip(1));
        assert!(!c.msip(0));
        c.write(4, 4, 0xFFFF_FFFE).unwrap();
        assert_eq!(c.read(4, 4), Ok(0));
        assert!(!c.msip(1));
    }

    #[test]
    fn msip_of_missing_hart_is_raz_wi() {
        let mut c = Clint::new(1);
        c.write(4, 4, 1).unwrap();
        assert_eq!(c.read(4, 4), Ok(0));
        assert_eq!(c.read(0x3FFC, 4), Ok(0));
        assert!(!c.msip(1));
    }

    #[test]
    fn msip_size_and_alignment() {
        let mut c = Clint::new(1);
        assert_eq!(c.read(0, 8), Err(()));
        assert_eq!(c.read(0, 1), Err(()));
        assert_eq!(c.read(0, 2), Err(()));
        assert_eq!(c.read(2, 4), Err(()));
        assert_eq!(c.write(0, 8, 1), Err(()));
        assert_eq!(c.write(1, 1, 1), Err(()));
        assert!(!c.msip(0));
    }

    #[test]
    fn mtimecmp_full_and_halves() {
        let mut c = Clint::new(2);
        c.write(0x4008, 8, 0x1122_3344_5566_7788).unwrap();
        assert_eq!(c.mtimecmp(1), 0x1122_3344_5566_7788);
        assert_eq!(c.read(0x4008, 4), Ok(0x5566_7788));
        assert_eq!(c.read(0x400C, 4), Ok(0x1122_3344));
        // Low word alone.
        c.write(0x4008, 4, 0xAAAA_BBBB_0000_0001).unwrap();
        assert_eq!(c.mtimecmp(1), 0x1122_3344_0000_0001);
        // High word alone.
        c.write(0x400C, 4, 0x0000_0000_DEAD_BEEF).unwrap();
        assert_eq!(c.mtimecmp(1), 0xDEAD_BEEF_0000_0001);
        // Hart 0 untouched.
        assert_eq!(c.mtimecmp(0), u64::MAX);
    }

    #[test]
    fn mtime_full_and_halves() {
        let mut c = Clint::new(1);
        c.set_mtime(0x0000_0001_FFFF_FFFF);
        assert_eq!(c.read(0xBFF8, 8), Ok(0x0000_0001_FFFF_FFFF));
        assert_eq!(c.read(0xBFF8, 4), Ok(0xFFFF_FFFF));
        assert_eq!(c.read(0xBFFC, 4), Ok(1));
        c.write(0xBFF8, 4, 5).unwrap();
        assert_eq!(c.mtime(), 0x0000_0001_0000_0005);
        c.write(0xBFFC, 4, 7).unwrap();
        assert_eq!(c.mtime(), 0x0000_0007_0000_0005);
        c.write(0xBFF8, 8, 42).unwrap();
        assert_eq!(c.mtime(), 42);
        c.advance(8);
        assert_eq!(c.read(0xBFF8, 8), Ok(50));
        c.set_mtime(u64::MAX);
        c.advance(2);
        assert_eq!(c.mtime(), 1);
    }

    #[test]
    fn mtip_edge() {
        let mut c = Clint::new(1);
        c.write(0x4000, 8, 100).unwrap();
        c.set_mtime(98);
        assert!(!c.mtip(0));
        assert_eq!(c.ticks_until_mtip(0), Some(2));
        c.advance(1);
        assert!(!c.mtip(0));
        c.advance(1);
        assert!(c.mtip(0), "mtime == mtimecmp must raise MTIP");
        assert_eq!(c.ticks_until_mtip(0), Some(0));
        c.advance(1);
        assert!(c.mtip(0));
        // Moving mtimecmp into the future lowers MTIP.
        c.write(0x4000, 8, 1000).unwrap();
        assert!(!c.mtip(0));
        // Writing the high half to all-ones first (the recommended RV32
        // sequence) keeps MTIP low while the low half is updated.
        c.write(0x4004, 4, 0xFFFF_FFFF).unwrap();
        c.write(0x4000, 4, 0).unwrap();
        assert!(!c.mtip(0));
        c.write(0x4004, 4, 0).unwrap();
        assert!(c.mtip(0));
        // Moving mtime backwards lowers it again.
        c.write(0x4000, 8, 50).unwrap();
        c.set_mtime(10);
        assert!(!c.mtip(0));
        assert_eq!(Clint::new(1).ticks_until_mtip(0), None);
        assert_eq!(c.ticks_until_mtip(5), None);
    }

    #[test]
    fn timer_area_sizes_and_alignment() {
        let mut c = Clint::new(1);
        assert_eq!(c.read(0x4000, 1), Err(()));
        assert_eq!(c.read(0x4000, 2), Err(()));
        assert_eq!(c.read(0x4004, 8), Err(()));
        assert_eq!(c.read(0x4002, 4), Err(()));
        assert_eq!(c.read(0xBFFC, 8), Err(()));
        assert_eq!(c.write(0xBFF9, 1, 0), Err(()));
        assert_eq!(c.read(0x4000, 3), Err(()));
        assert_eq!(c.read(0x4000, 0), Err(()));
        assert_eq!(c.read(0x4000, 16), Err(()));
        assert_eq!(c.mtimecmp(0), u64::MAX);
    }

    #[test]
    fn mtimecmp_of_missing_hart_is_raz_wi() {
        let mut c = Clint::new(1);
        c.write(0x4008, 8, 5).unwrap();
        assert_eq!(c.read(0x4008, 8), Ok(0));
        assert_eq!(c.read(0xBFF0, 8), Ok(0));
        assert_eq!(c.mtimecmp(1), u64::MAX);
        assert!(!c.mtip(1));
    }

    #[test]
    fn out_of_range_faults_without_panic() {
        let mut c = Clint::new(4);
        for off in [0xC000, 0xFFF8, 0xFFFC, 0x1_0000, u64::MAX - 7, u64::MAX] {
            for size in [0u8, 1, 2, 3, 4, 5, 8, 255] {
                assert_eq!(c.read(off, size), Err(()), "{off:#x}/{size}");
                assert_eq!(c.write(off, size, 0), Err(()), "{off:#x}/{size}");
            }
        }
        // Sweep the whole window with every size: no panic.
        for off in 0..0x1_0010u64 {
            for size in [1u8, 2, 3, 4, 8] {
                let _ = c.read(off, size);
            }
        }
    }

    #[test]
    fn zero_harts_does_not_panic() {
        let mut c = Clint::new(0);
        assert_eq!(c.read(0, 4), Ok(0));
        assert_eq!(c.read(0x4000, 8), Ok(0));
        assert!(!c.mtip(0));
        assert!(!c.msip(0));
        assert_eq!(c.write(0x4000, 8, 0), Ok(()));
    }
}
