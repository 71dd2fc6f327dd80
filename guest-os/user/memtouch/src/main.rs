//! `memtouch MIB [seq|random|stride] [STRIDE]`: maps MIB MiB of anonymous
//! memory, writes every 64-bit word (a value derived from its index) visiting
//! the pages sequentially, in a random permutation, or with a stride of
//! STRIDE pages (default 16), then verifies every word in the same order.
//! Prints a summary; exits 1 on any mismatch, 2 on bad arguments.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use user_rt::mem::{Mapping, PAGE_SIZE};
use user_rt::{args, entry, eprintln, println, time};

const WORDS_PER_PAGE: usize = PAGE_SIZE / 8;

fn value(word: usize) -> u64 {
    (word as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5A5A_0000_0000_A5A5
}

/// xorshift64*: a small deterministic generator for the random order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The page visiting order for a pattern.
fn page_order(pages: usize, pattern: &str, stride: usize) -> Option<Vec<usize>> {
    match pattern {
        "seq" => Some((0..pages).collect()),
        "random" => {
            let mut order: Vec<usize> = (0..pages).collect();
            let mut rng = Rng(0x1234_5678_9ABC_DEF1);
            for i in (1..pages).rev() {
                order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
            }
            Some(order)
        }
        "stride" => Some(
            (0..stride.min(pages))
                .flat_map(|start| (start..pages).step_by(stride))
                .collect(),
        ),
        _ => None,
    }
}

fn main() -> i32 {
    let argv: Vec<&str> = args().collect();
    let mib: usize = match argv.get(1).map(|s| s.parse()) {
        None => 4,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: memtouch MIB [seq|random|stride] [STRIDE_PAGES]");
            return 2;
        }
    };
    let pattern = argv.get(2).copied().unwrap_or("seq");
    let stride = match argv.get(3).map(|s| s.parse::<usize>()) {
        None => 16,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("memtouch: bad stride");
            return 2;
        }
    };
    let len = mib << 20;
    let pages = len / PAGE_SIZE;
    let Some(order) = page_order(pages, pattern, stride) else {
        eprintln!("memtouch: unknown pattern {pattern:?} (seq, random or stride)");
        return 2;
    };
    let mut map = match Mapping::private(len) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("memtouch: mmap {mib} MiB: {e}");
            return 1;
        }
    };
    let words = map.words_mut();

    let t0 = time::monotonic_ns();
    for &page in &order {
        let base = page * WORDS_PER_PAGE;
        for (i, w) in words[base..base + WORDS_PER_PAGE].iter_mut().enumerate() {
            *w = value(base + i);
        }
    }
    let t1 = time::monotonic_ns();
    let mut mismatches = 0usize;
    for &page in &order {
        let base = page * WORDS_PER_PAGE;
        for (i, &w) in words[base..base + WORDS_PER_PAGE].iter().enumerate() {
            if w != value(base + i) {
                if mismatches < 5 {
                    eprintln!(
                        "memtouch: mismatch at word {} (page {page}): {w:#x}, expected {:#x}",
                        base + i,
                        value(base + i)
                    );
                }
                mismatches += 1;
            }
        }
    }
    let t2 = time::monotonic_ns();
    let pattern_desc = if pattern == "stride" {
        alloc::format!("stride {stride}")
    } else {
        alloc::string::String::from(pattern)
    };
    println!(
        "memtouch: {mib} MiB, pattern {pattern_desc}: {pages} pages, {} words written and verified, {mismatches} mismatches",
        pages * WORDS_PER_PAGE
    );
    println!(
        "memtouch: write {} us, verify {} us",
        (t1 - t0) / 1000,
        (t2 - t1) / 1000
    );
    if mismatches == 0 {
        println!("memtouch: OK");
        0
    } else {
        println!("memtouch: FAILED");
        1
    }
}

entry!(main);
