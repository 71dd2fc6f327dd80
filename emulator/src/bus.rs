//! The physical address map (QEMU `virt` layout, DESIGN §3): DRAM, MMIO
//! dispatch to the devices, the per-page decode cache, the HTIF mailbox and
//! virtual time.

use crate::cpu::decode::Insn;
use crate::devices::{
    virtio_blk, Clint, ConsoleSink, FinisherRequest, GuestMemory, Plic, SifiveTest, Uart16550,
    VirtioBlk, CLINT_BASE, CLINT_SIZE, PLIC_BASE, PLIC_SIZE, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE,
    UART0_BASE, UART0_SIZE, VIRTIO_MMIO_BASE, VIRTIO_MMIO_COUNT, VIRTIO_MMIO_STRIDE,
};
use crate::htif::Htif;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::devices::DRAM_BASE;

/// Page flag: the page holds the HTIF `tohost` mailbox.
const PAGE_HTIF: u8 = 2;

/// Decoded instructions per physical page: one slot per 2-byte parcel.
pub(crate) const SLOTS: usize = 2048;
/// Most instructions in one block (see [`CodePage::blocks`]).
pub(crate) const MAX_BLOCK: usize = 32;
/// Block storage per page, in [`Insn`]s, before the page's blocks are
/// dropped and rebuilt on demand.
pub(crate) const BLOCK_CAPACITY: usize = 4096;

/// [`CodePage::entry`] value: no block has been built at this slot yet.
pub(crate) const ENTRY_UNBUILT: u16 = 0;
/// [`CodePage::entry`] value: the instruction at this slot cannot start a
/// block; it runs alone through the per-instruction path.
pub(crate) const ENTRY_NONE: u16 = 1;

/// The decode cache of one physical page.
pub(crate) struct CodePage {
    /// One decoded instruction per 2-byte parcel (slot = `(pa >> 1) % 2048`).
    pub(crate) slots: [Insn; SLOTS],
    /// Per slot: [`ENTRY_UNBUILT`], [`ENTRY_NONE`], or the index + 2 in
    /// `blocks` of the block starting there.
    pub(crate) entry: [u16; SLOTS],
    /// Blocks, stored densely (see `cpu::block`): runs of instructions in
    /// address order within this page (conditional branches inside), each
    /// ending with a jump (included) or with an `Undecoded` marker (the
    /// next instruction runs outside the block). In a block, `Insn::raw` holds the instruction's
    /// byte offset from the block's first instruction.
    pub(crate) blocks: Vec<Insn>,
    /// For each entry of `blocks`, a copy of it with what the timing model
    /// needs of it: the timed block loop reads this array alone (one
    /// pointer fewer in its loop: 4% fewer host instructions).
    pub(crate) statics: Vec<crate::timing::StaticEvent>,
}
/// Bytes per line of code tracking (64 lines per page).
const LINE: usize = 64;

/// Decoded-instruction cache indexed by physical DRAM page, shared by all
/// harts. Slots are decoded lazily on first fetch. For each page a bitmap
/// records which 64-byte lines hold decoded slots; a store into such a line
/// resets the line's slots, so self-modifying code is always seen (the
/// cache is coherent, which `fence.i` permits) while stores to data that
/// shares a page with code stay cheap.
pub struct CodeCache {
    /// Unique per cache: harts check it before using page pointers they hold.
    id: u64,
    /// Per DRAM page: cache page index + 1, or 0 when the page never held code.
    index: Vec<u32>,
    /// Per DRAM page: bit n set when line n may hold decoded slots.
    lines: Vec<u64>,
    /// Decoded pages: heap allocations made by `Box::into_raw`, owned by the
    /// cache, never moved and freed only when the cache is dropped. Harts
    /// keep raw pointers to them (see [`CodeCache::page_ptr`]).
    pages: Vec<NonNull<CodePage>>,
}

// SAFETY: the cache exclusively owns the page allocations its pointers refer
// to; moving it to another thread moves that ownership with it.
unsafe impl Send for CodeCache {}

impl Drop for CodeCache {
    fn drop(&mut self) {
        for p in self.pages.drain(..) {
            // SAFETY: each pointer came from `Box::into_raw` in `page_for`
            // and is freed exactly once, here.
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
    }
}

/// Source of [`CodeCache`] ids.
static NEXT_CODE_CACHE_ID: AtomicU64 = AtomicU64::new(1);

impl CodeCache {
    /// A cache for `dram_pages` pages of DRAM (index vectors are allocated
    /// zeroed, so the host backs them lazily).
    pub fn new(dram_pages: usize) -> CodeCache {
        CodeCache {
            id: NEXT_CODE_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            index: vec![0; dram_pages],
            lines: vec![0; dram_pages],
            pages: Vec::new(),
        }
    }

