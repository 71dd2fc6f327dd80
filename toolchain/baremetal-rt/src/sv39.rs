//! Identity-mapped Sv39 for bare-metal programs that run their work in
//! S-mode (Privileged ISA §4.3–4.4): the first `2 MiB × L0` of DRAM with
//! 4 KiB pages (RWX, A and D set), the devices below 1 GiB with one 1 GiB
//! page (RW), then an `mret` into S-mode.

const DRAM_BASE: u64 = 0x8000_0000;
// PTE bits (§4.3.1).
const V: u64 = 1;
const R: u64 = 1 << 1;
const W: u64 = 1 << 2;
const X: u64 = 1 << 3;
const A: u64 = 1 << 6;
const D: u64 = 1 << 7;

/// One page-table page.
#[repr(C, align(4096))]
pub struct Table([u64; 512]);

/// The page tables of an identity map with `L0` leaf tables (2 MiB each).
/// Declare one as a `static mut` (it goes to .bss) and pass it to
/// [`IdentityMap::build`].
#[repr(C)]
pub struct IdentityMap<const L0: usize> {
    root: Table,
    l1: Table,
    l0: [Table; L0],
}

impl<const L0: usize> Default for IdentityMap<L0> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const L0: usize> IdentityMap<L0> {
    /// Empty tables.
    pub const fn new() -> Self {
        IdentityMap {
            root: Table([0; 512]),
            l1: Table([0; 512]),
            l0: [const { Table([0; 512]) }; L0],
        }
    }

    /// Fill the tables; returns the `satp` value (Sv39, ASID 0).
    pub fn build(&mut self) -> u64 {
        let pointer = |t: &Table| ((t as *const Table as u64) >> 12) << 10 | V;
        let leaf = |pa: u64, flags: u64| (pa >> 12) << 10 | flags | V | A | D;
        self.root.0[0] = leaf(0, R | W);
        self.root.0[(DRAM_BASE >> 30) as usize] = pointer(&self.l1);
        for i in 0..L0 {
            self.l1.0[i] = pointer(&self.l0[i]);
            for j in 0..512 {
                let pa = DRAM_BASE + ((i * 512 + j) as u64) * 4096;
                self.l0[i].0[j] = leaf(pa, R | W | X);
            }
        }
        (8 << 60) | ((&self.root as *const Table as u64) >> 12)
    }
}

/// Open PMP for S-mode, switch on translation with `satp`, and `mret` into
/// S-mode at `entry(a0, a1, a2)`.
///
/// # Safety
/// M-mode only; `satp` must map this program's code, data and stack
/// identically (as [`IdentityMap::build`] does) and the devices it uses.
pub unsafe fn enter_supervisor(
    satp: u64,
    entry: extern "C" fn(u64, u64, u64) -> !,
    args: [u64; 3],
) -> ! {
    // SAFETY: the caller guarantees M-mode and an identity map covering
    // the running program, so execution continues at `entry` in S-mode.
    unsafe {
        core::arch::asm!(
            "li t0, -1",
            "csrw pmpaddr0, t0",
            "li t0, 0x1f",          // NAPOT, RWX
            "csrw pmpcfg0, t0",
            "csrw satp, {satp}",
            "sfence.vma",
            "li t0, 0x1800",        // mstatus.MPP = S
            "csrc mstatus, t0",
            "li t0, 0x0800",
            "csrs mstatus, t0",
            "csrw mepc, {entry}",
            "mret",
            satp = in(reg) satp,
            entry = in(reg) entry as usize,
            in("a0") args[0],
            in("a1") args[1],
            in("a2") args[2],
            options(noreturn)
        );
    }
}
