//! The Sv39 page-table walk (Privileged ISA 20211203, §4.3.2 "Virtual
//! Address Translation Process" and §4.4 "Sv39"): three levels of 512
//! eight-byte PTEs, 4 KiB pages and 2 MiB / 1 GiB superpages.

use super::pmp::{AccessType, Pmp};
use crate::bus::Bus;
use crate::cpu::Priv;

/// PTE bits (§4.3.1, Figure 4.18).
pub mod pte {
    pub const V: u64 = 1 << 0;
    pub const R: u64 = 1 << 1;
    pub const W: u64 = 1 << 2;
    pub const X: u64 = 1 << 3;
    pub const U: u64 = 1 << 4;
    pub const G: u64 = 1 << 5;
    pub const A: u64 = 1 << 6;
    pub const D: u64 = 1 << 7;
    /// RSW, bits 9:8: for software.
    pub const RSW: u64 = 3 << 8;
    pub const PPN_SHIFT: u32 = 10;
    /// PPN, bits 53:10.
    pub const PPN_MASK: u64 = ((1 << 44) - 1) << PPN_SHIFT;
    /// Bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved. None of those
    /// extensions is implemented, so any of them set is a page fault.
    pub const HIGH_MASK: u64 = !((1 << 54) - 1);
}

/// `satp.MODE` values (§4.1.11, Table 4.4).
pub const SATP_MODE_BARE: u64 = 0;
pub const SATP_MODE_SV39: u64 = 8;
/// `satp` field masks for RV64.
pub const SATP_PPN_MASK: u64 = (1 << 44) - 1;
pub const SATP_ASID_SHIFT: u32 = 44;
pub const SATP_ASID_MASK: u64 = 0xffff;

/// Page size in bytes for a leaf found at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB).
pub const fn page_size(level: u32) -> u64 {
    1 << (12 + 9 * level)
}

/// How a walk failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkFault {
    /// Page fault: invalid, reserved or non-permitted translation.
    Page,
    /// Access fault: a PTE access was denied by PMP or is not memory.
    Access,
}

/// A successful translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    /// Physical address of the accessed byte.
    pub pa: u64,
    /// Level of the leaf PTE (0 = 4 KiB page).
    pub level: u32,
    /// The leaf PTE as it is in memory after any A/D update.
    pub pte: u64,
    /// PTE memory reads the walk made.
    pub pte_reads: u32,
    /// Non-leaf PTEs read on the way, as (level, PTE address, PTE), for a
    /// page-walk cache to keep; `nonleaf_count` of them are valid.
    pub nonleaf: [(u32, u64, u64); 2],
    pub nonleaf_count: usize,
}

/// Parameters of one walk.
#[derive(Clone, Copy, Debug)]
pub struct WalkParams {
    pub satp: u64,
    pub access: AccessType,
    /// Effective privilege of the access (S or U).
    pub prv: Priv,
    /// `mstatus.SUM`: S-mode may load/store U pages.
    pub sum: bool,
    /// `mstatus.MXR`: loads may read execute-only pages.
    pub mxr: bool,
    /// Svadu: set A/D in hardware; otherwise (Svade) fault when they need setting.
    pub ad_hw: bool,
    /// Where to start: `None` = the root table in `satp` at level 2;
    /// `Some((table, level))` = a table found in a page-walk cache.
    pub start: Option<(u64, u32)>,
    /// Leave memory untouched (no A/D update): a probe, e.g. to validate a
    /// cached translation. A/D that would need setting then count as set.
    pub probe: bool,
}

