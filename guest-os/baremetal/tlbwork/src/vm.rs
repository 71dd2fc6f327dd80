//! The MMU scenarios of `tlbwork` (`workloads::tlb::CYCLIC` ...
//! `SUPERPAGE`): the analytic cases of the MMU issue, parameterised by the
//! region size and the number of passes, for `pagewalk tlb-compare`.
//!
//! [`prepare`] (M-mode, untranslated) writes word 0 of each region page
//! used, edits the identity map for the scenario (a second address space,
//! G bits, superpage leaves) and records the checksum the loads must give.
//! [`supervisor`] (S-mode) runs the scenario's assembly kernel and powers
//! off: exit 0, or 2 when the checksum differs (a translation went to the
//! wrong frame).
//!
//! Every kernel starts with `sfence.vma x0, x0`, and between that fence and
//! its end its only data accesses are its loads, so its TLB counts follow
//! from the access pattern alone. Around it `tlbwork` adds a fixed overhead
//! that does not depend on `reps`: a few accesses before the fence (the
//! dispatch; the asid scenario's `satp` values), whose TLB entries the
//! fence removes, and after the kernel the checksum load and the finisher
//! store, each on its own page and so one miss each from the flushed TLB
//! whatever the kernel did. (As built, 3 DTLB accesses and 3 misses; asid
//! 6 and 4.) With `reps` = 0 a kernel makes no load, so a `reps` = 0 run
//! measures that overhead.
//!
//! | workload | loads (`p` = pages, `r` = reps) | region pages used |
//! |---|---|---|
//! | cyclic | `r` passes over pages `0..p`, one load each | `p` |
//! | conflict | pages `0` and `p - 1` alternated, `r` times | `p` |
//! | asid | `r` rounds: `satp` ← ASID 1, pages `0..p`; `satp` ← ASID 2, pages `0..p` (mapped to frames `p..2p`) | `2p` |
//! | global | `r` rounds over pages `0..2p` (`0..p` global), `sfence.vma x0, ASID` between rounds | `2p` |
//! | superpage | `r` rounds: pages `0..p` through a 2 MiB leaf, then through a 1 GiB leaf | `p` |

use core::arch::asm;
use core::ptr::{addr_of, addr_of_mut, read_volatile, write_volatile};
use workloads::tlb::{ASID, CONFLICT, CYCLIC, GLOBAL, SUPERPAGE};

// PTE bits (Privileged ISA §4.3.1).
const V: u64 = 1;
const R: u64 = 1 << 1;
const W: u64 = 1 << 2;
const G: u64 = 1 << 5;
const A: u64 = 1 << 6;
const D: u64 = 1 << 7;
const PAGE: u64 = 4096;
const PPN_MASK: u64 = (1 << 44) - 1;

/// Where the superpage scenario maps its 2 MiB leaf (level-1 entry 8 of the
/// DRAM gigabyte, just above the 16 MiB identity map) and its 1 GiB leaf
/// (root entry 3, onto the first GiB of DRAM); both reach the region.
pub const MEGA_VA: u64 = 0x8100_0000;
pub const GIGA_VA: u64 = 0xc000_0000;
const GIGA_PA: u64 = 0x8000_0000;

/// The largest `pages` of workload `work` (`None`: not a scenario here).
pub fn max_pages(work: u64) -> Option<u64> {
    Some(match work {
        CYCLIC | CONFLICT => crate::MAX_PAGES,
        // Both halves in the one leaf table the second space replaces.
        ASID => 256,
        GLOBAL => crate::MAX_PAGES / 2,
        // Within one 2 MiB page.
        SUPERPAGE => 512,
        _ => return None,
    })
}

