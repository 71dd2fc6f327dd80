//! Tests of the TLB model, with results worked out by hand.

mod array;
mod config;
mod model;
mod policy;

use super::{Replacement, StructConfig, TlbArray, TlbEntry};

/// V, R, W, X, A, D.
const FLAGS: u64 = 0xCF;

/// Virtual address of test page `n` (4 KiB pages from 1 GiB up).
fn page(n: u64) -> u64 {
    0x4000_0000 + n * 4096
}

/// A 4 KiB leaf for `va` under `asid`, mapped to a PPN derived from both.
fn leaf(va: u64, asid: u16) -> TlbEntry {
    let ppn = 0x80000 + (va >> 12) + ((asid as u64) << 20);
    TlbEntry::from_leaf(va, asid, (ppn << 10) | FLAGS, 0, false)
}

fn fa(entries: u32, r: Replacement) -> TlbArray {
    TlbArray::new(StructConfig::fully_associative(entries).with_replacement(r))
}

fn sa(entries: u32, ways: u32, r: Replacement) -> TlbArray {
    TlbArray::new(
        StructConfig::fully_associative(entries)
            .with_ways(ways)
            .with_replacement(r),
    )
}

/// One access: lookup, and on a miss insert the leaf (as after a walk).
/// Returns whether it hit.
fn access(t: &mut TlbArray, va: u64, asid: u16) -> bool {
    if t.lookup(va, asid).is_some() {
        return true;
    }
    t.insert(va, leaf(va, asid));
    false
}

/// Misses over the page sequence `pages` (ASID 1).
fn misses(t: &mut TlbArray, pages: impl IntoIterator<Item = u64>) -> u64 {
    pages
        .into_iter()
        .map(|p| !access(t, page(p), 1) as u64)
        .sum()
}
