//! Bare-metal virtio-blk driver test (VIRTIO 1.2 §4.2 virtio-mmio, §2.7
//! split virtqueues, §5.2 block device), the same image on pagewalk and on
//! QEMU `virt` (`-global virtio-mmio.force-legacy=false`).
//!
//! Probes the eight virtio-mmio slots, initialises the first block device
//! (§3.1.1), then: reads sectors 0..4 and checks [`pattern`], reads 5..8
//! through a chain of one descriptor per sector, writes sectors 8..10 with
//! [`written`] and reads them back, reads past the end (IOERR), sends an
//! unknown request type (UNSUPP), GET_ID and FLUSH. Each completion is taken
//! as a PLIC interrupt (M-mode context, claim/complete) after WFI. The disk
//! must hold at least 16 sectors filled with [`pattern`].
#![no_std]
#![no_main]

use baremetal_rt::{entry, exit, println};
use core::ptr::{addr_of_mut, read_volatile, write_volatile};
use core::sync::atomic::{fence, Ordering};

const VIRTIO_BASE: usize = 0x1000_1000;
const VIRTIO_STRIDE: usize = 0x1000;
const PLIC: usize = 0x0c00_0000;
/// Queue size the driver uses.
const QSIZE: usize = 8;

// virtio-mmio registers (§4.2.2).
const MAGIC: usize = 0x000;
const VERSION: usize = 0x004;
const DEVICE_ID: usize = 0x008;
const DEVICE_FEATURES: usize = 0x010;
const DEVICE_FEATURES_SEL: usize = 0x014;
const DRIVER_FEATURES: usize = 0x020;
const DRIVER_FEATURES_SEL: usize = 0x024;
const QUEUE_SEL: usize = 0x030;
const QUEUE_NUM_MAX: usize = 0x034;
const QUEUE_NUM: usize = 0x038;
const QUEUE_READY: usize = 0x044;
const QUEUE_NOTIFY: usize = 0x050;
const INTERRUPT_STATUS: usize = 0x060;
const INTERRUPT_ACK: usize = 0x064;
const STATUS: usize = 0x070;
const QUEUE_DESC: usize = 0x080;
const QUEUE_DRIVER: usize = 0x090;
const QUEUE_DEVICE: usize = 0x0a0;
const CONFIG_GENERATION: usize = 0x0fc;
const CONFIG: usize = 0x100;

// Status bits (§2.1) and features (§5.2.3, §6).
const ACKNOWLEDGE: u32 = 1;
const DRIVER: u32 = 2;
const DRIVER_OK: u32 = 4;
const FEATURES_OK: u32 = 8;
const F_RO: u32 = 1 << 5;
const F_BLK_SIZE: u32 = 1 << 6;
const F_FLUSH: u32 = 1 << 9;
/// VIRTIO_F_VERSION_1 is bit 32: bit 0 of the high word.
const F_VERSION_1_HI: u32 = 1;

// Requests (§5.2.6).
const T_IN: u32 = 0;
const T_OUT: u32 = 1;
const T_FLUSH: u32 = 4;
const T_GET_ID: u32 = 8;
const DESC_F_NEXT: u16 = 1;
const DESC_F_WRITE: u16 = 2;

/// The disk's initial contents: byte at disk offset `o` (tests/virtio_blk.rs
/// writes the same).
pub fn pattern(o: u64) -> u8 {
    (o.wrapping_mul(7) ^ (o >> 9).wrapping_mul(37)) as u8
}

/// What the test writes at disk offset `o` (sectors 8..10).
pub fn written(o: u64) -> u8 {
    !pattern(o) ^ 0x3c
}

/// Queue memory: descriptor table, available ring, used ring, one page each
/// (§2.7: alignments 16, 2 and 4).
#[repr(C, align(4096))]
struct QueueMem([u8; 3 * 4096]);
static mut QMEM: QueueMem = QueueMem([0; 3 * 4096]);
const AVAIL: usize = 4096;
const USED: usize = 8192;

/// Request header, data and status buffers.
#[repr(C, align(4096))]
struct Buffers {
    data: [u8; 4096],
    hdr: [u8; 16],
    status: [u8; 8],
}
static mut BUF: Buffers = Buffers {
    data: [0; 4096],
    hdr: [0; 16],
    status: [0; 8],
};

