//! Memory-access kernels for comparing TLB designs (`pagewalk tlb-compare`,
//! run by `guest-os/baremetal/tlbwork`). Each works on a region of `pages`
//! 4 KiB pages at `base`, with a fixed seed, so every run is the same.
//!
//! [`prepare`] initialises the region (the bare-metal driver calls it in
//! M-mode, untranslated, so it costs the TLB nothing); [`run`] is the
//! measured phase. On riscv64 the scan is an assembly loop whose only data
//! accesses are its loads: `8 * pages * reps` of them, 8 per page per pass
//! (one every 512 bytes), the pages in ascending order.

/// Workload numbers (`TLBWORK_SELECT`).
pub const SCAN: u64 = 0;
/// Uniform random loads over the region.
pub const RANDOM: u64 = 1;
/// One load per page, page after page.
pub const STRIDE: u64 = 2;
/// Pointer chasing through a shuffled list of 64-byte nodes.
pub const CHASE: u64 = 3;
/// Naive `n x n` u64 matrix multiply (i, j, k order).
pub const MATMUL: u64 = 4;
/// The same multiply, tiled in 16 x 16 blocks.
pub const MATMUL_BLOCKED: u64 = 5;

// The MMU scenarios below need page tables and privileged instructions
// (`sfence.vma`, `satp` writes), so `guest-os/baremetal/tlbwork` runs them
// itself (its `vm` module); [`run`] returns 0 for them. Each starts with
// `sfence.vma x0, x0` and its loop makes no memory access but its loads,
// so the TLB counts of the loop follow from the pattern alone.

/// One load per page, page after page, `reps` passes (the MMU issue's
/// cyclic case: `pages` = entries + 1 defeats LRU and FIFO).
pub const CYCLIC: u64 = 6;
/// The region's first and last page alternated `reps` times (pages 0 and
/// `pages - 1`: the same set of a direct-mapped TLB when `pages - 1` is a
/// multiple of its sets).
pub const CONFLICT: u64 = 7;
/// Two address spaces (ASIDs 1 and 2) switched by `satp` writes only, no
/// fence: `reps` rounds of `pages` loads in each, the same virtual pages
/// mapped to different frames.
pub const ASID: u64 = 8;
/// `pages` global pages and `pages` non-global ones, `reps` rounds with
/// `sfence.vma x0, ASID` between rounds.
pub const GLOBAL: u64 = 9;
/// `reps` rounds of one load in each of `pages` 4 KiB pages of a 2 MiB
/// leaf, then the same through a 1 GiB leaf.
pub const SUPERPAGE: u64 = 10;
/// The largest workload number.
pub const LAST: u64 = SUPERPAGE;

/// Seed of every workload's generator.
pub const SEED: u64 = 0x7061_6765_7761_6c6b;
const WORDS_PER_PAGE: usize = 512;
const WORDS_PER_NODE: usize = 8;

/// Matrix order for a region of `pages`: three `n x n` u64 matrices fit,
/// `n` a multiple of 8, at least 8.
pub fn matrix_order(pages: usize) -> usize {
    let words = pages * WORDS_PER_PAGE / 3;
    let mut n = 0;
    while (n + 1) * (n + 1) <= words {
        n += 1;
    }
    (n & !7).max(8)
}

/// Initialise the region for workload `work`.
///
/// # Safety
/// `base` must point to `pages * 4096` writable bytes (and, for the matrix
/// workloads, to at least `3 * n * n` words, `n` = [`matrix_order`]).
pub unsafe fn prepare(work: u64, base: *mut u64, pages: usize) {
    let mut rng = crate::Rng::new(SEED);
    match work {
        CHASE if pages > 0 => {
            let nodes = pages * WORDS_PER_PAGE / WORDS_PER_NODE;
            // Word 1 of node i holds the i-th node of the order.
            for i in 0..nodes {
                *base.add(i * WORDS_PER_NODE + 1) = i as u64;
            }
            for i in (1..nodes).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                let a = base.add(i * WORDS_PER_NODE + 1);
                let b = base.add(j * WORDS_PER_NODE + 1);
                core::ptr::swap(a, b);
            }
            for i in 0..nodes {
                let from = *base.add(i * WORDS_PER_NODE + 1) as usize;
                let to = *base.add(((i + 1) % nodes) * WORDS_PER_NODE + 1) as usize;
                *base.add(from * WORDS_PER_NODE) = base.add(to * WORDS_PER_NODE) as u64;
            }
        }
        MATMUL | MATMUL_BLOCKED => {
            let n = matrix_order(pages);
            for i in 0..2 * n * n {
                *base.add(i) = rng.next_u64() & 0xffff;
            }
            for i in 2 * n * n..3 * n * n {
                *base.add(i) = 0;
            }
        }
        _ => {}
    }
}

