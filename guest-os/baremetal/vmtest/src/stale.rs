//! The stale-TLB programs (`vmtest_stale`, `vmtest_fenced`): change a PTE
//! and use the page again, without and with `sfence.vma`.
//!
//! In address space ASID 20, S mode: [`DATA_VA`] maps frame 0 (word 0 =
//! `0x0001_0000_0000_005a`). The routine loads it once (the DTLB now holds
//! the translation). M mode then remaps [`DATA_VA`] to frame 1 (word 0 =
//! `0x0002_0000_0000_005a`) by rewriting the leaf PTE; `vmtest_fenced`
//! follows with `sfence.vma DATA_VA, 20`, `vmtest_stale` does not. Then the
//! routine loads [`DATA_VA`] again (same `satp`, so no `satp` write).
//!
//! With the fence the second load must read frame 1 (else exit 1). Without
//! it the result is implementation-defined (Privileged ISA §4.2.1): a TLB
//! that still holds the entry returns frame 0's value; both are accepted
//! and reported ("old frame" / "new frame"), and the exit status is 0.
//!
//! Output (the pagewalk tests parse it): the load's pc, the VA, the ASID
//! and the old and new PTEs, in the format of pagewalk's `--validate-tlb`
//! report.

use crate::{enter, fill_frame, frame_pa, init, leaf_pte, pte, sfence_addr_asid, sfence_all};
use crate::{Label, Mode, Routine, Space, DATA_VA};
use baremetal_rt::{exit, println};

/// The ASID of the stale-TLB address space.
pub const ASID: u16 = 20;

/// Run the program; `fence` selects `vmtest_fenced`.
pub fn run(fence: bool) -> ! {
    init();
    fill_frame(0);
    fill_frame(1);
    let name = if fence {
        "vmtest_fenced"
    } else {
        "vmtest_stale"
    };
    println!(
        "{name}: remap a page {} sfence.vma",
        if fence { "with" } else { "without" }
    );
    let mut space = Space::new(ASID);
    let flags = pte::R | pte::W;
    let old = space.map(DATA_VA, frame_pa(0), 0, flags);
    sfence_all();
    let first = enter(Mode::Supervisor, &space, Routine::Strided, [DATA_VA, 1, 0]);
    let new = leaf_pte(frame_pa(1), flags | pte::D);
    let slot = space.pte_addr(DATA_VA, 0);
    crate::write64(slot, new);
    if fence {
        sfence_addr_asid(DATA_VA, ASID);
    }
    let second = enter(Mode::Supervisor, &space, Routine::Strided, [DATA_VA, 1, 0]);
    println!(
        "pc {:#x} va {:#x} asid {}: old pte {:#018x}, new pte {:#018x}",
        Label::StridedLoad.va(Mode::Supervisor),
        DATA_VA,
        ASID,
        old,
        new
    );
    let (old_value, new_value) = (crate::read64(frame_pa(0)), crate::read64(frame_pa(1)));
    println!("first load  {first:#018x} (old frame)");
    let which = if second == old_value {
        "old frame"
    } else if second == new_value {
        "new frame"
    } else {
        "neither frame"
    };
    println!("second load {second:#018x} ({which})");
    if first != old_value || (fence && second != new_value) || which == "neither frame" {
        println!("FAIL");
        exit(1)
    }
    println!("PASS");
    exit(0)
}
