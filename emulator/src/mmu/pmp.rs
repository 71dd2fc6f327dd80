//! Physical memory protection (Privileged ISA 20211203, §3.7): 16 entries,
//! address matching OFF/TOR/NA4/NAPOT, the lock bit, granularity 4 bytes.

use crate::cpu::Priv;

/// Number of implemented PMP entries (the spec allows 0, 16 or 64).
pub const PMP_ENTRIES: usize = 16;

/// `pmpcfg` bits (§3.7.1, Figure 3.32).
pub const R: u8 = 1;
pub const W: u8 = 2;
pub const X: u8 = 4;
pub const A_MASK: u8 = 0x18;
pub const A_TOR: u8 = 0x08;
pub const A_NA4: u8 = 0x10;
pub const A_NAPOT: u8 = 0x18;
pub const L: u8 = 0x80;

/// `pmpaddr` holds physical address bits 55:2 (§3.7.1, Figure 3.31).
const ADDR_MASK: u64 = (1 << 54) - 1;

/// The kind of access a PMP check is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessType {
    Fetch,
    Load,
    Store,
}

impl AccessType {
    fn perm(self) -> u8 {
        match self {
            AccessType::Fetch => X,
            AccessType::Load => R,
            AccessType::Store => W,
        }
    }
}

/// The PMP registers of one hart, with each entry's decoded byte range.
#[derive(Clone, Debug)]
pub struct Pmp {
    cfg: [u8; PMP_ENTRIES],
    addr: [u64; PMP_ENTRIES],
    /// Decoded `[lo, hi)` byte range per entry (empty when OFF).
    range: [(u64, u64); PMP_ENTRIES],
    /// Whether any entry is active (A != OFF).
    any_active: bool,
}

impl Default for Pmp {
    fn default() -> Self {
        Pmp {
            cfg: [0; PMP_ENTRIES],
            addr: [0; PMP_ENTRIES],
            range: [(0, 0); PMP_ENTRIES],
            any_active: false,
        }
    }
}

impl Pmp {
    /// Read `pmpcfgN` (N even on RV64: 0, 2, ... 14), 8 entries per register.
    pub fn read_cfg(&self, n: usize) -> u64 {
        let first = n * 4;
        (0..8)
            .filter(|i| first + i < PMP_ENTRIES)
            .fold(0, |acc, i| acc | (self.cfg[first + i] as u64) << (8 * i))
    }

    /// Write `pmpcfgN`: locked entries ignore writes; W without R is
    /// reserved and reads back as W = 0 (as Spike and QEMU do).
    pub fn write_cfg(&mut self, n: usize, value: u64) {
        let first = n * 4;
        for i in 0..8 {
            let e = first + i;
            if e >= PMP_ENTRIES || self.cfg[e] & L != 0 {
                continue;
            }
            let mut c = (value >> (8 * i)) as u8 & (R | W | X | A_MASK | L);
            if c & R == 0 {
                c &= !W;
            }
            self.cfg[e] = c;
        }
        self.decode();
    }

    /// Read `pmpaddrN`.
    pub fn read_addr(&self, n: usize) -> u64 {
        self.addr.get(n).copied().unwrap_or(0)
    }

    /// Write `pmpaddrN`; ignored when entry N is locked, or when entry N+1
    /// is a locked TOR entry (§3.7.1.2).
    pub fn write_addr(&mut self, n: usize, value: u64) {
        if n >= PMP_ENTRIES || self.cfg[n] & L != 0 {
            return;
        }
        if n + 1 < PMP_ENTRIES && self.cfg[n + 1] & L != 0 && self.cfg[n + 1] & A_MASK == A_TOR {
            return;
        }
        self.addr[n] = value & ADDR_MASK;
        self.decode();
    }

    fn decode(&mut self) {
        self.any_active = false;
        for i in 0..PMP_ENTRIES {
            let a = self.addr[i];
            self.range[i] = match self.cfg[i] & A_MASK {
                A_TOR => {
                    let lo = if i == 0 { 0 } else { self.addr[i - 1] << 2 };
                    (lo, a << 2)
                }
                A_NA4 => (a << 2, (a << 2) + 4),
                A_NAPOT => {
                    // Trailing ones of pmpaddr give the size: 2^(ones + 3) bytes.
                    let ones = a.trailing_ones() as u64;
                    if ones >= 54 {
                        (0, u64::MAX)
                    } else {
                        let size = 1u64 << (ones + 3);
                        let base = (a & !((1u64 << ones) - 1)) << 2;
                        (base, base.saturating_add(size))
                    }
                }
                _ => (0, 0),
            };
            if self.cfg[i] & A_MASK != 0 {
                self.any_active = true;
            }
        }
    }

    /// Whether an access of `size` bytes at physical address `pa` with
    /// effective privilege `prv` is allowed (§3.7.1.3: the lowest-numbered
    /// entry matching any byte decides; it must match all bytes; with no
    /// match M-mode succeeds and S/U-mode fails).
    pub fn check(&self, pa: u64, size: u64, access: AccessType, prv: Priv) -> bool {
        if !self.any_active {
            return prv == Priv::M;
        }
        let end = pa.saturating_add(size);
        for i in 0..PMP_ENTRIES {
            let (lo, hi) = self.range[i];
            if lo >= hi || end <= lo || pa >= hi {
                continue;
            }
            if pa < lo || end > hi {
                return false; // partial match
            }
            let cfg = self.cfg[i];
            if prv == Priv::M && cfg & L == 0 {
                return true;
            }
            return cfg & access.perm() != 0;
        }
        prv == Priv::M
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_entries_m_only() {
        let p = Pmp::default();
        assert!(p.check(0x8000_0000, 8, AccessType::Load, Priv::M));
        assert!(!p.check(0x8000_0000, 8, AccessType::Load, Priv::S));
    }

    #[test]
    fn napot_all_and_tor() {
        let mut p = Pmp::default();
        p.write_addr(0, u64::MAX);
        p.write_cfg(0, (A_NAPOT | R | W | X) as u64);
        assert!(p.check(0x8000_0000, 8, AccessType::Store, Priv::U));
        // TOR entry 1 below 0x1000 read-only, placed before a full NAPOT entry 2
        let mut p = Pmp::default();
        p.write_addr(0, 0x1000 >> 2);
        p.write_addr(1, u64::MAX);
        p.write_cfg(0, (A_TOR | R) as u64 | ((A_NAPOT | R | W | X) as u64) << 8);
        assert!(p.check(0x800, 4, AccessType::Load, Priv::S));
        assert!(!p.check(0x800, 4, AccessType::Store, Priv::S));
        assert!(p.check(0x800, 4, AccessType::Store, Priv::M)); // unlocked: M passes
        assert!(!p.check(0xffc, 8, AccessType::Load, Priv::S)); // straddles entry 0
        assert!(p.check(0x1000, 8, AccessType::Store, Priv::S));
    }

    #[test]
    fn lock_and_reserved() {
        let mut p = Pmp::default();
        p.write_addr(0, 0x2000 >> 2);
        p.write_cfg(0, (A_NA4 | W) as u64); // W without R -> W cleared
        assert_eq!(p.read_cfg(0) & 0xff, A_NA4 as u64);
        p.write_cfg(0, (A_NA4 | L) as u64);
        assert!(!p.check(0x2000, 4, AccessType::Load, Priv::M)); // locked applies to M
        p.write_cfg(0, 0);
        p.write_addr(0, 0);
        assert_eq!(p.read_cfg(0) & 0xff, (A_NA4 | L) as u64);
        assert_eq!(p.read_addr(0), 0x2000 >> 2);
    }
}