/// Run workload `work` over the region; return a checksum.
///
/// # Safety
/// As [`prepare`], which must have run first.
pub unsafe fn run(work: u64, base: *mut u64, pages: usize, reps: usize) -> u64 {
    let words = pages * WORDS_PER_PAGE;
    match work {
        SCAN => scan(base, pages, reps),
        RANDOM if pages > 0 => {
            let mut rng = crate::Rng::new(SEED);
            let mut sum = 0u64;
            for _ in 0..8 * pages * reps {
                let i = (rng.next_u64() % words as u64) as usize;
                sum = sum.wrapping_add(core::ptr::read_volatile(base.add(i)));
            }
            sum
        }
        STRIDE => {
            let mut sum = 0u64;
            for _ in 0..8 * reps {
                for p in 0..pages {
                    // A different cache line in each page.
                    let w = p * WORDS_PER_PAGE + (p % 64) * 8;
                    sum = sum.wrapping_add(core::ptr::read_volatile(base.add(w)));
                }
            }
            sum
        }
        CHASE if pages > 0 => {
            let mut p = base as *const u64;
            for _ in 0..8 * pages * reps {
                p = core::ptr::read_volatile(p) as *const u64;
            }
            p as u64
        }
        MATMUL | MATMUL_BLOCKED => {
            let n = matrix_order(pages);
            let a = core::slice::from_raw_parts(base, n * n);
            let b = core::slice::from_raw_parts(base.add(n * n), n * n);
            let c = core::slice::from_raw_parts_mut(base.add(2 * n * n), n * n);
            if work == MATMUL {
                matmul_naive(n, a, b, c);
            } else {
                matmul_blocked(n, a, b, c);
            }
            c.iter().fold(0u64, |s, &x| s.rotate_left(5) ^ x)
        }
        _ => 0,
    }
}

/// `c = a * b`, i-j-k order: the inner loop walks a column of `b`.
pub fn matmul_naive(n: usize, a: &[u64], b: &[u64], c: &mut [u64]) {
    for i in 0..n {
        for j in 0..n {
            let mut s = 0u64;
            for k in 0..n {
                s = s.wrapping_add(a[i * n + k].wrapping_mul(b[k * n + j]));
            }
            c[i * n + j] = s;
        }
    }
}

/// `c += a * b` in 16 x 16 tiles (`c` zero on entry).
pub fn matmul_blocked(n: usize, a: &[u64], b: &[u64], c: &mut [u64]) {
    const T: usize = 16;
    for ii in (0..n).step_by(T) {
        for kk in (0..n).step_by(T) {
            for jj in (0..n).step_by(T) {
                for i in ii..(ii + T).min(n) {
                    for k in kk..(kk + T).min(n) {
                        let x = a[i * n + k];
                        for j in jj..(jj + T).min(n) {
                            c[i * n + j] = c[i * n + j].wrapping_add(x.wrapping_mul(b[k * n + j]));
                        }
                    }
                }
            }
        }
    }
}

/// `reps` passes over `pages` pages, 8 loads per page (every 512 bytes).
#[cfg(target_arch = "riscv64")]
unsafe fn scan(base: *mut u64, pages: usize, reps: usize) -> u64 {
    if pages == 0 || reps == 0 {
        return 0;
    }
    let sum: u64;
    core::arch::asm!(
        "li {sum}, 0",
        "2:",
        "mv {p}, {base}",
        "mv {n}, {pages}",
        "3:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 512({p})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 1024({p})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 1536({p})",
        "add {sum}, {sum}, {t}",
        "addi {q}, {p}, 2047",
        "ld {t}, 1({q})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 513({q})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 1025({q})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 1537({q})",
        "add {sum}, {sum}, {t}",
        "li {t}, 4096",
        "add {p}, {p}, {t}",
        "addi {n}, {n}, -1",
        "bnez {n}, 3b",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        base = in(reg) base,
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        sum = out(reg) sum,
        p = out(reg) _,
        q = out(reg) _,
        n = out(reg) _,
        t = out(reg) _,
        options(nostack, readonly)
    );
    sum
}

/// Host version of the scan (the same loads, in the same order).
#[cfg(not(target_arch = "riscv64"))]
unsafe fn scan(base: *mut u64, pages: usize, reps: usize) -> u64 {
    let mut sum = 0u64;
    for _ in 0..reps {
        for p in 0..pages {
            for k in 0..8 {
                let w = p * WORDS_PER_PAGE + k * 64;
                sum = sum.wrapping_add(core::ptr::read_volatile(base.add(w)));
            }
        }
    }
    sum
}
