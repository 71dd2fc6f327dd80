//! The global allocator: `linked_list_allocator`'s first-fit heap on an
//! arena grown with `brk`, plus blocks of 256 KiB and more straight from
//! `mmap` (returned with `munmap`), as glibc's malloc does. Single-threaded
//! processes: the spin lock never spins.

use crate::mem::{self, PAGE_SIZE};
use crate::syscall;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};
use linked_list_allocator::{Heap, LockedHeap};

/// Blocks at least this large get their own mapping.
const MMAP_THRESHOLD: usize = 256 * 1024;
/// The arena grows by at least this much.
const GROW_MIN: usize = 64 * 1024;

struct UserHeap(LockedHeap);

#[global_allocator]
static HEAP: UserHeap = UserHeap(LockedHeap::empty());

fn round_up(x: usize, to: usize) -> usize {
    x.div_ceil(to) * to
}

impl UserHeap {
    /// Grow the arena (creating it on first use) by at least `need` bytes.
    fn grow(heap: &mut Heap, need: usize) -> bool {
        let by = round_up(need.max(GROW_MIN), PAGE_SIZE);
        if heap.size() == 0 {
            let base = round_up(syscall::brk(0), PAGE_SIZE);
            if syscall::brk(base + by) < base + by {
                return false;
            }
            // SAFETY: base..base + by was just added to the data segment by
            // brk: valid, writable, and used by nothing else.
            unsafe { heap.init(base as *mut u8, by) };
        } else {
            let top = heap.top() as usize;
            if syscall::brk(top + by) < top + by {
                return false;
            }
            // SAFETY: top..top + by, right after the heap, was just added
            // by brk and is used by nothing else.
            unsafe { heap.extend(by) };
        }
        true
    }
}

// SAFETY: blocks come from the heap (which hands out disjoint, suitably
// aligned blocks of the requested size) or from a fresh mapping of at
// least `size` bytes, page-aligned; dealloc gives each back to where it
// came from, which the layout's size decides the same way both times.
unsafe impl GlobalAlloc for UserHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= MMAP_THRESHOLD && layout.align() <= PAGE_SIZE {
            return mem::Mapping::private(layout.size())
                .map(|m| {
                    let addr = m.addr();
                    core::mem::forget(m);
                    addr as *mut u8
                })
                .unwrap_or(ptr::null_mut());
        }
        let mut heap = self.0.lock();
        if let Ok(p) = heap.allocate_first_fit(layout) {
            return p.as_ptr();
        }
        if !Self::grow(&mut heap, layout.size() + layout.align() + 64) {
            return ptr::null_mut();
        }
        heap.allocate_first_fit(layout)
            .map_or(ptr::null_mut(), |p| p.as_ptr())
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if layout.size() >= MMAP_THRESHOLD && layout.align() <= PAGE_SIZE {
            let _ = mem::munmap(p as usize, layout.size());
            return;
        }
        if let Some(p) = NonNull::new(p) {
            // SAFETY: `p` came from `allocate_first_fit` with this layout
            // (the caller's contract), and is freed once.
            unsafe { self.0.lock().deallocate(p, layout) };
        }
    }
}
