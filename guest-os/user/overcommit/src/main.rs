//! `overcommit [MIB [PAGES]]`: maps MIB MiB of private anonymous memory
//! with MAP_NORESERVE (default: 8 × (MemTotal + SwapTotal) from
//! /proc/meminfo, at most 64 GiB, or 4 GiB without /proc), far more than
//! RAM and swap, then touches PAGES pages (default 64) spread evenly over
//! it and reads them back. Demand paging makes this cheap: only the touched
//! pages take frames. Exits 0 when every touched page reads back.

#![no_std]
#![no_main]

use user_rt::fs;
use user_rt::mem::{Mapping, MAP_NORESERVE, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE};
use user_rt::{args, entry, eprintln, println};

fn default_mib() -> usize {
    let kib = fs::read("/proc/meminfo").ok().and_then(|t| {
        let t = core::str::from_utf8(&t).ok()?;
        Some(fs::proc_field(t, "MemTotal")? + fs::proc_field(t, "SwapTotal").unwrap_or(0))
    });
    match kib {
        Some(kib) => ((kib as usize * 8) >> 10).clamp(64, 64 << 10),
        None => 4 << 10,
    }
}

fn main() -> i32 {
    let mib: usize = match args().nth(1).map(|s| s.parse()) {
        None => default_mib(),
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: overcommit [MIB [PAGES]]");
            return 2;
        }
    };
    let touch: usize = args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
        .max(1);
    let len = mib << 20;
    let mut map = match Mapping::anonymous(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE)
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("overcommit: mmap {mib} MiB: {e}");
            return 1;
        }
    };
    println!("overcommit: mapped {mib} MiB at {:#x}", map.addr());
    let pages = len / PAGE_SIZE;
    let touch = touch.min(pages);
    let step = pages / touch;
    let words = map.words_mut();
    for k in 0..touch {
        words[k * step * (PAGE_SIZE / 8)] = 0xF00D_0000 + k as u64;
    }
    let bad = (0..touch)
        .filter(|&k| words[k * step * (PAGE_SIZE / 8)] != 0xF00D_0000 + k as u64)
        .count();
    println!(
        "overcommit: touched {touch} of {pages} pages ({} KiB), {bad} bad",
        touch * PAGE_SIZE / 1024
    );
    if bad == 0 {
        println!("overcommit: OK");
        0
    } else {
        1
    }
}

entry!(main);