    /// This cache's unique id.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    fn page(&self, page: usize) -> &CodePage {
        // SAFETY: the pointer is live for the cache's lifetime (see `pages`);
        // the shared borrow of `self` keeps it from being written meanwhile.
        unsafe { self.pages[page].as_ref() }
    }

    pub(crate) fn page_mut(&mut self, page: usize) -> &mut CodePage {
        // SAFETY: as `page`, with `&mut self` excluding other access through
        // the cache. Harts read pages through raw pointers only between
        // calls into the cache, never while holding a reference.
        unsafe { self.pages[page].as_mut() }
    }

    /// The decoded slot for `pc` in cache page `page`.
    pub fn slot(&self, page: usize, pc: u64) -> Insn {
        self.page(page).slots[((pc >> 1) as usize) % SLOTS]
    }

    /// Pointer to cache page `page`. It stays valid as long as this cache
    /// lives; read through it only between calls into the cache, never
    /// holding a reference across one (slots and blocks change when code
    /// is invalidated).
    pub(crate) fn page_ptr(&self, page: usize) -> *const CodePage {
        self.pages[page].as_ptr()
    }

    /// The cache page for DRAM offset `off`, and whether it is new.
    pub fn page_for(&mut self, off: usize) -> (usize, bool) {
        let pg = off >> 12;
        if self.index[pg] != 0 {
            return (self.index[pg] as usize - 1, false);
        }
        let page = Box::into_raw(Box::new(CodePage {
            slots: [Insn::UNDECODED; SLOTS],
            entry: [ENTRY_UNBUILT; SLOTS],
            blocks: Vec::new(),
            statics: Vec::new(),
        }));
        // SAFETY: `Box::into_raw` never returns null.
        self.pages.push(unsafe { NonNull::new_unchecked(page) });
        self.index[pg] = self.pages.len() as u32;
        (self.pages.len() - 1, true)
    }

    /// Whether the DRAM page at offset `off` has ever held decoded code.
    #[inline]
    pub fn is_code_page(&self, off: usize) -> bool {
        self.index[off >> 12] != 0
    }

    /// Store a decoded instruction for DRAM offset `off` (within one page).
    pub fn set_slot(&mut self, page: usize, off: usize, insn: Insn) {
        self.page_mut(page).slots[(off >> 1) % SLOTS] = insn;
        let first = (off & 0xfff) / LINE;
        let last = (((off & 0xfff) + insn.len as usize - 1) / LINE).min(63);
        for l in first..=last {
            self.lines[off >> 12] |= 1 << l;
        }
    }

    /// The decoded lines of the page a store of `size` bytes at DRAM offset
    /// `off` (within one page) touches, as a bit mask (0: none).
    #[inline]
    pub fn code_lines(&self, off: usize, size: usize) -> u64 {
        let lines = self.lines[off >> 12];
        if lines == 0 {
            return 0;
        }
        let first = (off & 0xfff) / LINE;
        let last = (((off & 0xfff) + size - 1) / LINE).min(63);
        lines & (u64::MAX >> (63 - last)) & (u64::MAX << first)
    }

    /// A store of `size` bytes at DRAM offset `off` (within one page):
    /// reset the decoded lines it touches.
    #[inline]
    pub fn on_store(&mut self, off: usize, size: usize) {
        let mask = self.code_lines(off, size);
        if mask != 0 {
            self.invalidate_lines(off >> 12, mask);
        }
    }

    #[cold]
    fn invalidate_lines(&mut self, pg: usize, mask: u64) {
        let page = self.page_mut(self.index[pg] as usize - 1);
        for l in 0..64 {
            if mask & (1 << l) != 0 {
                // The line's slots, and the one slot before it whose 4-byte
                // instruction may run into the line.
                let first = (l * LINE / 2).saturating_sub(1);
                page.slots[first..(l + 1) * LINE / 2].fill(Insn::UNDECODED);
            }
        }
        // Blocks hold copies of the slots: drop them all.
        page.entry.fill(ENTRY_UNBUILT);
        page.blocks.clear();
        page.statics.clear();
        self.lines[pg] &= !mask;
    }