/// The value word 0 of region page `i` holds.
fn word(i: u64) -> u64 {
    (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Sum of `word(i)` for `i` in `0..n`.
fn words(n: u64) -> u64 {
    (0..n).fold(0, |s, i| s.wrapping_add(word(i)))
}

/// One page-table page.
#[repr(C, align(4096))]
struct Table([u64; 512]);

/// The second address space of the asid scenario: root, level-1 table of
/// the DRAM gigabyte and the leaf table of the region's first 2 MiB, copies
/// of the identity map's except for the region pages.
static mut SPACE_B: [Table; 3] = [const { Table([0; 512]) }; 3];
/// `satp` values the asid kernel switches between, and the one to restore.
static mut SATP_A: u64 = 0;
static mut SATP_B: u64 = 0;
static mut SATP_ORIG: u64 = 0;
/// The checksum the kernel's loads must give.
static mut EXPECTED: u64 = 0;

fn table(pte: u64) -> *mut u64 {
    (((pte >> 10) & PPN_MASK) << 12) as *mut u64
}

fn pointer(t: *const Table) -> u64 {
    ((t as u64) >> 12) << 10 | V
}

fn leaf(pa: u64, flags: u64) -> u64 {
    (pa >> 12) << 10 | flags | V | A | D
}

/// Index of `va` in the table of `level` (2 = root).
fn vpn(va: u64, level: u32) -> usize {
    ((va >> (12 + 9 * level)) & 511) as usize
}

/// Set up scenario `work` over `pages` pages at `data` in the identity map
/// whose `satp` is `satp`.
///
/// # Safety
/// M-mode, before translation is on; `satp` is [`baremetal_rt::sv39`]'s
/// identity map (whose DRAM tables this edits), `data` is 2 MiB aligned
/// and `pages` at most [`max_pages`]`(work)`.
pub unsafe fn prepare(work: u64, satp: u64, data: u64, pages: u64, reps: u64) {
    let used = match work {
        ASID | GLOBAL => 2 * pages,
        _ => pages,
    };
    for i in 0..used {
        write_volatile((data + i * PAGE) as *mut u64, word(i));
    }
    let root = ((satp & PPN_MASK) << 12) as *mut u64;
    let l1 = table(*root.add(vpn(data, 2)));
    let l0 = table(*l1.add(vpn(data, 1)));
    let expected = match work {
        CYCLIC => words(pages),
        CONFLICT if pages > 0 => word(0).wrapping_add(word(pages - 1)),
        ASID => {
            let b = &mut *addr_of_mut!(SPACE_B);
            for i in 0..512 {
                b[0].0[i] = *root.add(i);
                b[1].0[i] = *l1.add(i);
                b[2].0[i] = *l0.add(i);
            }
            b[0].0[vpn(data, 2)] = pointer(&b[1]);
            b[1].0[vpn(data, 1)] = pointer(&b[2]);
            for i in 0..pages {
                b[2].0[vpn(data, 0) + i as usize] = leaf(data + (pages + i) * PAGE, R | W);
            }
            *addr_of_mut!(SATP_A) = satp | 1 << 44;
            *addr_of_mut!(SATP_B) = (8 << 60) | 2 << 44 | (&b[0] as *const Table as u64) >> 12;
            *addr_of_mut!(SATP_ORIG) = satp;
            words(2 * pages)
        }
        GLOBAL => {
            for i in 0..pages {
                *l0.add(vpn(data, 0) + i as usize) |= G;
            }
            words(2 * pages)
        }
        SUPERPAGE => {
            *l1.add(vpn(MEGA_VA, 1)) = leaf(data, R);
            *root.add(vpn(GIGA_VA, 2)) = leaf(GIGA_PA, R);
            words(pages).wrapping_mul(2)
        }
        _ => 0,
    };
    *addr_of_mut!(EXPECTED) = expected.wrapping_mul(reps);
}

/// S-mode entry: run scenario `work` and power off.
pub extern "C" fn supervisor(work: u64, pages: u64, reps: u64) -> ! {
    let data = crate::DATA as u64;
    // SAFETY: prepared in M-mode; the kernels only load from mapped pages,
    // and the asid kernel switches between spaces that map this code, its
    // stack and the devices identically.
    let sum = unsafe {
        match work {
            CYCLIC => cyclic(data, pages, reps),
            CONFLICT => conflict(data, pages, reps),
            ASID => asid(
                data,
                pages,
                reps,
                [
                    read_volatile(addr_of!(SATP_A)),
                    read_volatile(addr_of!(SATP_B)),
                    read_volatile(addr_of!(SATP_ORIG)),
                ],
            ),
            GLOBAL => global(data, pages, reps),
            SUPERPAGE => superpage(pages, reps),
            _ => baremetal_rt::exit(1),
        }
    };
    // SAFETY: written in M-mode before S-mode started.
    if sum != unsafe { read_volatile(addr_of!(EXPECTED)) } {
        baremetal_rt::exit(2)
    }
    baremetal_rt::exit(0)
}

/// `reps` passes over `pages` pages at `base`, one load per page.
#[inline(always)]
unsafe fn cyclic(base: u64, pages: u64, reps: u64) -> u64 {
    let sum: u64;
    asm!(
        "sfence.vma x0, x0",
        "li {sum}, 0",
        "beqz {pages}, 9f",
        "beqz {reps}, 9f",
        "li {step}, 4096",
        "2:",
        "mv {p}, {base}",
        "mv {n}, {pages}",
        "3:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 3b",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        "9:",
        base = in(reg) base,
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        sum = out(reg) sum,
        step = out(reg) _,
        p = out(reg) _,
        n = out(reg) _,
        t = out(reg) _,
        options(nostack)
    );
    sum
}

/// Pages 0 and `pages - 1` at `base` alternated `reps` times.
#[inline(always)]
unsafe fn conflict(base: u64, pages: u64, reps: u64) -> u64 {
    let sum: u64;
    asm!(
        "sfence.vma x0, x0",
        "li {sum}, 0",
        "beqz {pages}, 9f",
        "beqz {reps}, 9f",
        "addi {t}, {pages}, -1",
        "slli {t}, {t}, 12",
        "add {last}, {base}, {t}",
        "2:",
        "ld {t}, 0({base})",
        "add {sum}, {sum}, {t}",
        "ld {t}, 0({last})",
        "add {sum}, {sum}, {t}",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        "9:",
        base = in(reg) base,
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        sum = out(reg) sum,
        last = out(reg) _,
        t = out(reg) _,
        options(nostack)
    );
    sum
}

/// `reps` rounds of `pages` loads under `satp[0]`, then under `satp[1]`;
/// `satp[2]` is written at the end.
#[inline(always)]
unsafe fn asid(base: u64, pages: u64, reps: u64, satp: [u64; 3]) -> u64 {
    let sum: u64;
    asm!(
        "sfence.vma x0, x0",
        "li {sum}, 0",
        "beqz {pages}, 9f",
        "beqz {reps}, 9f",
        "li {step}, 4096",
        "2:",
        "csrw satp, {sa}",
        "mv {p}, {base}",
        "mv {n}, {pages}",
        "3:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 3b",
        "csrw satp, {sb}",
        "mv {p}, {base}",
        "mv {n}, {pages}",
        "4:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 4b",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        "9:",
        "csrw satp, {orig}",
        base = in(reg) base,
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        sa = in(reg) satp[0],
        sb = in(reg) satp[1],
        orig = in(reg) satp[2],
        sum = out(reg) sum,
        step = out(reg) _,
        p = out(reg) _,
        n = out(reg) _,
        t = out(reg) _,
        options(nostack)
    );
    sum
}

/// `reps` rounds over `2 * pages` pages, `sfence.vma x0, ASID` (the ASID
/// of the current `satp`) between rounds.
#[inline(always)]
unsafe fn global(base: u64, pages: u64, reps: u64) -> u64 {
    let sum: u64;
    asm!(
        "csrr {asid}, satp",
        "slli {asid}, {asid}, 4",
        "srli {asid}, {asid}, 48",
        "sfence.vma x0, x0",
        "li {sum}, 0",
        "beqz {pages}, 9f",
        "beqz {reps}, 9f",
        "li {step}, 4096",
        "j 3f",
        "2:",
        "sfence.vma x0, {asid}",
        "3:",
        "mv {p}, {base}",
        "slli {n}, {pages}, 1",
        "4:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 4b",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        "9:",
        base = in(reg) base,
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        asid = out(reg) _,
        sum = out(reg) sum,
        step = out(reg) _,
        p = out(reg) _,
        n = out(reg) _,
        t = out(reg) _,
        options(nostack)
    );
    sum
}

/// `reps` rounds of `pages` loads through the 2 MiB leaf, then the same
/// through the 1 GiB leaf.
#[inline(always)]
unsafe fn superpage(pages: u64, reps: u64) -> u64 {
    let sum: u64;
    asm!(
        "sfence.vma x0, x0",
        "li {sum}, 0",
        "beqz {pages}, 9f",
        "beqz {reps}, 9f",
        "li {step}, 4096",
        "2:",
        "mv {p}, {mega}",
        "mv {n}, {pages}",
        "3:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 3b",
        "mv {p}, {giga}",
        "mv {n}, {pages}",
        "4:",
        "ld {t}, 0({p})",
        "add {sum}, {sum}, {t}",
        "add {p}, {p}, {step}",
        "addi {n}, {n}, -1",
        "bnez {n}, 4b",
        "addi {reps}, {reps}, -1",
        "bnez {reps}, 2b",
        "9:",
        mega = in(reg) MEGA_VA,
        giga = in(reg) GIGA_VA + (crate::DATA as u64 - GIGA_PA),
        pages = in(reg) pages,
        reps = inout(reg) reps => _,
        sum = out(reg) sum,
        step = out(reg) _,
        p = out(reg) _,
        n = out(reg) _,
        t = out(reg) _,
        options(nostack)
    );
    sum
}
