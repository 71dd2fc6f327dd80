//! Swap space on the virtio-blk disk with serial `swap` (PROTOCOL.md): one
//! 4 KiB slot per page (8 sectors), a slot allocator with a reference count
//! per slot. A swapped-out page that was shared copy-on-write after fork is
//! one slot referenced by every PTE that mapped the frame.
//!
//! Swap entry encoding (a non-present leaf PTE, V = 0):
//!
//! | bits | meaning |
//! |---|---|
//! | 0 (V) | 0: not present |
//! | 9 (RSW) | 1: swap entry (`PTE_SWAP`) |
//! | 10..63 | slot number |
//!
//! Every other bit is 0; the permissions come back from the VMA on swap-in.
//! A PTE of 0 is "never touched" (demand paging fills it from the VMA).

use crate::mem::{PTE_SWAP, PTE_V};
use crate::virtio::Disk;
use alloc::vec::Vec;
use spin::Mutex;

/// GET_ID serial of the swap disk.
pub const SERIAL: &str = "swap";

const SECTORS_PER_SLOT: u64 = 8;

struct Swap {
    disk: Disk,
    /// References per slot (0 = free).
    refs: Vec<u16>,
    free: u64,
    /// Where the next free-slot search starts.
    hint: usize,
}

static SWAP: Mutex<Option<Swap>> = Mutex::new(None);

/// Use `disk` as swap space; returns the number of slots.
pub fn init(disk: Disk) -> u64 {
    let slots = disk.capacity / SECTORS_PER_SLOT;
    *SWAP.lock() = Some(Swap {
        disk,
        refs: alloc::vec![0; slots as usize],
        free: slots,
        hint: 0,
    });
    slots
}

/// (total, free) slots; (0, 0) without a swap disk.
pub fn counts() -> (u64, u64) {
    SWAP.lock()
        .as_ref()
        .map_or((0, 0), |s| (s.refs.len() as u64, s.free))
}

/// The PTE of swap entry `slot`.
pub fn entry(slot: u64) -> u64 {
    (slot << 10) | PTE_SWAP
}

/// The slot of a PTE, when it is a swap entry.
pub fn slot_of(pte: u64) -> Option<u64> {
    (pte & (PTE_V | PTE_SWAP) == PTE_SWAP).then_some(pte >> 10)
}

/// Write frame `pa` to a new slot referenced `refs` times. None: no swap
/// disk, swap full, or a write error.
pub fn write_out(pa: u64, refs: u16) -> Option<u64> {
    let mut g = SWAP.lock();
    let s = g.as_mut()?;
    if s.free == 0 {
        return None;
    }
    let n = s.refs.len();
    let slot = (0..n).map(|d| (s.hint + d) % n).find(|&i| s.refs[i] == 0)?;
    s.disk
        .write(slot as u64 * SECTORS_PER_SLOT, pa, 4096)
        .ok()?;
    s.refs[slot] = refs;
    s.free -= 1;
    s.hint = (slot + 1) % n;
    Some(slot as u64)
}

/// Read `slot` into frame `pa`.
pub fn read_in(slot: u64, pa: u64) -> Result<(), u8> {
    let mut g = SWAP.lock();
    let s = g.as_mut().ok_or(0xffu8)?;
    s.disk.read(slot * SECTORS_PER_SLOT, pa, 4096)
}

/// One more PTE holds `slot` (fork).
pub fn dup(slot: u64) {
    if let Some(s) = SWAP.lock().as_mut() {
        s.refs[slot as usize] += 1;
    }
}

/// One PTE less holds `slot`; free it when none is left.
pub fn put(slot: u64) {
    if let Some(s) = SWAP.lock().as_mut() {
        let r = &mut s.refs[slot as usize];
        assert!(*r > 0, "swap: free slot {slot}");
        *r -= 1;
        if *r == 0 {
            s.free += 1;
        }
    }
}