    /// Forget decoded instructions in `[off, off + len)` (any length).
    pub fn invalidate_range(&mut self, off: usize, len: usize) {
        let mut o = off;
        let end = off + len;
        while o < end {
            let chunk = (4096 - (o & 0xfff)).min(end - o);
            self.on_store(o, chunk);
            o += chunk;
        }
    }
}

/// A physical access to an address with no memory or device behind it, or
/// one the device refuses (wrong size or offset): the hart raises the
/// matching access-fault exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessFault;

/// The host could not allocate the guest's DRAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot allocate {0} bytes of guest memory on this host")]
pub struct OutOfHostMemory(pub u64);

/// `bytes` zero bytes, allocated with `alloc_zeroed` so that the host OS
/// backs the pages only when they are first touched (a `vec![0; n]` does
/// the same, but aborts the process when the allocation fails).
fn zeroed_bytes(bytes: u64) -> Result<Vec<u8>, OutOfHostMemory> {
    let n = usize::try_from(bytes).map_err(|_| OutOfHostMemory(bytes))?;
    if n == 0 {
        return Ok(Vec::new());
    }
    let layout = std::alloc::Layout::array::<u8>(n).map_err(|_| OutOfHostMemory(bytes))?;
    // SAFETY: `layout` has a non-zero size.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        return Err(OutOfHostMemory(bytes));
    }
    // SAFETY: `ptr` was allocated by the global allocator with the layout of
    // `[u8; n]`, and all `n` bytes are initialised (zero): exactly what
    // `Vec::from_raw_parts` requires for length = capacity = n.
    Ok(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// Why the machine was asked to stop by the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitRequest {
    /// SiFive test finisher: pass (0x5555) or fail with a code.
    Finisher(FinisherRequest),
    /// HTIF `tohost` exit: 0 = pass, otherwise the code (`tohost >> 1`).
    Htif(u64),
}

/// Conversion of modelled cycles into CLINT `mtime` ticks (virtual time).
#[derive(Clone, Copy, Debug)]
pub struct TimeBase {
    /// Hart clock cycles per `mtime` tick (clock frequency / 10 MHz).
    pub cycles_per_tick: u64,
    /// Cycle count already converted into ticks.
    synced_cycle: u64,
}

/// The system bus: DRAM and devices.
pub struct Bus {
    /// Guest DRAM, `dram.len()` bytes from [`DRAM_BASE`]. Allocated zeroed
    /// (lazily backed by the host OS).
    pub dram: Vec<u8>,
    /// Per 4 KiB DRAM page: `PAGE_*` flags.
    page_flags: Vec<u8>,
    pub code: CodeCache,
    pub clint: Clint,
    pub plic: Plic,
    pub uart: Uart16550,
    pub finisher: SifiveTest,
    pub htif: Option<Htif>,
    /// The virtio-mmio transports (DESIGN §3): slot `n` at
    /// `VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_STRIDE`, PLIC source
    /// `VIRTIO_IRQ_BASE + n`. An empty slot reads as a transport with
    /// DeviceID 0 (VIRTIO 1.2 §4.2.3.1.1), as on QEMU.
    pub virtio: [Option<VirtioBlk>; VIRTIO_MMIO_COUNT],
    pub exit: Option<ExitRequest>,
    pub time: TimeBase,
}