/// What a walk did, whether it succeeded or not: for the statistics and
/// the page-walk cache.
#[derive(Clone, Copy, Debug)]
pub struct WalkOutcome {
    pub result: Result<Translation, WalkFault>,
    /// PTE memory reads made.
    pub pte_reads: u32,
    /// Non-leaf PTEs read, as (level, address, PTE); `nonleaf_count` valid.
    pub nonleaf: [(u32, u64, u64); 2],
    pub nonleaf_count: usize,
    /// The leaf PTE found, even when its permissions then faulted.
    pub leaf: Option<u64>,
    /// Physical addresses of the PTEs read, `pte_addrs[..pte_reads]`.
    pub pte_addrs: [u64; 3],
}

/// Walk the Sv39 page table for `va`. PTE reads and A/D writes are
/// physical S-mode accesses checked by PMP (§3.7.2 "implicit accesses").
pub fn walk(bus: &mut Bus, pmp: &Pmp, va: u64, p: WalkParams) -> Result<Translation, WalkFault> {
    walk_traced(bus, pmp, va, p).result
}

/// [`walk`], reporting what the walk read on failure too.
pub fn walk_traced(bus: &mut Bus, pmp: &Pmp, va: u64, p: WalkParams) -> WalkOutcome {
    let mut out = WalkOutcome {
        result: Err(WalkFault::Page),
        pte_reads: 0,
        nonleaf: [(0, 0, 0); 2],
        nonleaf_count: 0,
        leaf: None,
        pte_addrs: [0; 3],
    };
    out.result = walk_inner(bus, pmp, va, p, &mut out);
    out
}

fn walk_inner(
    bus: &mut Bus,
    pmp: &Pmp,
    va: u64,
    p: WalkParams,
    out: &mut WalkOutcome,
) -> Result<Translation, WalkFault> {
    // §4.4.1: bits 63:39 must all equal bit 38.
    if ((va as i64) << 25 >> 25) as u64 != va {
        return Err(WalkFault::Page);
    }
    let (mut table, start_level) = p.start.unwrap_or(((p.satp & SATP_PPN_MASK) << 12, 2));
    let mut level = start_level as i32;
    loop {
        let vpn = (va >> (12 + 9 * level as u32)) & 0x1ff;
        let pte_addr = table + vpn * 8;
        if !pmp.check(pte_addr, 8, AccessType::Load, Priv::S) {
            return Err(WalkFault::Access);
        }
        let Some(bytes) = bus.read_bytes(pte_addr, 8) else {
            return Err(WalkFault::Access);
        };
        let pte = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        if let Some(slot) = out.pte_addrs.get_mut(out.pte_reads as usize) {
            *slot = pte_addr;
        }
        out.pte_reads += 1;
        if pte & pte::V == 0
            || (pte & pte::R == 0 && pte & pte::W != 0)
            || pte & pte::HIGH_MASK != 0
        {
            return Err(WalkFault::Page);
        }
        if pte & (pte::R | pte::X) == 0 {
            // Pointer to the next level; A, D and U are reserved here.
            if pte & (pte::A | pte::D | pte::U) != 0 || level == 0 {
                return Err(WalkFault::Page);
            }
            if out.nonleaf_count < out.nonleaf.len() {
                out.nonleaf[out.nonleaf_count] = (level as u32, pte_addr, pte);
                out.nonleaf_count += 1;
            }
            level -= 1;
            table = ((pte & pte::PPN_MASK) >> pte::PPN_SHIFT) << 12;
            continue;
        }
        let level = level as u32;
        out.leaf = Some(pte);
        if !leaf_allows(pte, p.access, p.prv, p.sum, p.mxr) {
            return Err(WalkFault::Page);
        }
        // Misaligned superpage (§4.3.2 step 6).
        let ppn = (pte & pte::PPN_MASK) >> pte::PPN_SHIFT;
        if level > 0 && ppn & ((1 << (9 * level)) - 1) != 0 {
            return Err(WalkFault::Page);
        }
        let store = p.access == AccessType::Store;
        let mut pte = pte;
        if (pte & pte::A == 0 || (store && pte & pte::D == 0)) && !p.probe {
            if !p.ad_hw {
                return Err(WalkFault::Page);
            }
            // Svadu: the update is a store by the walk, checked by PMP, and
            // atomic with respect to the PTE read (one hart: trivially).
            if !pmp.check(pte_addr, 8, AccessType::Store, Priv::S) {
                return Err(WalkFault::Access);
            }
            pte |= pte::A | if store { pte::D } else { 0 };
            bus.write(pte_addr, 8, pte).map_err(|_| WalkFault::Access)?;
        }
        let offset_mask = page_size(level) - 1;
        let pa = ((ppn << 12) & !offset_mask) | (va & offset_mask);
        out.leaf = Some(pte);
        return Ok(Translation {
            pa,
            level,
            pte,
            pte_reads: out.pte_reads,
            nonleaf: out.nonleaf,
            nonleaf_count: out.nonleaf_count,
        });
    }
}

