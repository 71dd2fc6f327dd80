//! The kernel's counters, in `PAGEWALK_KERNEL_STATS` (PROTOCOL.md): the
//! host reads the array from guest memory at exit.

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

pub const PGFAULT: usize = 2;
pub const PGMAJFAULT: usize = 3;
pub const PSWPIN: usize = 4;
pub const PSWPOUT: usize = 5;
pub const PGPGIN: usize = 6;
pub const PGPGOUT: usize = 7;
pub const PGSTEAL: usize = 8;
pub const COW_FAULT: usize = 9;
pub const FORKS: usize = 10;
pub const OOM_KILLS: usize = 11;

const fn init() -> [AtomicU64; 16] {
    let mut a = [const { AtomicU64::new(0) }; 16];
    a[0] = AtomicU64::new(0x7061_6765_7761_6c6b);
    a[1] = AtomicU64::new(1);
    a
}

/// magic, version, pgfault, pgmajfault, pswpin, pswpout, pgpgin, pgpgout,
/// pgsteal, cow_fault, forks, oom_kills, reserved.
#[no_mangle]
pub static PAGEWALK_KERNEL_STATS: [AtomicU64; 16] = init();

pub fn inc(i: usize) {
    add(i, 1);
}

pub fn add(i: usize, n: u64) {
    PAGEWALK_KERNEL_STATS[i].fetch_add(n, Relaxed);
}

pub fn get(i: usize) -> u64 {
    PAGEWALK_KERNEL_STATS[i].load(Relaxed)
}
