//! `forktest [MIB]`: copy-on-write fork, isolation and sharing.
//!
//! The parent fills a MIB MiB private buffer (default 64), then forks. The
//! buffer is split in quarters: the child rewrites quarter 0, the parent
//! quarter 1, and quarters 2 and 3 stay as they were (both only read them:
//! after a COW fork they are still shared frames). Each side checks that it
//! sees its own writes and never the other's: the child checks after the
//! parent has written (the parent raises a flag in a MAP_SHARED page), the
//! parent after `wait4` has reaped the child, whose exit status must be 0.
//! Prints `forktest: OK` and exits 0, or exits 1.

#![no_std]
#![no_main]

use user_rt::mem::Mapping;
use user_rt::process::{self, Fork};
use user_rt::{args, entry, eprintln, println, time};

const ORIGINAL: u64 = 0x0123_4567_0000_0000;
const CHILD: u64 = 0xC41D_0000_0000_0000;
const PARENT: u64 = 0x9A2E_0000_0000_0000;

/// Check `words` (starting at word `base`) against `tag | index`; returns
/// the number of mismatches, reporting the first.
fn check(who: &str, what: &str, words: &[u64], base: usize, tag: u64) -> usize {
    let bad = words
        .iter()
        .enumerate()
        .filter(|&(i, &w)| w != tag | (base + i) as u64)
        .count();
    if bad != 0 {
        eprintln!("forktest: {who}: {what}: {bad} words differ");
    }
    bad
}

fn main() -> i32 {
    let mib: usize = match args().nth(1).map(|s| s.parse()) {
        None => 64,
        Some(Ok(n)) if n >= 1 => n,
        _ => {
            eprintln!("usage: forktest [MIB]");
            return 2;
        }
    };
    let (mut buf, flag) = match (Mapping::private(mib << 20), Mapping::shared(4096)) {
        (Ok(b), Ok(f)) => (b, f),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("forktest: mmap: {e}");
            return 1;
        }
    };
    let words = buf.words_mut();
    let n = words.len();
    let q = n / 4;
    for (i, w) in words.iter_mut().enumerate() {
        *w = ORIGINAL | i as u64;
    }
    println!("forktest: parent filled {mib} MiB");

    let t0 = time::monotonic_ns();
    let pid = match process::fork() {
        Ok(Fork::Child) => {
            for (i, w) in words[..q].iter_mut().enumerate() {
                *w = CHILD | i as u64;
            }
            // Wait (bounded) until the parent has written its quarter.
            let deadline = time::monotonic_ns() + 30_000_000_000;
            while flag.load(0) != 1 {
                if time::monotonic_ns() > deadline {
                    eprintln!("forktest: child: the parent's flag never came (MAP_SHARED?)");
                    process::exit(3);
                }
                process::sched_yield();
            }
            let bad = check("child", "own writes (quarter 0)", &words[..q], 0, CHILD)
                + check(
                    "child",
                    "parent's quarter 1 must look unchanged",
                    &words[q..2 * q],
                    q,
                    ORIGINAL,
                )
                + check(
                    "child",
                    "shared quarters 2-3",
                    &words[2 * q..],
                    2 * q,
                    ORIGINAL,
                );
            if bad == 0 {
                println!(
                    "forktest: child: sees its own writes, not the parent's; shared pages intact"
                );
            }
            process::exit(if bad == 0 { 0 } else { 1 });
        }
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => {
            eprintln!("forktest: fork: {e}");
            return 1;
        }
    };
    let fork_us = (time::monotonic_ns() - t0) / 1000;
    println!("forktest: fork of a {mib} MiB process took {fork_us} us");
    for (i, w) in words[q..2 * q].iter_mut().enumerate() {
        *w = PARENT | (q + i) as u64;
    }
    flag.store(0, 1);
    let status = match process::waitpid(pid) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("forktest: wait4: {e}");
            return 1;
        }
    };
    println!("forktest: child {pid} {status}");
    let bad = check(
        "parent",
        "child's quarter 0 must look unchanged",
        &words[..q],
        0,
        ORIGINAL,
    ) + check(
        "parent",
        "own writes (quarter 1)",
        &words[q..2 * q],
        q,
        PARENT,
    ) + check(
        "parent",
        "shared quarters 2-3",
        &words[2 * q..],
        2 * q,
        ORIGINAL,
    );
    if bad == 0 {
        println!("forktest: parent: sees its own writes, not the child's; shared pages intact");
    }
    if bad == 0 && status.exit_code() == Some(0) {
        println!("forktest: OK");
        0
    } else {
        println!("forktest: FAILED");
        1
    }
}

entry!(main);