/// Leaf permission checks (§4.3.2 step 5, §4.3.1 SUM/MXR): whether a leaf
/// PTE allows `access` at privilege `prv` (S or U).
pub fn leaf_allows(pte: u64, access: AccessType, prv: Priv, sum: bool, mxr: bool) -> bool {
    let user_page = pte & pte::U != 0;
    match prv {
        Priv::U if !user_page => return false,
        Priv::S if user_page && (access == AccessType::Fetch || !sum) => return false,
        _ => {}
    }
    match access {
        AccessType::Fetch => pte & pte::X != 0,
        AccessType::Load => pte & pte::R != 0 || (mxr && pte & pte::X != 0),
        AccessType::Store => pte & pte::W != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::pte::*;
    use super::*;
    use crate::bus::DRAM_BASE;
    use crate::devices::ConsoleSink;
    use crate::mmu::pmp::{A_NAPOT, R as PR, W as PW, X as PX};

    /// A bus with 4 MiB of DRAM, an open PMP, and a bump allocator for
    /// page tables starting at DRAM + 1 MiB.
    struct World {
        bus: Bus,
        pmp: Pmp,
        root: u64,
        next: u64,
    }

    impl World {
        fn new() -> World {
            let mut pmp = Pmp::default();
            pmp.write_addr(0, u64::MAX);
            pmp.write_cfg(0, (A_NAPOT | PR | PW | PX) as u64);
            World {
                bus: Bus::new(4 << 20, 1, ConsoleSink::Buffer(Vec::new()), 100),
                pmp,
                root: DRAM_BASE + (1 << 20),
                next: DRAM_BASE + (1 << 20) + 4096,
            }
        }

        fn read(&self, pa: u64) -> u64 {
            u64::from_le_bytes(self.bus.read_bytes(pa, 8).unwrap().try_into().unwrap())
        }

        fn write(&mut self, pa: u64, v: u64) {
            self.bus.write_bytes(pa, &v.to_le_bytes()).unwrap();
        }

        /// Map `va` to `pa` with a leaf at `level` and `flags`; returns the
        /// leaf PTE's address.
        fn map(&mut self, va: u64, pa: u64, level: u32, flags: u64) -> u64 {
            let mut table = self.root;
            for l in (level + 1..=2).rev() {
                let slot = table + ((va >> (12 + 9 * l)) & 0x1ff) * 8;
                let e = self.read(slot);
                table = if e & V != 0 {
                    ((e & PPN_MASK) >> PPN_SHIFT) << 12
                } else {
                    let t = self.next;
                    self.next += 4096;
                    self.write(slot, ((t >> 12) << PPN_SHIFT) | V);
                    t
                };
            }
            let slot = table + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
            self.write(slot, ((pa >> 12) << PPN_SHIFT) | flags);
            slot
        }

        fn walk(
            &mut self,
            va: u64,
            access: AccessType,
            prv: Priv,
        ) -> Result<Translation, WalkFault> {
            self.walk_with(va, access, prv, false, false, true)
        }

        fn walk_with(
            &mut self,
            va: u64,
            access: AccessType,
            prv: Priv,
            sum: bool,
            mxr: bool,
            ad_hw: bool,
        ) -> Result<Translation, WalkFault> {
            let params = WalkParams {
                satp: (SATP_MODE_SV39 << 60) | (self.root >> 12),
                access,
                prv,
                sum,
                mxr,
                ad_hw,
                start: None,
                probe: false,
            };
            walk(&mut self.bus, &self.pmp, va, params)
        }
    }

    const RWX_AD: u64 = V | R | W | X | A | D;

    #[test]
    fn four_k_page_and_superpages() {
        let mut w = World::new();
        w.map(0x1000, DRAM_BASE + 0x20_0000, 0, RWX_AD);
        w.map(0x4000_0000, DRAM_BASE, 2, RWX_AD); // 1 GiB
        w.map(0x20_0000, DRAM_BASE + 0x20_0000, 1, RWX_AD); // 2 MiB
        let t = w.walk(0x1234, AccessType::Load, Priv::S).unwrap();
        assert_eq!((t.pa, t.level, t.pte_reads), (DRAM_BASE + 0x20_0234, 0, 3));
        assert_eq!(t.nonleaf_count, 2);
        let t = w.walk(0x4012_3456, AccessType::Load, Priv::S).unwrap();
        assert_eq!((t.pa, t.level, t.pte_reads), (DRAM_BASE + 0x12_3456, 2, 1));
        let t = w.walk(0x2f_fff8, AccessType::Store, Priv::S).unwrap();
        assert_eq!((t.pa, t.level, t.pte_reads), (DRAM_BASE + 0x2f_fff8, 1, 2));
    }

    #[test]
    fn misaligned_superpages_fault() {
        let mut w = World::new();
        w.map(0x4000_0000, DRAM_BASE + 0x1000, 2, RWX_AD); // 1 GiB leaf, PPN not 1 GiB aligned
        w.map(0x20_0000, DRAM_BASE + 0x1000, 1, RWX_AD); // 2 MiB leaf, PPN not 2 MiB aligned
        assert_eq!(
            w.walk(0x4000_0000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        assert_eq!(
            w.walk(0x20_0000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
    }

    #[test]
    fn invalid_reserved_and_noncanonical() {
        let mut w = World::new();
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        ); // V = 0
        w.map(0x1000, DRAM_BASE, 0, V | W | A | D); // W without R
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        w.map(0x2000, DRAM_BASE, 0, RWX_AD | (1 << 61)); // PBMT bits (Svpbmt absent)
        assert_eq!(
            w.walk(0x2000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        // Bit 38 set but upper bits clear: not canonical.
        assert_eq!(
            w.walk(1 << 38, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        // A non-leaf PTE with A set is reserved.
        let slot = w.map(0x3000, DRAM_BASE, 0, RWX_AD);
        let _ = slot;
        let l2 = w.root; // level-2 entry for va 0x3000 is index 0
        let e = w.read(l2);
        w.write(l2, e | A);
        assert_eq!(
            w.walk(0x3000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        // A leaf at level 0 that is a pointer (no R/W/X) is a fault.
        let mut w = World::new();
        w.map(0x1000, DRAM_BASE, 0, V);
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
    }

    #[test]
    fn permissions_u_sum_mxr() {
        let mut w = World::new();
        w.map(0x1000, DRAM_BASE, 0, V | R | W | U | A | D); // user data
        w.map(0x2000, DRAM_BASE, 0, V | X | A | D); // supervisor execute-only
        w.map(0x3000, DRAM_BASE, 0, V | R | X | U | A | D); // user code
                                                            // U page: U-mode yes; S-mode only with SUM, and never to execute.
        assert!(w.walk(0x1000, AccessType::Store, Priv::U).is_ok());
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        assert!(w
            .walk_with(0x1000, AccessType::Load, Priv::S, true, false, true)
            .is_ok());
        assert_eq!(
            w.walk_with(0x3000, AccessType::Fetch, Priv::S, true, false, true),
            Err(WalkFault::Page)
        );
        // S page from U: fault.
        assert_eq!(
            w.walk(0x2000, AccessType::Fetch, Priv::U),
            Err(WalkFault::Page)
        );
        // Execute-only: loads only with MXR; stores never.
        assert_eq!(
            w.walk(0x2000, AccessType::Load, Priv::S),
            Err(WalkFault::Page)
        );
        assert!(w
            .walk_with(0x2000, AccessType::Load, Priv::S, false, true, true)
            .is_ok());
        assert_eq!(
            w.walk(0x2000, AccessType::Store, Priv::S),
            Err(WalkFault::Page)
        );
        assert!(w.walk(0x2000, AccessType::Fetch, Priv::S).is_ok());
    }

    #[test]
    fn accessed_and_dirty_bits() {
        // Svadu: the walk sets A on a load, A and D on a store.
        let mut w = World::new();
        let slot = w.map(0x1000, DRAM_BASE, 0, V | R | W);
        w.walk(0x1000, AccessType::Load, Priv::S).unwrap();
        assert_eq!(w.read(slot) & (A | D), A);
        let t = w.walk(0x1000, AccessType::Store, Priv::S).unwrap();
        assert_eq!(w.read(slot) & (A | D), A | D);
        assert_eq!(t.pte & (A | D), A | D);
        // Svade: the same accesses fault and memory is unchanged.
        let mut w = World::new();
        let slot = w.map(0x1000, DRAM_BASE, 0, V | R | W);
        assert_eq!(
            w.walk_with(0x1000, AccessType::Load, Priv::S, false, false, false),
            Err(WalkFault::Page)
        );
        w.write(slot, w.read(slot) | A);
        assert!(w
            .walk_with(0x1000, AccessType::Load, Priv::S, false, false, false)
            .is_ok());
        assert_eq!(
            w.walk_with(0x1000, AccessType::Store, Priv::S, false, false, false),
            Err(WalkFault::Page)
        );
        assert_eq!(w.read(slot) & D, 0);
    }

    #[test]
    fn pte_access_outside_memory_or_pmp_is_an_access_fault() {
        let mut w = World::new();
        // Root entry pointing outside DRAM.
        w.write(w.root, ((0x1000_0000u64 >> 12) << PPN_SHIFT) | V);
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Access)
        );
        // PMP denying the page table.
        let mut w = World::new();
        w.map(0x1000, DRAM_BASE, 0, RWX_AD);
        w.pmp = Pmp::default(); // no entries: S-mode accesses fail
        assert_eq!(
            w.walk(0x1000, AccessType::Load, Priv::S),
            Err(WalkFault::Access)
        );
    }

    #[test]
    fn walk_can_start_from_a_cached_table_and_probe_without_side_effects() {
        let mut w = World::new();
        let slot = w.map(0x1000, DRAM_BASE + 0x5000, 0, V | R | W);
        let t = w.walk(0x1000, AccessType::Load, Priv::S).unwrap();
        let (level, _, l1_pte) = t.nonleaf[1];
        assert_eq!(level, 1);
        let l0_table = ((l1_pte & PPN_MASK) >> PPN_SHIFT) << 12;
        let params = WalkParams {
            satp: (SATP_MODE_SV39 << 60) | (w.root >> 12),
            access: AccessType::Store,
            prv: Priv::S,
            sum: false,
            mxr: false,
            ad_hw: true,
            start: Some((l0_table, 0)),
            probe: true,
        };
        let t = walk(&mut w.bus, &w.pmp, 0x1008, params).unwrap();
        assert_eq!((t.pa, t.pte_reads), (DRAM_BASE + 0x5008, 1));
        assert_eq!(w.read(slot) & D, 0, "a probe leaves D clear");
    }
}
