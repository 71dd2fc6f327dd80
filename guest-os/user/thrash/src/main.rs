//! `thrash [MAX_MIB [STEP_MIB [PASSES]]]`: grows a working set from STEP_MIB
//! to MAX_MIB (defaults 32, 4, 3) and, at each size, makes PASSES passes
//! writing one word per page. Prints the time per pass and per page
//! (clock_gettime): once the working set exceeds RAM every pass
//! page-faults and the time per page jumps. Also prints the change of
//! pgfault/pgmajfault in /proc/vmstat when that file exists.

#![no_std]
#![no_main]

use user_rt::fs;
use user_rt::mem::{Mapping, MAP_NORESERVE, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE};
use user_rt::{args, entry, eprintln, println, time};

fn arg(i: usize, default: usize) -> Option<usize> {
    match args().nth(i) {
        None => Some(default),
        Some(s) => s.parse().ok().filter(|&n| n > 0),
    }
}

/// (pgfault, pgmajfault) from /proc/vmstat.
fn faults() -> Option<(u64, u64)> {
    let text = fs::read("/proc/vmstat").ok()?;
    let text = core::str::from_utf8(&text).ok()?;
    Some((
        fs::proc_field(text, "pgfault")?,
        fs::proc_field(text, "pgmajfault")?,
    ))
}

fn main() -> i32 {
    let (Some(max), Some(step), Some(passes)) = (arg(1, 32), arg(2, 4), arg(3, 3)) else {
        eprintln!("usage: thrash [MAX_MIB [STEP_MIB [PASSES]]]");
        return 2;
    };
    let mut map = match Mapping::anonymous(
        max << 20,
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_NORESERVE,
    ) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("thrash: mmap {max} MiB: {e}");
            return 1;
        }
    };
    let words = map.words_mut();
    println!("thrash: working set up to {max} MiB in steps of {step} MiB, {passes} passes each");
    println!(
        "{:>8} {:>6} {:>12} {:>10} {:>10} {:>10}",
        "ws(MiB)", "pass", "time(us)", "ns/page", "pgfault", "pgmajfault"
    );
    let mut mib = step.min(max);
    let mut stamp = 1u64;
    loop {
        let pages = (mib << 20) / PAGE_SIZE;
        for pass in 1..=passes {
            let before = faults();
            let t0 = time::monotonic_ns();
            for page in 0..pages {
                words[page * (PAGE_SIZE / 8)] = stamp;
            }
            let dt = time::monotonic_ns() - t0;
            let (minor, major) = match (before, faults()) {
                (Some(a), Some(b)) => (b.0.saturating_sub(a.0), b.1.saturating_sub(a.1)),
                _ => (0, 0),
            };
            println!(
                "{mib:>8} {pass:>6} {:>12} {:>10} {minor:>10} {major:>10}",
                dt / 1000,
                dt / pages as u64
            );
            stamp += 1;
        }
        if mib == max {
            break;
        }
        mib = (mib + step).min(max);
    }
    println!("thrash: done");
    0
}

entry!(main);
