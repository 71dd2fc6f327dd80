//! `swaptest MIB`: fills MIB MiB (default 64: several times a small
//! guest's RAM) with a checksummed pattern, page by page, then reads it
//! back twice (forwards, then backwards) verifying every page: word 0 of a
//! page holds the checksum of the other 511, which are derived from the page
//! number. Exits 1 on any bad page, 2 on bad arguments.

#![no_std]
#![no_main]

use user_rt::mem::{Mapping, PAGE_SIZE};
use user_rt::{args, entry, eprintln, println, time};

const WORDS: usize = PAGE_SIZE / 8;

fn word(page: usize, i: usize) -> u64 {
    let x = ((page as u64) << 20 | i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    x ^ (x >> 29)
}

fn checksum(words: &[u64]) -> u64 {
    words[1..].iter().fold(0xCBF2_9CE4_8422_2325, |h, &w| {
        (h ^ w).wrapping_mul(0x1000_0000_01B3)
    })
}

fn verify(page: usize, words: &[u64]) -> bool {
    words[0] == checksum(words) && (1..WORDS).all(|i| words[i] == word(page, i))
}

fn main() -> i32 {
    let mib: usize = match args().nth(1).map(|s| s.parse()) {
        None => 64,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: swaptest MIB");
            return 2;
        }
    };
    let pages = (mib << 20) / PAGE_SIZE;
    let mut map = match Mapping::private(mib << 20) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("swaptest: mmap {mib} MiB: {e}");
            return 1;
        }
    };
    let t0 = time::monotonic_ns();
    for (page, words) in map.words_mut().chunks_exact_mut(WORDS).enumerate() {
        for (i, w) in words.iter_mut().enumerate().skip(1) {
            *w = word(page, i);
        }
        words[0] = checksum(words);
    }
    println!("swaptest: wrote {pages} pages ({mib} MiB)");
    let t1 = time::monotonic_ns();
    let mut bad = 0usize;
    let chunks = map.words().chunks_exact(WORDS);
    for (page, words) in chunks.clone().enumerate().chain(chunks.enumerate().rev()) {
        if !verify(page, words) {
            if bad < 5 {
                eprintln!("swaptest: page {page} does not match its checksum");
            }
            bad += 1;
        }
    }
    let t2 = time::monotonic_ns();
    println!(
        "swaptest: verified {pages} pages twice: {bad} bad (write {} ms, verify {} ms)",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000
    );
    if bad == 0 {
        println!("swaptest: OK");
        0
    } else {
        println!("swaptest: FAILED");
        1
    }
}

entry!(main);
