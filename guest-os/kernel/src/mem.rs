//! Physical memory: the direct map, the kernel page table, the frame
//! allocator with per-frame metadata, the kernel heap, and Sv39 page-table
//! operations on frames.
//!
//! Memory layout (Sv39):
//!
//! | VA | what |
//! |---|---|
//! | 0 .. 0x40_0000_0000 | user space (256 GiB) |
//! | 0xFFFF_FFC0_0000_0000 + (pa − 0x8000_0000) | direct map of DRAM (4 GiB of global gigapages); the kernel image is at its start |
//! | 0xFFFF_FFE0_0000_0000 + pa | MMIO window (pa < 1 GiB, one global gigapage) |
//!
//! Physical DRAM: kernel image, then the kernel heap, then the frame
//! metadata array, then the frames the allocator hands out.
//!
//! The unsafe code here is the access to frame contents through the direct
//! map (a frame is owned by whoever allocated it) and the heap's region.

use crate::arch::{self, KERNEL_OFFSET};
use crate::mmio::MMIO_BASE;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use spin::Mutex;

pub const PAGE_SIZE: u64 = 4096;
pub const DRAM_BASE: u64 = 0x8000_0000;

// PTE bits (Privileged ISA §4.3.1, §4.4).
pub const PTE_V: u64 = 1 << 0;
pub const PTE_R: u64 = 1 << 1;
pub const PTE_W: u64 = 1 << 2;
pub const PTE_X: u64 = 1 << 3;
pub const PTE_U: u64 = 1 << 4;
pub const PTE_G: u64 = 1 << 5;
pub const PTE_A: u64 = 1 << 6;
pub const PTE_D: u64 = 1 << 7;
/// RSW bit 9 in a present PTE: a clean page of a read-only file VMA
/// (eviction drops it; the next fault re-reads the archive).
pub const PTE_FILE: u64 = 1 << 9;
/// RSW bit 9 in a non-present PTE (V = 0): a swap entry (swap.rs).
pub const PTE_SWAP: u64 = 1 << 9;

/// The direct-map VA of physical address `pa`.
pub fn pa_to_va(pa: u64) -> u64 {
    pa + KERNEL_OFFSET
}

/// The physical address of direct-map (or kernel image) VA `va`.
pub fn va_to_pa(va: u64) -> u64 {
    va - KERNEL_OFFSET
}

/// A root page table in the kernel image.
#[repr(C, align(4096))]
pub struct RootTable(pub [AtomicU64; 512]);

const fn boot_pt() -> RootTable {
    let mut t = [const { AtomicU64::new(0) }; 512];
    let leaf = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    // Identity map of the first GiB of DRAM, for the jump to the upper half.
    t[2] = AtomicU64::new(((DRAM_BASE >> 12) << 10) | leaf | PTE_X);
    // Direct map: 4 GiB of DRAM from 0xFFFF_FFC0_0000_0000.
    let mut i = 0;
    while i < 4 {
        let pa = DRAM_BASE + (i << 30);
        t[256 + i as usize] = AtomicU64::new(((pa >> 12) << 10) | leaf | PTE_X | PTE_G);
        i += 1;
    }
    // MMIO window: PA 0..1 GiB.
    t[((MMIO_BASE >> 30) & 0x1ff) as usize] = AtomicU64::new(leaf | PTE_G);
    RootTable(t)
}

/// The kernel's root page table (boot code installs it; every process
/// root copies its upper half).
#[no_mangle]
pub static BOOT_PT: RootTable = boot_pt();

/// Drop the boot identity mapping once running in the upper half.
pub fn drop_identity_map() {
    BOOT_PT.0[2].store(0, Relaxed);
    arch::sfence_all();
}

/// The kernel's satp value (Sv39, ASID 0).
pub fn kernel_satp() -> u64 {
    (8 << 60) | (va_to_pa(&BOOT_PT as *const RootTable as u64) >> 12)
}

/// Per-frame metadata.
#[derive(Clone, Copy, Default)]
#[repr(C)]
pub struct FrameInfo {
    /// Mappings (and kernel users) of the frame; 0 = free.
    pub refcount: u32,
    /// Reverse map: the virtual page number every mapping of this user
    /// frame is at (reclaim.rs); 0 = not a user page (kernel, page table,
    /// shared memory): never evicted.
    pub rmap: u32,
    /// Bumped at each allocation (FIFO tells a reused frame apart).
    pub gen: u32,
}

