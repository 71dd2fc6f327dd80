//! virtio-blk driver (VIRTIO 1.2 §4.2 virtio-mmio, §2.7 split virtqueue,
//! §5.2 block device), polled: one request at a time, the driver spins on
//! the used ring. Disks are told apart by their GET_ID serial.

use crate::mem::{self, pa_to_va};
use crate::mmio::{read32, write32};
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{fence, Ordering};

const VIRTIO_BASE: u64 = 0x1000_1000;
const VIRTIO_STRIDE: u64 = 0x1000;
const QSIZE: u16 = 8;

const MAGIC: u64 = 0x000;
const VERSION: u64 = 0x004;
const DEVICE_ID: u64 = 0x008;
const DEVICE_FEATURES: u64 = 0x010;
const DEVICE_FEATURES_SEL: u64 = 0x014;
const DRIVER_FEATURES: u64 = 0x020;
const DRIVER_FEATURES_SEL: u64 = 0x024;
const QUEUE_SEL: u64 = 0x030;
const QUEUE_NUM_MAX: u64 = 0x034;
const QUEUE_NUM: u64 = 0x038;
const QUEUE_READY: u64 = 0x044;
const QUEUE_NOTIFY: u64 = 0x050;
const INTERRUPT_STATUS: u64 = 0x060;
const INTERRUPT_ACK: u64 = 0x064;
const STATUS: u64 = 0x070;
const QUEUE_DESC: u64 = 0x080;
const QUEUE_DRIVER: u64 = 0x090;
const QUEUE_DEVICE: u64 = 0x0a0;
const CONFIG: u64 = 0x100;

const ACKNOWLEDGE: u32 = 1;
const DRIVER: u32 = 2;
const DRIVER_OK: u32 = 4;
const FEATURES_OK: u32 = 8;
const F_VERSION_1_HI: u32 = 1;

const T_IN: u32 = 0;
const T_OUT: u32 = 1;
const T_GET_ID: u32 = 8;
const DESC_F_NEXT: u16 = 1;
const DESC_F_WRITE: u16 = 2;

// Offsets in the queue frame.
const AVAIL: u64 = 128;
const USED: u64 = 256;
const HDR: u64 = 512;
const STAT: u64 = 528;
const ID: u64 = 1024;

/// An initialised virtio-blk device.
pub struct Disk {
    base: u64,
    /// Queue memory and request header/status (one frame).
    qpa: u64,
    avail_idx: u16,
    pub serial: String,
    /// Capacity in 512-byte sectors.
    pub capacity: u64,
    pub sectors_read: u64,
    pub sectors_written: u64,
}

fn qw<T>(qpa: u64, off: u64, v: T) {
    // SAFETY: `qpa` is the disk's queue frame, owned by the driver; `off`
    // is inside it and aligned for T.
    unsafe { core::ptr::write_volatile((pa_to_va(qpa) + off) as *mut T, v) }
}

fn qr<T>(qpa: u64, off: u64) -> T {
    // SAFETY: as `qw`.
    unsafe { core::ptr::read_volatile((pa_to_va(qpa) + off) as *const T) }
}

impl Disk {
    fn reg(&self, off: u64) -> u32 {
        read32(self.base + off)
    }
    fn set(&self, off: u64, v: u32) {
        write32(self.base + off, v)
    }

