//! `ps [PID...]`: processes from /proc/PID/status in the layout of procps
//! `ps`, with memory columns: VSZ, RSS and SWAP in KiB (VmSize, VmRSS,
//! VmSwap) and the fault counts (minflt, majflt) when the kernel provides
//! them ("-" otherwise). Without arguments: every pid from 1 to 128 that
//! has a status file, plus this process and its parent.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use user_rt::fs;
use user_rt::process;
use user_rt::{args, entry, eprintln, println};

/// The `Key:` value of a status file as text.
fn text_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| Some(l.strip_prefix(key)?.strip_prefix(':')?.trim()))
}

fn column(status: &str, key: &str) -> String {
    fs::proc_field(status, key).map_or_else(|| String::from("-"), |n| format!("{n}"))
}

fn main() -> i32 {
    let mut pids: Vec<usize> = Vec::new();
    for arg in args().skip(1) {
        match arg.parse() {
            Ok(pid) => pids.push(pid),
            Err(_) => {
                eprintln!("usage: ps [PID...]");
                return 2;
            }
        }
    }
    let explicit = !pids.is_empty();
    if !explicit {
        pids.extend(1..=128);
        pids.push(process::getppid());
        pids.push(process::getpid());
        pids.sort_unstable();
        pids.dedup();
    }
    println!(
        "{:>5} {:>5} S {:>8} {:>8} {:>8} {:>8} {:>6} COMMAND",
        "PID", "PPID", "VSZ", "RSS", "SWAP", "MINFLT", "MAJFLT"
    );
    let mut missing = 0;
    for pid in pids {
        let status = match fs::read(&format!("/proc/{pid}/status")) {
            Ok(s) => String::from_utf8_lossy(&s).into_owned(),
            Err(e) => {
                if explicit {
                    eprintln!("ps: /proc/{pid}/status: {e}");
                    missing += 1;
                }
                continue;
            }
        };
        let state = text_field(&status, "State")
            .and_then(|s| s.chars().next())
            .unwrap_or('?');
        println!(
            "{pid:>5} {:>5} {state} {:>8} {:>8} {:>8} {:>8} {:>6} {}",
            column(&status, "PPid"),
            column(&status, "VmSize"),
            column(&status, "VmRSS"),
            column(&status, "VmSwap"),
            column(&status, "minflt"),
            column(&status, "majflt"),
            text_field(&status, "Name").unwrap_or("?"),
        );
    }
    if missing == 0 {
        0
    } else {
        1
    }
}

entry!(main);