struct Frames {
    /// First frame the allocator manages.
    base: u64,
    count: u64,
    meta: &'static mut [FrameInfo],
    /// Intrusive free list: the first word of a free frame is the next one.
    free_head: u64,
    free: u64,
}

static FRAMES: Mutex<Option<Frames>> = Mutex::new(None);

#[global_allocator]
static HEAP: buddy_system_allocator::LockedHeap<32> = buddy_system_allocator::LockedHeap::empty();

/// Summary of physical memory after `init`.
pub struct MemInfo {
    pub ram_end: u64,
    pub heap: u64,
    pub frames: u64,
}

/// Find the end of DRAM by probing (a load beyond it faults).
fn probe_ram_end() -> u64 {
    let mut end = DRAM_BASE;
    let step = 1 << 20;
    while end - DRAM_BASE < (4 << 30) && arch::probe(pa_to_va(end)) {
        end += step;
    }
    // Refine the last MiB to 4 KiB pages.
    if end > DRAM_BASE {
        end -= step;
        while end - DRAM_BASE < (4 << 30) && arch::probe(pa_to_va(end)) {
            end += PAGE_SIZE;
        }
    }
    end
}

/// Probe RAM, set up the heap and the frame allocator.
pub fn init() -> MemInfo {
    let ram_end = probe_ram_end();
    let image_end = va_to_pa(arch::kernel_end());
    let ram = ram_end - DRAM_BASE;
    let heap_size = (ram / 16).clamp(512 << 10, 8 << 20) & !(PAGE_SIZE - 1);
    let heap_start = image_end;
    // SAFETY: heap_start..+heap_size is DRAM after the kernel image, used
    // by nothing else; it is reached through the direct map.
    unsafe {
        HEAP.lock()
            .init(pa_to_va(heap_start) as usize, heap_size as usize)
    };
    let meta_start = heap_start + heap_size;
    let rest = ram_end - meta_start;
    // Each frame costs a page plus its metadata entry.
    let entry = core::mem::size_of::<FrameInfo>() as u64;
    let count = rest / (PAGE_SIZE + entry);
    let meta_bytes = (count * entry).div_ceil(PAGE_SIZE) * PAGE_SIZE;
    let base = meta_start + meta_bytes;
    let count = (ram_end - base) / PAGE_SIZE;
    // SAFETY: meta_start..base is DRAM reserved for the metadata array
    // (count entries fit), used by nothing else; zeroed here.
    let meta = unsafe {
        let p = pa_to_va(meta_start) as *mut FrameInfo;
        core::ptr::write_bytes(p, 0, count as usize);
        core::slice::from_raw_parts_mut(p, count as usize)
    };
    let mut frames = Frames {
        base,
        count,
        meta,
        free_head: 0,
        free: 0,
    };
    for i in (0..count).rev() {
        let pa = base + i * PAGE_SIZE;
        write_word(pa, frames.free_head);
        frames.free_head = pa;
        frames.free += 1;
    }
    *FRAMES.lock() = Some(frames);
    MemInfo {
        ram_end,
        heap: heap_size,
        frames: count,
    }
}

fn write_word(pa: u64, v: u64) {
    // SAFETY: `pa` is a frame owned by the allocator (free) or the caller.
    unsafe { (pa_to_va(pa) as *mut u64).write(v) }
}

fn read_word(pa: u64) -> u64 {
    // SAFETY: as `write_word`.
    unsafe { (pa_to_va(pa) as *const u64).read() }
}

/// Allocate a frame (refcount 1), zero-filled, evicting a user page
/// (reclaim.rs) when none is free. None: out of memory and swap.
pub fn alloc_frame() -> Option<u64> {
    loop {
        if let Some(pa) = alloc_free_frame() {
            return Some(pa);
        }
        if !crate::reclaim::reclaim_one() {
            return None;
        }
    }
}

/// A frame from the free list.
fn alloc_free_frame() -> Option<u64> {
    let mut g = FRAMES.lock();
    let f = g.as_mut()?;
    let pa = f.free_head;
    if pa == 0 {
        return None;
    }
    f.free_head = read_word(pa);
    f.free -= 1;
    let i = ((pa - f.base) / PAGE_SIZE) as usize;
    f.meta[i] = FrameInfo {
        refcount: 1,
        rmap: 0,
        gen: f.meta[i].gen.wrapping_add(1),
    };
    drop(g);
    frame_mut(pa).fill(0);
    Some(pa)
}

