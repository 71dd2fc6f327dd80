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
}

/// Walk the Sv39 page table for `va`. PTE reads and A/D writes are
/// physical S-mode accesses checked by PMP (§3.7.2 "implicit accesses").
pub fn walk(bus: &mut Bus, pmp: &Pmp, va: u64, p: WalkParams) -> Result<Translation, WalkFault> {
    // §4.4.1: bits 63:39 must all equal bit 38.
    if ((va as i64) << 25 >> 25) as u64 != va {
        return Err(WalkFault::Page);
    }
    let mut table = (p.satp & SATP_PPN_MASK) << 12;
    let mut level: i32 = 2;
    let mut reads = 0;
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
        reads += 1;
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
            level -= 1;
            table = ((pte & pte::PPN_MASK) >> pte::PPN_SHIFT) << 12;
            continue;
        }
        let level = level as u32;
        check_permissions(pte, &p)?;
        // Misaligned superpage (§4.3.2 step 6).
        let ppn = (pte & pte::PPN_MASK) >> pte::PPN_SHIFT;
        if level > 0 && ppn & ((1 << (9 * level)) - 1) != 0 {
            return Err(WalkFault::Page);
        }
        let store = p.access == AccessType::Store;
        let mut pte = pte;
        if pte & pte::A == 0 || (store && pte & pte::D == 0) {
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
        return Ok(Translation {
            pa,
            level,
            pte,
            pte_reads: reads,
        });
    }
}

/// Leaf permission checks (§4.3.2 step 5, §4.3.1 SUM/MXR).
fn check_permissions(pte: u64, p: &WalkParams) -> Result<(), WalkFault> {
    let user_page = pte & pte::U != 0;
    match p.prv {
        Priv::U if !user_page => return Err(WalkFault::Page),
        Priv::S if user_page && (p.access == AccessType::Fetch || !p.sum) => {
            return Err(WalkFault::Page)
        }
        _ => {}
    }
    let ok = match p.access {
        AccessType::Fetch => pte & pte::X != 0,
        AccessType::Load => pte & pte::R != 0 || (p.mxr && pte & pte::X != 0),
        AccessType::Store => pte & pte::W != 0,
    };
    if ok {
        Ok(())
    } else {
        Err(WalkFault::Page)
    }
}
