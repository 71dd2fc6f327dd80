//! `vmstat [-s|-a]`: paging activity from /proc/meminfo and /proc/vmstat.
//!
//! Default: one line in the layout of procps `vmstat`'s memory, swap and io
//! columns (swpd/free/buff/cache in KiB; si/so = pages swapped in/out and
//! bi/bo = pages paged in/out since boot, from pswpin/pswpout and
//! pgpgin/pgpgout), followed by the fault counters in `vmstat -s` style.
//! `-a` lists every /proc/vmstat counter in `vmstat -s` style.

#![no_std]
#![no_main]

use user_rt::fs;
use user_rt::{args, entry, eprintln, println};

/// The counters shown by default, with their `vmstat -s` descriptions.
const COUNTERS: &[(&str, &str)] = &[
    ("pgfault", "page faults"),
    ("pgmajfault", "major page faults"),
    ("cow_fault", "copy-on-write faults"),
    ("pgpgin", "pages paged in"),
    ("pgpgout", "pages paged out"),
    ("pswpin", "pages swapped in"),
    ("pswpout", "pages swapped out"),
    ("pgsteal", "pages reclaimed"),
];

fn read(path: &str) -> Option<alloc::string::String> {
    match fs::read(path) {
        Ok(t) => Some(alloc::string::String::from_utf8_lossy(&t).into_owned()),
        Err(e) => {
            eprintln!("vmstat: {path}: {e}");
            None
        }
    }
}

extern crate alloc;

fn main() -> i32 {
    let all = match args().nth(1) {
        None | Some("-s") => false,
        Some("-a") => true,
        Some(_) => {
            eprintln!("usage: vmstat [-s|-a]");
            return 2;
        }
    };
    let (Some(meminfo), Some(vmstat)) = (read("/proc/meminfo"), read("/proc/vmstat")) else {
        return 1;
    };
    let m = |k: &str| fs::proc_field(&meminfo, k).unwrap_or(0);
    let v = |k: &str| fs::proc_field(&vmstat, k).unwrap_or(0);
    println!("---------memory---------- ------swap----- ------io-------");
    println!(
        "{:>6} {:>6} {:>5} {:>6} {:>7} {:>7} {:>7} {:>7}",
        "swpd", "free", "buff", "cache", "si", "so", "bi", "bo"
    );
    println!(
        "{:>6} {:>6} {:>5} {:>6} {:>7} {:>7} {:>7} {:>7}",
        m("SwapTotal").saturating_sub(m("SwapFree")),
        m("MemFree"),
        m("Buffers"),
        m("Cached"),
        v("pswpin"),
        v("pswpout"),
        v("pgpgin"),
        v("pgpgout")
    );
    println!();
    if all {
        for line in vmstat.lines() {
            if let Some((name, value)) = line.split_once(' ') {
                println!("{:>13} {name}", value.trim());
            }
        }
    } else {
        for (key, what) in COUNTERS {
            if let Some(n) = fs::proc_field(&vmstat, key) {
                println!("{n:>13} {what} ({key})");
            }
        }
    }
    0
}

entry!(main);
