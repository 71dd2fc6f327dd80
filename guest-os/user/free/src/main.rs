//! `free [-k|-m]`: memory and swap usage from /proc/meminfo in the layout
//! of procps `free` (KiB by default, MiB with -m). Fields the kernel does
//! not provide (Buffers, Cached, Shmem, MemAvailable) count as 0 / free.

#![no_std]
#![no_main]

use user_rt::fs;
use user_rt::{args, entry, eprintln, println};

fn main() -> i32 {
    let shift = match args().nth(1) {
        None | Some("-k") => 0,
        Some("-m") => 10,
        Some(_) => {
            eprintln!("usage: free [-k|-m]");
            return 2;
        }
    };
    let text = match fs::read("/proc/meminfo") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("free: /proc/meminfo: {e}");
            return 1;
        }
    };
    let text = core::str::from_utf8(&text).unwrap_or("");
    let field = |k: &str| fs::proc_field(text, k);
    let (Some(total), Some(free)) = (field("MemTotal"), field("MemFree")) else {
        eprintln!("free: /proc/meminfo has no MemTotal/MemFree");
        return 1;
    };
    let shared = field("Shmem").unwrap_or(0);
    let cache = field("Buffers").unwrap_or(0)
        + field("Cached").unwrap_or(0)
        + field("SReclaimable").unwrap_or(0);
    let available = field("MemAvailable").unwrap_or(free);
    let used = total.saturating_sub(free).saturating_sub(cache);
    let swap_total = field("SwapTotal").unwrap_or(0);
    let swap_free = field("SwapFree").unwrap_or(0);
    println!(
        "{:>19} {:>11} {:>11} {:>11} {:>11} {:>11}",
        "total", "used", "free", "shared", "buff/cache", "available"
    );
    println!(
        "Mem:    {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}",
        total >> shift,
        used >> shift,
        free >> shift,
        shared >> shift,
        cache >> shift,
        available >> shift
    );
    println!(
        "Swap:   {:>11} {:>11} {:>11}",
        swap_total >> shift,
        swap_total.saturating_sub(swap_free) >> shift,
        swap_free >> shift
    );
    0
}

entry!(main);