impl Bus {
    /// A bus with `dram_bytes` of DRAM (a multiple of 4 KiB), `harts`
    /// harts' worth of CLINT/PLIC state, console output to `sink`, and
    /// `cycles_per_tick` cycles per `mtime` tick.
    ///
    /// # Panics
    /// If the host cannot provide `dram_bytes`; see [`Bus::try_new`].
    pub fn new(dram_bytes: u64, harts: usize, sink: ConsoleSink, cycles_per_tick: u64) -> Bus {
        match Bus::try_new(dram_bytes, harts, sink, cycles_per_tick) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Bus::new`], failing cleanly when the host cannot allocate the DRAM.
    pub fn try_new(
        dram_bytes: u64,
        harts: usize,
        sink: ConsoleSink,
        cycles_per_tick: u64,
    ) -> Result<Bus, OutOfHostMemory> {
        Ok(Bus {
            dram: zeroed_bytes(dram_bytes)?,
            page_flags: vec![0; (dram_bytes >> 12) as usize],
            code: CodeCache::new((dram_bytes >> 12) as usize),
            clint: Clint::new(harts),
            plic: Plic::new(harts),
            uart: Uart16550::new(sink),
            finisher: SifiveTest::new(),
            htif: None,
            virtio: std::array::from_fn(|_| None),
            exit: None,
            time: TimeBase {
                cycles_per_tick: cycles_per_tick.max(1),
                synced_cycle: 0,
            },
        })
    }

    /// DRAM size in bytes.
    pub fn dram_size(&self) -> u64 {
        self.dram.len() as u64
    }

    /// Offset into `dram` of `[pa, pa + size)`, if it lies entirely in DRAM.
    #[inline]
    pub fn dram_offset(&self, pa: u64, size: u64) -> Option<usize> {
        let off = pa.wrapping_sub(DRAM_BASE);
        (off < self.dram_size() && size <= self.dram_size() - off).then_some(off as usize)
    }

    /// Whether the page of `pa` is DRAM.
    #[inline]
    pub fn is_dram_page(&self, pa: u64) -> bool {
        self.dram_offset(pa & !0xfff, 4096).is_some()
    }

    /// Whether stores to the page of `pa` must take the slow path (the
    /// HTIF mailbox page, anything not DRAM).
    pub fn write_watched(&self, pa: u64) -> bool {
        self.dram_offset(pa, 1)
            .map(|o| self.page_flags[o >> 12] != 0)
            .unwrap_or(true)
    }

    /// Install the HTIF mailbox (found by ELF symbols).
    pub fn set_htif(&mut self, htif: Htif) {
        if let Some(o) = self.dram_offset(htif.tohost, 8) {
            self.page_flags[o >> 12] |= PAGE_HTIF;
        }
        self.htif = Some(htif);
    }

    /// A 16-bit instruction parcel from DRAM.
    #[inline]
    pub fn read_dram_u16(&self, pa: u64) -> Option<u16> {
        let o = self.dram_offset(pa, 2)?;
        Some(u16::from_le_bytes([self.dram[o], self.dram[o + 1]]))
    }

    /// Copy `bytes` into DRAM at `pa` (loader, DMA). Fails if not all in DRAM.
    pub fn write_bytes(&mut self, pa: u64, bytes: &[u8]) -> Result<(), AccessFault> {
        let o = self
            .dram_offset(pa, bytes.len() as u64)
            .ok_or(AccessFault)?;
        self.dram[o..o + bytes.len()].copy_from_slice(bytes);
        self.code.invalidate_range(o, bytes.len());
        Ok(())
    }

    /// Read `bytes.len()` bytes from DRAM at `pa`.
    pub fn read_bytes(&self, pa: u64, len: usize) -> Option<&[u8]> {
        let o = self.dram_offset(pa, len as u64)?;
        Some(&self.dram[o..o + len])
    }

    /// Bring the CLINT's `mtime` up to `cycle` and return it.
    pub fn mtime(&mut self, cycle: u64) -> u64 {
        self.sync_time(cycle);
        self.clint.mtime()
    }

    /// Advance `mtime` by the whole ticks elapsed up to `cycle`.
    pub fn sync_time(&mut self, cycle: u64) {
        let t = &mut self.time;
        if cycle > t.synced_cycle {
            let ticks = (cycle - t.synced_cycle) / t.cycles_per_tick;
            t.synced_cycle += ticks * t.cycles_per_tick;
            self.clint.advance(ticks);
        }
    }

    /// Cycle at which `mtime` reaches `tick` (given it is at `mtime()` now).
    pub fn cycle_of_tick(&self, tick: u64) -> u64 {
        let now = self.clint.mtime();
        let d = tick.saturating_sub(now);
        self.time
            .synced_cycle
            .saturating_add(d.saturating_mul(self.time.cycles_per_tick))
    }

    /// Physical read of `size` bytes (1, 2, 4, 8). `Err` = access fault.
    pub fn read(&mut self, pa: u64, size: u64) -> Result<u64, AccessFault> {
        if let Some(o) = self.dram_offset(pa, size) {
            let mut b = [0u8; 8];
            b[..size as usize].copy_from_slice(&self.dram[o..o + size as usize]);
            return Ok(u64::from_le_bytes(b));
        }
        let s = size as u8;
        let r = match pa {
            _ if in_window(pa, CLINT_BASE, CLINT_SIZE) => self.clint.read(pa - CLINT_BASE, s),
            _ if in_window(pa, PLIC_BASE, PLIC_SIZE) => self.plic.read(pa - PLIC_BASE, s),
            _ if in_window(pa, UART0_BASE, UART0_SIZE) => self.uart.read(pa - UART0_BASE, s),
            _ if in_window(pa, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE) => {
                self.finisher.read(pa - SIFIVE_TEST_BASE, s)
            }
            _ if in_window(pa, VIRTIO_MMIO_BASE, VIRTIO_MMIO_WINDOW) => {
                let (slot, off) = virtio_slot(pa);
                match &mut self.virtio[slot] {
                    Some(dev) => dev.read(off, s),
                    None => virtio_blk::empty_slot_read(off, s),
                }
            }
            _ => Err(()),
        };
        r.map_err(|()| AccessFault)
    }

    /// Physical write of the low `size` bytes of `v`. `Err` = access fault.
    pub fn write(&mut self, pa: u64, size: u64, v: u64) -> Result<(), AccessFault> {
        if let Some(o) = self.dram_offset(pa, size) {
            self.dram[o..o + size as usize].copy_from_slice(&v.to_le_bytes()[..size as usize]);
            self.code.invalidate_range(o, size as usize);
            let flags = self.page_flags[o >> 12] | self.page_flags[(o + size as usize - 1) >> 12];
            if flags & PAGE_HTIF != 0 {
                self.htif_write(pa, size);
            }
            return Ok(());
        }
        let s = size as u8;
        let r = match pa {
            _ if in_window(pa, CLINT_BASE, CLINT_SIZE) => self.clint.write(pa - CLINT_BASE, s, v),
            _ if in_window(pa, PLIC_BASE, PLIC_SIZE) => self.plic.write(pa - PLIC_BASE, s, v),
            _ if in_window(pa, UART0_BASE, UART0_SIZE) => self.uart.write(pa - UART0_BASE, s, v),
            _ if in_window(pa, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE) => {
                let r = self.finisher.write(pa - SIFIVE_TEST_BASE, s, v);
                if let Some(req) = self.finisher.take_request() {
                    self.exit.get_or_insert(ExitRequest::Finisher(req));
                }
                r
            }
            _ if in_window(pa, VIRTIO_MMIO_BASE, VIRTIO_MMIO_WINDOW) => {
                let (slot, off) = virtio_slot(pa);
                match &mut self.virtio[slot] {
                    Some(dev) => {
                        let r = dev.write(off, s, v);
                        if dev.take_notify() {
                            self.virtio_notify(slot);
                        }
                        r
                    }
                    None => virtio_blk::empty_slot_write(off, s, v),
                }
            }
            _ => Err(()),
        };
        r.map_err(|()| AccessFault)
    }

    /// `QueueNotify` on virtio slot `slot`: process its queue now, with DMA
    /// into DRAM through [`GuestMemory`] (VIRTIO 1.2 §2.7.13).
    fn virtio_notify(&mut self, slot: usize) {
        if let Some(mut dev) = self.virtio[slot].take() {
            dev.process(self);
            self.virtio[slot] = Some(dev);
        }
    }

    fn htif_write(&mut self, pa: u64, size: u64) {
        let Some(mut htif) = self.htif.take() else {
            return;
        };
        if pa < htif.tohost + 8 && pa + size > htif.tohost {
            if let Some(code) = htif.service(self) {
                self.exit.get_or_insert(ExitRequest::Htif(code));
            }
        }
        self.htif = Some(htif);
    }
}

/// DMA for virtio devices: DRAM only; writes invalidate decoded code.
impl GuestMemory for Bus {
    fn dma_read(&self, pa: u64, buf: &mut [u8]) -> bool {
        match self.read_bytes(pa, buf.len()) {
            Some(b) => {
                buf.copy_from_slice(b);
                true
            }
            None => false,
        }
    }

    fn dma_write(&mut self, pa: u64, data: &[u8]) -> bool {
        self.write_bytes(pa, data).is_ok()
    }

    fn dma_ok(&self, pa: u64, len: u64) -> bool {
        self.dram_offset(pa, len).is_some()
    }
}

/// Size of the whole virtio-mmio region.
const VIRTIO_MMIO_WINDOW: u64 = VIRTIO_MMIO_STRIDE * VIRTIO_MMIO_COUNT as u64;

/// Slot number and offset in the slot of a virtio-mmio address.
#[inline]
fn virtio_slot(pa: u64) -> (usize, u64) {
    let rel = pa - VIRTIO_MMIO_BASE;
    (
        (rel / VIRTIO_MMIO_STRIDE) as usize,
        rel % VIRTIO_MMIO_STRIDE,
    )
}

#[inline]
fn in_window(pa: u64, base: u64, size: u64) -> bool {
    pa.wrapping_sub(base) < size
}
