//! Page replacement: which resident user frame to evict when the frame
//! allocator runs dry, behind the `ReplacementPolicy` trait (clock and FIFO,
//! `policy=` on the kernel command line), and the eviction itself through
//! the reverse map.
//!
//! Reverse map: a user frame's metadata holds the virtual page number it is
//! mapped at (`FrameInfo::rmap`). Every mapping of a frame is at that VA:
//! private pages are shared only by fork (same VA in parent and child);
//! MAP_SHARED pages, which could differ, are never evicted (rmap 0). The
//! mappings are found by walking each registered address space at that VA
//! (as Linux's anon_vma narrows the search to the candidates), and a frame
//! is evicted only when the PTEs found account for its whole reference
//! count (a frame the kernel holds for a moment, or one half-copied by
//! fork, is skipped).
//!
//! Eviction: a clean file-backed page (PTE_FILE: from a read-only file VMA)
//! is dropped, every PTE becomes 0 and the next fault re-reads the archive;
//! any other page is written to one swap slot whose reference count is the
//! number of PTEs, and every PTE becomes that swap entry.

use crate::{arch, mem, stats, swap};
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use spin::Mutex;

/// An address space eviction may have to update.
struct Space {
    root: u64,
    asid: u64,
}

static SPACES: Mutex<Vec<Space>> = Mutex::new(Vec::new());

/// A new address space (exec, fork).
pub fn register(root: u64, asid: u64) {
    SPACES.lock().push(Space { root, asid });
}

/// An address space is being freed.
pub fn unregister(root: u64) {
    SPACES.lock().retain(|s| s.root != root);
}

/// What an eviction attempt did.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Evict {
    /// The frame is free again.
    Done,
    /// A mapping had the A bit (cleared now): second chance.
    Referenced,
    /// Not evictable now (pinned, shared memory, swap full).
    Busy,
}

/// A page-replacement policy over resident user frames.
pub trait ReplacementPolicy: Send {
    fn name(&self) -> &'static str;
    /// Frame `pa` (generation `gen`) was just mapped for a user page.
    fn resident(&mut self, pa: u64, gen: u32);
    /// Evict one frame with `evict(pa, honour_accessed)`; false: none could be.
    fn reclaim(&mut self, evict: &mut dyn FnMut(u64, bool) -> Evict) -> bool;
}

/// Clock (second chance): a hand sweeps the physical frames; a frame whose
/// PTEs have the A bit loses it (sfence.vma for the page and ASID) and is
/// passed over, one without is evicted.
pub struct Clock {
    base: u64,
    count: u64,
    hand: u64,
}

impl ReplacementPolicy for Clock {
    fn name(&self) -> &'static str {
        "clock"
    }

    fn resident(&mut self, _pa: u64, _gen: u32) {}

    fn reclaim(&mut self, evict: &mut dyn FnMut(u64, bool) -> Evict) -> bool {
        // Two sweeps: the first may only clear A bits.
        for _ in 0..2 * self.count + 1 {
            let pa = self.base + self.hand * mem::PAGE_SIZE;
            self.hand = (self.hand + 1) % self.count;
            if mem::user_page(pa).is_some() && evict(pa, true) == Evict::Done {
                return true;
            }
        }
        false
    }
}

/// FIFO: evict in the order pages became resident, ignoring use.
pub struct Fifo {
    queue: VecDeque<(u64, u32)>,
    frames: u64,
}

impl ReplacementPolicy for Fifo {
    fn name(&self) -> &'static str {
        "fifo"
    }

    fn resident(&mut self, pa: u64, gen: u32) {
        if self.queue.len() as u64 > 2 * self.frames {
            // Drop the entries of frames freed without eviction.
            self.queue
                .retain(|&(pa, gen)| mem::user_page(pa).is_some_and(|g| g == gen));
        }
        self.queue.push_back((pa, gen));
    }

    fn reclaim(&mut self, evict: &mut dyn FnMut(u64, bool) -> Evict) -> bool {
        for _ in 0..self.queue.len() {
            let Some((pa, gen)) = self.queue.pop_front() else {
                return false;
            };
            if mem::user_page(pa) != Some(gen) {
                continue; // freed (and maybe reused) since
            }
            match evict(pa, false) {
                Evict::Done => return true,
                _ => self.queue.push_back((pa, gen)),
            }
        }
        false
    }
}

static POLICY: Mutex<Option<Box<dyn ReplacementPolicy>>> = Mutex::new(None);

/// Install the policy named on the command line (after `mem::init`).
pub fn init(fifo: bool) {
    let (base, count) = mem::frame_range();
    let p: Box<dyn ReplacementPolicy> = if fifo {
        Box::new(Fifo {
            queue: VecDeque::new(),
            frames: count,
        })
    } else {
        Box::new(Clock {
            base,
            count,
            hand: 0,
        })
    };
    crate::klog!("kernel: page replacement: {}", p.name());
    *POLICY.lock() = Some(p);
}

/// Frame `pa` now maps user page `va`: record the reverse map and tell the
/// policy.
pub fn resident(pa: u64, va: u64) {
    let gen = mem::set_rmap(pa, (va >> 12) as u32);
    if let Some(p) = POLICY.lock().as_mut() {
        p.resident(pa, gen);
    }
}

/// Free one frame by evicting a user page. False: nothing evictable.
pub fn reclaim_one() -> bool {
    match POLICY.lock().as_mut() {
        Some(p) => p.reclaim(&mut evict),
        None => false,
    }
}

/// Evict frame `pa` from every PTE that maps it (see the module comment).
fn evict(pa: u64, honour_accessed: bool) -> Evict {
    let Some(vpn) = mem::rmap(pa) else {
        return Evict::Busy;
    };
    let va = (vpn as u64) << 12;
    let spaces = SPACES.lock();
    let mappings = || {
        spaces.iter().filter_map(move |s| {
            let pte = mem::walk(s.root, va, false)?;
            (*pte & mem::PTE_V != 0 && mem::pte_pa(*pte) == pa).then_some((pte, s.asid))
        })
    };
    let (mut n, mut accessed, mut clean) = (0u32, false, true);
    for (pte, _) in mappings() {
        n += 1;
        accessed |= *pte & mem::PTE_A != 0;
        clean &= *pte & mem::PTE_FILE != 0;
    }
    if n == 0 || n != mem::refcount(pa) {
        return Evict::Busy;
    }
    if honour_accessed && accessed {
        for (pte, asid) in mappings() {
            *pte &= !mem::PTE_A;
            arch::sfence_page(va, asid);
        }
        return Evict::Referenced;
    }
    let new = if clean {
        0
    } else {
        let Some(slot) = swap::write_out(pa, n as u16) else {
            return Evict::Busy;
        };
        stats::inc(stats::PSWPOUT);
        stats::add(stats::PGPGOUT, 4);
        swap::entry(slot)
    };
    for (pte, asid) in mappings() {
        *pte = new;
        arch::sfence_page(va, asid);
        mem::put_frame(pa);
    }
    stats::inc(stats::PGSTEAL);
    Evict::Done
}