fn rd(addr: usize) -> u32 {
    // SAFETY: a 32-bit device register of the virt board (identity-mapped).
    unsafe { read_volatile(addr as *const u32) }
}

fn wr(addr: usize, v: u32) {
    // SAFETY: as `rd`.
    unsafe { write_volatile(addr as *mut u32, v) }
}

fn qmem() -> *mut u8 {
    // SAFETY: only the address is taken; accesses go through mem_r/mem_w.
    unsafe { addr_of_mut!(QMEM.0) as *mut u8 }
}

fn buf() -> &'static mut Buffers {
    // SAFETY: one hart, no interrupt handlers; callers never keep two of
    // these references alive at once, and the device writes the buffers only
    // while the driver waits for a completion.
    unsafe { &mut *addr_of_mut!(BUF) }
}

fn mem_w<T>(off: usize, v: T) {
    // SAFETY: `off` lies inside QMEM and is aligned for `T` (callers).
    unsafe { write_volatile(qmem().add(off) as *mut T, v) }
}

fn mem_r<T>(off: usize) -> T {
    // SAFETY: as `mem_w`.
    unsafe { read_volatile(qmem().add(off) as *const T) }
}

fn read_mip() -> usize {
    let v: usize;
    // SAFETY: reading mip has no side effects.
    unsafe { core::arch::asm!("csrr {}, mip", out(reg) v) };
    v
}

fn wfi() {
    // SAFETY: WFI only waits.
    unsafe { core::arch::asm!("wfi") };
}

/// Driver state: the device's register base, its PLIC source, the next
/// available ring index and the failed checks.
struct Dev {
    base: usize,
    irq: u32,
    avail_idx: u16,
    failures: u32,
}

impl Dev {
    fn reg(&self, off: usize) -> u32 {
        rd(self.base + off)
    }

    fn set(&self, off: usize, v: u32) {
        wr(self.base + off, v)
    }

    fn check(&mut self, ok: bool, what: &str) {
        if !ok {
            println!("FAIL: {what}");
            self.failures += 1;
        }
    }

    /// Submit the chain `segs` (address, length, device-writable), wait for
    /// its completion interrupt, and return the used length.
    fn submit(&mut self, segs: &[(usize, u32, bool)]) -> u32 {
        for (i, &(addr, len, write)) in segs.iter().enumerate() {
            let d = i * 16;
            mem_w::<u64>(d, addr as u64);
            mem_w::<u32>(d + 8, len);
            let mut flags = if write { DESC_F_WRITE } else { 0 };
            if i + 1 < segs.len() {
                flags |= DESC_F_NEXT;
            }
            mem_w::<u16>(d + 12, flags);
            mem_w::<u16>(d + 14, (i + 1) as u16);
        }
        mem_w::<u16>(AVAIL + 4 + 2 * (self.avail_idx as usize % QSIZE), 0);
        fence(Ordering::SeqCst);
        self.avail_idx = self.avail_idx.wrapping_add(1);
        mem_w::<u16>(AVAIL + 2, self.avail_idx);
        fence(Ordering::SeqCst);
        self.set(QUEUE_NOTIFY, 0);
        // Wait for the PLIC's machine external interrupt (mie.MEIE set,
        // mstatus.MIE clear: WFI wakes, no trap is taken).
        while read_mip() & (1 << 11) == 0 {
            wfi();
        }
        let claim = rd(PLIC + 0x20_0004);
        let isr = self.reg(INTERRUPT_STATUS);
        self.set(INTERRUPT_ACK, isr);
        wr(PLIC + 0x20_0004, claim);
        self.check(claim == self.irq, "PLIC claim is the device's source");
        self.check(isr & 1 == 1, "InterruptStatus: used buffer");
        fence(Ordering::SeqCst);
        let used_idx: u16 = mem_r(USED + 2);
        self.check(used_idx == self.avail_idx, "used index advanced");
        let slot = USED + 4 + 8 * (used_idx.wrapping_sub(1) as usize % QSIZE);
        let id: u32 = mem_r(slot);
        self.check(id == 0, "used element id is the chain head");
        mem_r::<u32>(slot + 4)
    }