/// Drop one reference to `pa`; free it when none is left.
pub fn put_frame(pa: u64) {
    let mut g = FRAMES.lock();
    let f = g.as_mut().expect("frames");
    let i = ((pa - f.base) / PAGE_SIZE) as usize;
    assert!(f.meta[i].refcount > 0, "put_frame: free frame {pa:#x}");
    f.meta[i].refcount -= 1;
    if f.meta[i].refcount == 0 {
        write_word(pa, f.free_head);
        f.free_head = pa;
        f.free += 1;
    }
}

/// Add a reference to `pa` (shared mapping).
pub fn get_frame(pa: u64) {
    let mut g = FRAMES.lock();
    let f = g.as_mut().expect("frames");
    let i = ((pa - f.base) / PAGE_SIZE) as usize;
    f.meta[i].refcount += 1;
}

/// The reference count of frame `pa`.
pub fn refcount(pa: u64) -> u32 {
    let g = FRAMES.lock();
    let f = g.as_ref().expect("frames");
    f.meta[((pa - f.base) / PAGE_SIZE) as usize].refcount
}

/// Record that user frame `pa` is mapped at virtual page `vpn` (every
/// mapping of it); returns its generation.
pub fn set_rmap(pa: u64, vpn: u32) -> u32 {
    let mut g = FRAMES.lock();
    let f = g.as_mut().expect("frames");
    let m = &mut f.meta[((pa - f.base) / PAGE_SIZE) as usize];
    m.rmap = vpn;
    m.gen
}

/// The virtual page number of user frame `pa` (None: free or not a user
/// page).
pub fn rmap(pa: u64) -> Option<u32> {
    let g = FRAMES.lock();
    let f = g.as_ref().expect("frames");
    let m = f.meta[((pa - f.base) / PAGE_SIZE) as usize];
    (m.refcount > 0 && m.rmap != 0).then_some(m.rmap)
}

/// The generation of `pa` when it is an allocated user frame.
pub fn user_page(pa: u64) -> Option<u32> {
    let g = FRAMES.lock();
    let f = g.as_ref().expect("frames");
    let m = f.meta[((pa - f.base) / PAGE_SIZE) as usize];
    (m.refcount > 0 && m.rmap != 0).then_some(m.gen)
}

/// The first frame and the number of frames the allocator manages.
pub fn frame_range() -> (u64, u64) {
    let g = FRAMES.lock();
    let f = g.as_ref().expect("frames");
    (f.base, f.count)
}

/// Free frames, total frames.
pub fn frame_counts() -> (u64, u64) {
    let g = FRAMES.lock();
    g.as_ref().map_or((0, 0), |f| (f.free, f.count))
}

/// The contents of frame `pa`.
pub fn frame_mut(pa: u64) -> &'static mut [u8; 4096] {
    debug_assert!(pa.is_multiple_of(PAGE_SIZE) && pa >= DRAM_BASE);
    // SAFETY: `pa` is an allocated frame; the kernel is single-threaded with
    // interrupts off and callers do not keep two references to one frame.
    unsafe { &mut *(pa_to_va(pa) as *mut [u8; 4096]) }
}

/// Copy frame `src` into frame `dst` (COW break).
pub fn copy_frame(dst: u64, src: u64) {
    assert_ne!(dst, src);
    // SAFETY: two distinct allocated frames, reached through the direct
    // map; nobody else accesses them during the copy.
    unsafe {
        core::ptr::copy_nonoverlapping(pa_to_va(src) as *const u64, pa_to_va(dst) as *mut u64, 512)
    }
}

/// A page table (a frame) as 512 PTEs.
fn table(pa: u64) -> &'static mut [u64; 512] {
    // SAFETY: `pa` is a page-table frame owned by a process (or the kernel
    // root); accesses are not kept across calls.
    unsafe { &mut *(pa_to_va(pa) as *mut [u64; 512]) }
}

pub fn pte_pa(pte: u64) -> u64 {
    (pte >> 10) << 12
}

/// A new root table with the kernel half of BOOT_PT.
pub fn new_root() -> Option<u64> {
    let root = alloc_frame()?;
    let t = table(root);
    for (i, e) in t.iter_mut().enumerate().skip(256) {
        *e = BOOT_PT.0[i].load(Relaxed);
    }
    Some(root)
}