    fn init(base: u64) -> Option<Disk> {
        let qpa = mem::alloc_frame()?;
        let mut d = Disk {
            base,
            qpa,
            avail_idx: 0,
            serial: String::new(),
            capacity: 0,
            sectors_read: 0,
            sectors_written: 0,
        };
        d.set(STATUS, 0);
        d.set(STATUS, ACKNOWLEDGE);
        d.set(STATUS, ACKNOWLEDGE | DRIVER);
        d.set(DEVICE_FEATURES_SEL, 1);
        if d.reg(DEVICE_FEATURES) & F_VERSION_1_HI == 0 {
            return None;
        }
        d.set(DRIVER_FEATURES_SEL, 0);
        d.set(DRIVER_FEATURES, 0);
        d.set(DRIVER_FEATURES_SEL, 1);
        d.set(DRIVER_FEATURES, F_VERSION_1_HI);
        d.set(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        if d.reg(STATUS) & FEATURES_OK == 0 {
            return None;
        }
        d.set(QUEUE_SEL, 0);
        if d.reg(QUEUE_NUM_MAX) < QSIZE as u32 {
            return None;
        }
        d.set(QUEUE_NUM, QSIZE as u32);
        for (reg, addr) in [
            (QUEUE_DESC, qpa),
            (QUEUE_DRIVER, qpa + AVAIL),
            (QUEUE_DEVICE, qpa + USED),
        ] {
            d.set(reg, addr as u32);
            d.set(reg + 4, (addr >> 32) as u32);
        }
        d.set(QUEUE_READY, 1);
        d.set(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        d.capacity = d.reg(CONFIG) as u64 | (d.reg(CONFIG + 4) as u64) << 32;
        // GET_ID: 20 bytes, NUL-padded.
        d.request(T_GET_ID, 0, qpa + ID, 20, true);
        let id = &mem::frame_mut(qpa)[ID as usize..ID as usize + 20];
        let len = id.iter().position(|&b| b == 0).unwrap_or(20);
        d.serial = String::from_utf8_lossy(&id[..len]).into_owned();
        Some(d)
    }

    /// One request: header, one data buffer at physical `data` (device
    /// writes it when `to_mem`), status. Returns the status byte.
    fn request(&mut self, ty: u32, sector: u64, data: u64, len: u32, to_mem: bool) -> u8 {
        let q = self.qpa;
        qw::<u32>(q, HDR, ty);
        qw::<u32>(q, HDR + 4, 0);
        qw::<u64>(q, HDR + 8, sector);
        qw::<u8>(q, STAT, 0xff);
        let segs = [
            (q + HDR, 16, 0),
            (data, len, if to_mem { DESC_F_WRITE } else { 0 }),
            (q + STAT, 1, DESC_F_WRITE),
        ];
        for (i, &(addr, len, flags)) in segs.iter().enumerate() {
            let d = i as u64 * 16;
            qw::<u64>(q, d, addr);
            qw::<u32>(q, d + 8, len);
            let next = if i + 1 < segs.len() { DESC_F_NEXT } else { 0 };
            qw::<u16>(q, d + 12, flags | next);
            qw::<u16>(q, d + 14, i as u16 + 1);
        }
        qw::<u16>(q, AVAIL + 4 + 2 * (self.avail_idx % QSIZE) as u64, 0);
        fence(Ordering::SeqCst);
        self.avail_idx = self.avail_idx.wrapping_add(1);
        qw::<u16>(q, AVAIL + 2, self.avail_idx);
        fence(Ordering::SeqCst);
        self.set(QUEUE_NOTIFY, 0);
        while qr::<u16>(q, USED + 2) != self.avail_idx {
            core::hint::spin_loop();
        }
        fence(Ordering::SeqCst);
        let isr = self.reg(INTERRUPT_STATUS);
        self.set(INTERRUPT_ACK, isr);
        qr::<u8>(q, STAT)
    }

    /// Read `len` bytes (a multiple of 512, at most a page) from `sector`
    /// into physical memory at `pa`.
    pub fn read(&mut self, sector: u64, pa: u64, len: u32) -> Result<(), u8> {
        match self.request(T_IN, sector, pa, len, true) {
            0 => {
                self.sectors_read += len as u64 / 512;
                Ok(())
            }
            st => Err(st),
        }
    }

    /// Write `len` bytes from physical `pa` to `sector`.
    pub fn write(&mut self, sector: u64, pa: u64, len: u32) -> Result<(), u8> {
        match self.request(T_OUT, sector, pa, len, false) {
            0 => {
                self.sectors_written += len as u64 / 512;
                Ok(())
            }
            st => Err(st),
        }
    }
}

/// Probe the eight virtio-mmio slots and initialise every block device.
pub fn probe() -> Vec<Disk> {
    let mut disks = Vec::new();
    for n in 0..8 {
        let base = VIRTIO_BASE + n * VIRTIO_STRIDE;
        if read32(base + MAGIC) == 0x7472_6976
            && read32(base + VERSION) == 2
            && read32(base + DEVICE_ID) == 2
        {
            if let Some(d) = Disk::init(base) {
                disks.push(d);
            }
        }
    }
    disks
}
