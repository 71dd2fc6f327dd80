//! The physical address map (QEMU `virt` layout, DESIGN §3): DRAM, MMIO
//! dispatch to the devices, the per-page decode cache, the HTIF mailbox and
//! virtual time.

use crate::cpu::decode::Insn;
use crate::devices::{
    Clint, ConsoleSink, FinisherRequest, Plic, SifiveTest, Uart16550, CLINT_BASE, CLINT_SIZE,
    PLIC_BASE, PLIC_SIZE, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE, UART0_BASE, UART0_SIZE,
};
use crate::htif::Htif;
use std::collections::HashMap;

pub use crate::devices::DRAM_BASE;

/// Page flag: the page holds decoded instructions (stores must invalidate).
const PAGE_CODE: u8 = 1;
/// Page flag: the page holds the HTIF `tohost` mailbox.
const PAGE_HTIF: u8 = 2;

/// Decoded instructions per physical page: one slot per 2-byte parcel.
const SLOTS: usize = 2048;

/// Decoded-instruction cache indexed by physical page, shared by all harts.
/// Slots are decoded lazily on first fetch and reset when the bytes under
/// them are written, so self-modifying code is always seen (the cache is
/// coherent, which `fence.i` permits).
#[derive(Default)]
pub struct CodeCache {
    index: HashMap<u64, usize>,
    pages: Vec<Box<[Insn; SLOTS]>>,
}

impl CodeCache {
    /// The decoded slot for `pc` in cache page `page`.
    #[inline(always)]
    pub fn slot(&self, page: usize, pc: u64) -> Insn {
        self.pages[page][((pc >> 1) as usize) % SLOTS]
    }

    /// The cache page for physical address `pa`, and whether it is new.
    pub fn page_for(&mut self, pa: u64) -> (usize, bool) {
        let ppn = pa >> 12;
        if let Some(&p) = self.index.get(&ppn) {
            return (p, false);
        }
        let p = self.pages.len();
        self.pages.push(Box::new([Insn::UNDECODED; SLOTS]));
        self.index.insert(ppn, p);
        (p, true)
    }

    pub fn set_slot(&mut self, page: usize, pa: u64, insn: Insn) {
        self.pages[page][((pa >> 1) as usize) % SLOTS] = insn;
    }

    /// Forget decoded instructions overlapping the bytes `[pa, pa + size)`.
    pub fn invalidate(&mut self, pa: u64, size: u64) {
        let Some(&p) = self.index.get(&(pa >> 12)) else {
            return;
        };
        // An instruction starting up to 2 bytes before `pa` may cover it.
        let first = (pa & 0xfff).saturating_sub(2) >> 1;
        let last = (((pa & 0xfff) + size - 1) >> 1).min(SLOTS as u64 - 1);
        for s in first..=last {
            self.pages[p][s as usize] = Insn::UNDECODED;
        }
        // A write running into the next page.
        if (pa & 0xfff) + size > 4096 {
            let next = (pa | 0xfff) + 1;
            self.invalidate(next, pa + size - next);
        }
    }

    /// Drop everything (e.g. after loading a new image).
    pub fn clear(&mut self) {
        for p in self.pages.iter_mut() {
            p.fill(Insn::UNDECODED);
        }
    }
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
    pub exit: Option<ExitRequest>,
    pub time: TimeBase,
}

impl Bus {
    /// A bus with `dram_bytes` of DRAM (a multiple of 4 KiB), `harts`
    /// harts' worth of CLINT/PLIC state, console output to `sink`, and
    /// `cycles_per_tick` cycles per `mtime` tick.
    pub fn new(dram_bytes: u64, harts: usize, sink: ConsoleSink, cycles_per_tick: u64) -> Bus {
        Bus {
            dram: vec![0; dram_bytes as usize],
            page_flags: vec![0; (dram_bytes >> 12) as usize],
            code: CodeCache::default(),
            clint: Clint::new(harts),
            plic: Plic::new(harts),
            uart: Uart16550::new(sink),
            finisher: SifiveTest::new(),
            htif: None,
            exit: None,
            time: TimeBase {
                cycles_per_tick: cycles_per_tick.max(1),
                synced_cycle: 0,
            },
        }
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

    /// Whether stores to the page of `pa` must take the slow path.
    pub fn write_watched(&self, pa: u64) -> bool {
        self.dram_offset(pa, 1)
            .map(|o| self.page_flags[o >> 12] != 0)
            .unwrap_or(true)
    }

    /// Mark the DRAM page of `pa` as holding decoded code.
    pub fn mark_code_page(&mut self, pa: u64) {
        if let Some(o) = self.dram_offset(pa, 1) {
            self.page_flags[o >> 12] |= PAGE_CODE;
        }
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
    pub fn write_bytes(&mut self, pa: u64, bytes: &[u8]) -> Result<(), ()> {
        let o = self.dram_offset(pa, bytes.len() as u64).ok_or(())?;
        self.dram[o..o + bytes.len()].copy_from_slice(bytes);
        if !bytes.is_empty() {
            self.code.invalidate(pa, bytes.len() as u64);
        }
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
    pub fn read(&mut self, pa: u64, size: u64) -> Result<u64, ()> {
        if let Some(o) = self.dram_offset(pa, size) {
            let mut b = [0u8; 8];
            b[..size as usize].copy_from_slice(&self.dram[o..o + size as usize]);
            return Ok(u64::from_le_bytes(b));
        }
        let s = size as u8;
        match pa {
            _ if in_window(pa, CLINT_BASE, CLINT_SIZE) => self.clint.read(pa - CLINT_BASE, s),
            _ if in_window(pa, PLIC_BASE, PLIC_SIZE) => self.plic.read(pa - PLIC_BASE, s),
            _ if in_window(pa, UART0_BASE, UART0_SIZE) => self.uart.read(pa - UART0_BASE, s),
            _ if in_window(pa, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE) => {
                self.finisher.read(pa - SIFIVE_TEST_BASE, s)
            }
            _ => Err(()),
        }
    }

    /// Physical write of the low `size` bytes of `v`. `Err` = access fault.
    pub fn write(&mut self, pa: u64, size: u64, v: u64) -> Result<(), ()> {
        if let Some(o) = self.dram_offset(pa, size) {
            self.dram[o..o + size as usize].copy_from_slice(&v.to_le_bytes()[..size as usize]);
            let flags = self.page_flags[o >> 12] | self.page_flags[(o + size as usize - 1) >> 12];
            if flags & PAGE_CODE != 0 {
                self.code.invalidate(pa, size);
            }
            if flags & PAGE_HTIF != 0 {
                self.htif_write(pa, size);
            }
            return Ok(());
        }
        let s = size as u8;
        match pa {
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
            _ => Err(()),
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

#[inline]
fn in_window(pa: u64, base: u64, size: u64) -> bool {
    pa.wrapping_sub(base) < size
}
