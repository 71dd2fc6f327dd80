//! Clocks and sleeping.

use crate::syscall::{self, Timespec};

pub const CLOCK_REALTIME: u32 = 0;
pub const CLOCK_MONOTONIC: u32 = 1;

/// CLOCK_MONOTONIC in nanoseconds (0 if the clock is unavailable).
pub fn monotonic_ns() -> u64 {
    syscall::clock_gettime(CLOCK_MONOTONIC)
        .map(|t| t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64)
        .unwrap_or(0)
}

/// Sleep for `ns` nanoseconds.
pub fn sleep_ns(ns: u64) {
    let req = Timespec {
        tv_sec: (ns / 1_000_000_000) as i64,
        tv_nsec: (ns % 1_000_000_000) as i64,
    };
    let _ = syscall::nanosleep(&req);
}