/// The leaf PTE slot for `va` in `root`, creating intermediate tables when
/// `create`. None: no table (or out of frames).
pub fn walk(root: u64, va: u64, create: bool) -> Option<&'static mut u64> {
    let mut t = root;
    for level in [2u32, 1] {
        let idx = ((va >> (12 + 9 * level)) & 0x1ff) as usize;
        let e = &mut table(t)[idx];
        if *e & PTE_V == 0 {
            if !create {
                return None;
            }
            let n = alloc_frame()?;
            *e = ((n >> 12) << 10) | PTE_V;
        }
        t = pte_pa(*e);
    }
    Some(&mut table(t)[((va >> 12) & 0x1ff) as usize])
}

/// Call `f(va, pte)` for every valid leaf PTE of the user half (and every
/// swap entry when `swapped`), in ascending VA order.
pub fn for_each_leaf(root: u64, swapped: bool, mut f: impl FnMut(u64, &mut u64)) {
    for i in 0..256u64 {
        let e2 = table(root)[i as usize];
        if e2 & PTE_V == 0 {
            continue;
        }
        let t1 = pte_pa(e2);
        for j in 0..512u64 {
            let e1 = table(t1)[j as usize];
            if e1 & PTE_V == 0 {
                continue;
            }
            let t0 = pte_pa(e1);
            for k in 0..512u64 {
                let e0 = &mut table(t0)[k as usize];
                if *e0 & PTE_V != 0 || (swapped && *e0 & PTE_SWAP != 0) {
                    f((i << 30) | (j << 21) | (k << 12), e0);
                }
            }
        }
    }
}

/// fork's page-table copy: give `dst` (a new root) the user half of `src`,
/// table by table, sharing every mapped frame (refcount + 1). Private
/// writable pages (`share(va)` false) lose W and get `cow` in both. Costs
/// in proportion to the mapped pages (plus one new table per table).
/// False: out of frames (`dst` is then partly filled; free it).
pub fn copy_user_tables(src: u64, dst: u64, cow: u64, mut share: impl FnMut(u64) -> bool) -> bool {
    for i in 0..256u64 {
        let e2 = table(src)[i as usize];
        if e2 & PTE_V == 0 {
            continue;
        }
        let Some(d1) = alloc_frame() else {
            return false;
        };
        table(dst)[i as usize] = ((d1 >> 12) << 10) | PTE_V;
        let s1 = pte_pa(e2);
        for j in 0..512u64 {
            let e1 = table(s1)[j as usize];
            if e1 & PTE_V == 0 {
                continue;
            }
            let Some(d0) = alloc_frame() else {
                return false;
            };
            table(d1)[j as usize] = ((d0 >> 12) << 10) | PTE_V;
            let (s0, c0) = (table(pte_pa(e1)), table(d0));
            let mut g = FRAMES.lock();
            let f = g.as_mut().expect("frames");
            for k in 0..512usize {
                let mut e = s0[k];
                if e & PTE_V == 0 {
                    if let Some(slot) = crate::swap::slot_of(e) {
                        // A swapped-out page: both now hold the entry.
                        crate::swap::dup(slot);
                        c0[k] = e;
                    }
                    continue;
                }
                if e & PTE_W != 0 && !share((i << 30) | (j << 21) | ((k as u64) << 12)) {
                    e = (e & !PTE_W) | cow;
                    s0[k] = e;
                }
                c0[k] = e;
                f.meta[((pte_pa(e) - f.base) / PAGE_SIZE) as usize].refcount += 1;
            }
        }
    }
    true
}

/// Free the user half of a page table: leaf frames (refcounts) and tables.
pub fn free_user_tables(root: u64) {
    for i in 0..256 {
        let e2 = table(root)[i];
        if e2 & PTE_V == 0 {
            continue;
        }
        let t1 = pte_pa(e2);
        for j in 0..512 {
            let e1 = table(t1)[j];
            if e1 & PTE_V == 0 {
                continue;
            }
            let t0 = pte_pa(e1);
            for k in 0..512 {
                let e0 = table(t0)[k];
                if e0 & PTE_V != 0 {
                    put_frame(pte_pa(e0));
                } else if let Some(slot) = crate::swap::slot_of(e0) {
                    crate::swap::put(slot);
                }
            }
            put_frame(t0);
        }
        put_frame(t1);
    }
    put_frame(root);
}