    /// A request: header, then `data` segments (device-writable when
    /// `write`), then the status byte. Returns (status, used length).
    fn request(&mut self, ty: u32, sector: u64, data: &[(usize, u32)], write: bool) -> (u8, u32) {
        let b = buf();
        b.hdr[0..4].copy_from_slice(&ty.to_le_bytes());
        b.hdr[4..8].fill(0);
        b.hdr[8..16].copy_from_slice(&sector.to_le_bytes());
        b.status[0] = 0xff;
        let mut segs = [(0usize, 0u32, false); QSIZE];
        segs[0] = (b.hdr.as_ptr() as usize, 16, false);
        for (i, &(a, l)) in data.iter().enumerate() {
            segs[1 + i] = (a, l, write);
        }
        let n = data.len() + 2;
        segs[n - 1] = (b.status.as_ptr() as usize, 1, true);
        let used = self.submit(&segs[..n]);
        fence(Ordering::SeqCst);
        // SAFETY: the device has completed the request; read its status.
        let st = unsafe { read_volatile(addr_of_mut!(BUF.status) as *const u8) };
        (st, used)
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn ok_bad(b: bool) -> &'static str {
    if b {
        "ok"
    } else {
        "BAD"
    }
}

/// Whether the data buffer holds `f(base + i)` at every `i < len`.
fn data_is(base: u64, len: usize, f: fn(u64) -> u8) -> bool {
    // SAFETY: reads the buffer the device wrote, after the completion.
    let d = unsafe { &*addr_of_mut!(BUF.data) };
    (0..len).all(|i| d[i] == f(base + i as u64))
}

fn main(_hartid: usize) -> ! {
    println!("virtio-blk test");
    let mut found = None;
    for n in 0..8 {
        let base = VIRTIO_BASE + n * VIRTIO_STRIDE;
        let (magic, version, id) = (rd(base + MAGIC), rd(base + VERSION), rd(base + DEVICE_ID));
        println!("slot {n}: magic {magic:#010x} version {version} device id {id}");
        if magic == 0x7472_6976 && version == 2 && id == 2 && found.is_none() {
            found = Some(n);
        }
    }
    let Some(n) = found else {
        println!("no virtio-blk device");
        exit(2)
    };
    let mut dev = Dev {
        base: VIRTIO_BASE + n * VIRTIO_STRIDE,
        irq: 1 + n as u32,
        avail_idx: 0,
        failures: 0,
    };
    println!("using slot {n}, PLIC source {}", dev.irq);

    // PLIC: the device's source at priority 1, enabled for context 0
    // (hart 0 M-mode), threshold 0; machine external interrupts enabled in
    // mie only.
    wr(PLIC + 4 * dev.irq as usize, 1);
    wr(PLIC + 0x2000, 1 << dev.irq);
    wr(PLIC + 0x20_0000, 0);
    // SAFETY: sets mie.MEIE; mstatus.MIE stays clear, so no trap is taken.
    unsafe { core::arch::asm!("csrs mie, {}", in(reg) 1usize << 11) };

    // Initialisation (§3.1.1).
    dev.set(STATUS, 0);
    dev.set(STATUS, ACKNOWLEDGE);
    dev.set(STATUS, ACKNOWLEDGE | DRIVER);
    dev.set(DEVICE_FEATURES_SEL, 0);
    let lo = dev.reg(DEVICE_FEATURES);
    dev.set(DEVICE_FEATURES_SEL, 1);
    let hi = dev.reg(DEVICE_FEATURES);
    println!(
        "features: VERSION_1 {} FLUSH {} BLK_SIZE {} RO {}",
        yes(hi & F_VERSION_1_HI != 0),
        yes(lo & F_FLUSH != 0),
        yes(lo & F_BLK_SIZE != 0),
        yes(lo & F_RO != 0)
    );
    dev.set(DRIVER_FEATURES_SEL, 0);
    dev.set(DRIVER_FEATURES, lo & (F_FLUSH | F_BLK_SIZE));
    dev.set(DRIVER_FEATURES_SEL, 1);
    dev.set(DRIVER_FEATURES, F_VERSION_1_HI);
    dev.set(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    let ok = dev.reg(STATUS) & FEATURES_OK != 0;
    println!("FEATURES_OK accepted: {}", yes(ok));
    dev.check(ok, "FEATURES_OK");
    dev.set(QUEUE_SEL, 0);
    dev.check(dev.reg(QUEUE_READY) == 0, "queue not ready after reset");
    let max = dev.reg(QUEUE_NUM_MAX);
    dev.check(max as usize >= QSIZE, "QueueNumMax >= 8");
    dev.set(QUEUE_NUM, QSIZE as u32);
    let q = qmem() as usize;
    for (reg, addr) in [
        (QUEUE_DESC, q),
        (QUEUE_DRIVER, q + AVAIL),
        (QUEUE_DEVICE, q + USED),
    ] {
        dev.set(reg, addr as u32);
        dev.set(reg + 4, (addr as u64 >> 32) as u32);
    }
    dev.set(QUEUE_READY, 1);
    dev.set(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
    println!("status {:#x}", dev.reg(STATUS));

    // Configuration space (§5.2.4), read under ConfigGeneration (§4.2.2.2).
    let (capacity, blk_size) = loop {
        let g = dev.reg(CONFIG_GENERATION);
        let cap = dev.reg(CONFIG) as u64 | (dev.reg(CONFIG + 4) as u64) << 32;
        let bs = dev.reg(CONFIG + 0x14);
        if dev.reg(CONFIG_GENERATION) == g {
            break (cap, bs);
        }
    };
    println!("capacity {capacity} sectors, blk_size {blk_size}");

    let data = buf().data.as_mut_ptr() as usize;

    // Sectors 0..4 in one data descriptor.
    let (st, used) = dev.request(T_IN, 0, &[(data, 2048)], true);
    let good = data_is(0, 2048, pattern);
    println!(
        "read 0..4: status {st}, used {used}, pattern {}",
        ok_bad(good)
    );
    dev.check(st == 0 && used == 2049 && good, "read 0..4");

    // Sectors 5..8, one descriptor per sector.
    buf().data.fill(0);
    let segs = [(data, 512), (data + 512, 512), (data + 1024, 512)];
    let (st, used) = dev.request(T_IN, 5, &segs, true);
    let good = data_is(5 * 512, 1536, pattern);
    println!(
        "read 5..8 (3 segments): status {st}, used {used}, pattern {}",
        ok_bad(good)
    );
    dev.check(st == 0 && used == 1537 && good, "read 5..8");

    // Write sectors 8..10, then read them back.
    for (i, b) in buf().data[..1024].iter_mut().enumerate() {
        *b = written(8 * 512 + i as u64);
    }
    let (st, used) = dev.request(T_OUT, 8, &[(data, 1024)], false);
    println!("write 8..10: status {st}, used {used}");
    dev.check(st == 0 && used == 1, "write 8..10");
    buf().data.fill(0);
    let (st, _) = dev.request(T_IN, 8, &[(data, 1024)], true);
    let good = data_is(8 * 512, 1024, written);
    println!("read back 8..10: status {st}, data {}", ok_bad(good));
    dev.check(st == 0 && good, "read back 8..10");

    // Past the end: IOERR.
    let (st, _) = dev.request(T_IN, capacity - 1, &[(data, 1024)], true);
    println!("read past the end: status {st} (IOERR = 1)");
    dev.check(st == 1, "read past the end");

    // Unknown type: UNSUPP.
    let (st, _) = dev.request(99, 0, &[], false);
    println!("request type 99: status {st} (UNSUPP = 2)");
    dev.check(st == 2, "unsupported request");

    // GET_ID.
    buf().data[..20].fill(0);
    let (st, _) = dev.request(T_GET_ID, 0, &[(data, 20)], true);
    let id = &buf().data[..20];
    let len = id.iter().position(|&b| b == 0).unwrap_or(20);
    let id = core::str::from_utf8(&id[..len]).unwrap_or("?");
    println!("GET_ID: status {st}, serial \"{id}\"");
    dev.check(st == 0, "GET_ID");

    // FLUSH.
    let (st, used) = dev.request(T_FLUSH, 0, &[], false);
    println!("FLUSH: status {st}, used {used}");
    dev.check(st == 0 && used == 1, "FLUSH");

    // Reset: the device forgets the queue.
    dev.set(STATUS, 0);
    let reset = dev.reg(STATUS) == 0 && dev.reg(QUEUE_READY) == 0;
    dev.check(reset, "reset");

    if dev.failures == 0 {
        println!("virtio-blk test: all ok");
        exit(0)
    }
    println!("virtio-blk test: {} check(s) failed", dev.failures);
    exit(1)
}

entry!(main);
