//! virtio-blk over virtio-mmio (VIRTIO 1.2): a modern (Version 2) MMIO
//! transport (§4.2.2) with one split virtqueue (§2.7) in front of a block
//! device (§5.2) backed by a host file.
//!
//! Requests are processed synchronously when the driver writes
//! `QueueNotify`: the whole available ring is drained, each request is read
//! from and written to guest DRAM through [`GuestMemory`], the used ring is
//! updated and `InterruptStatus` bit 0 (used buffer notification, §2.7.10)
//! is set. The PLIC line of the transport is `InterruptStatus != 0`.
//!
//! Nothing the guest writes can panic the host. A malformed ring (ring or
//! descriptor table outside DRAM, a descriptor index out of range, a chain
//! longer than the queue, an INDIRECT descriptor, no room for the status
//! byte) puts the device into the DEVICE_NEEDS_RESET state (§2.1.2) with a
//! configuration change notification; a well-formed request whose buffers
//! lie outside DRAM or whose sectors lie beyond the capacity completes with
//! `VIRTIO_BLK_S_IOERR` (§5.2.6).

use super::access_ok;
use serde::Serialize;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// `MagicValue`: "virt" in little endian (§4.2.2).
pub const MAGIC: u32 = 0x7472_6976;
/// `Version` of the modern (non-legacy) virtio-mmio interface (§4.2.2).
pub const VERSION: u32 = 2;
/// virtio device ID of a block device (§5.2.1).
pub const DEVICE_ID_BLOCK: u32 = 2;
/// `VendorID`: QEMU's ("QEMU" in little endian), as QEMU `virt` reports
/// (§4.2.2 leaves the value to the device).
pub const VENDOR_ID: u32 = 0x554D_4551;
/// Largest queue size the device offers (`QueueNumMax`, §4.2.2); the same
/// as QEMU's virtio-blk default `queue-size`.
pub const QUEUE_NUM_MAX: u16 = 256;
/// Bytes per sector: capacity and request sectors count 512-byte units
/// whatever `blk_size` says (§5.2.4, §5.2.6).
pub const SECTOR: u64 = 512;
/// Length of the `GET_ID` serial number (§5.2.6: `VIRTIO_BLK_ID_BYTES`).
pub const ID_BYTES: usize = 20;

/// Device status bits (§2.1).
pub mod status {
    /// The guest has noticed the device.
    pub const ACKNOWLEDGE: u32 = 1;
    /// The guest knows how to drive the device.
    pub const DRIVER: u32 = 2;
    /// The driver is set up and ready to drive the device.
    pub const DRIVER_OK: u32 = 4;
    /// Feature negotiation is complete.
    pub const FEATURES_OK: u32 = 8;
    /// The device has hit an error it cannot recover from (§2.1.2).
    pub const DEVICE_NEEDS_RESET: u32 = 64;
    /// The guest gave up on the device.
    pub const FAILED: u32 = 128;
}

/// Feature bits (§5.2.3 for the block device, §6 for reserved ones).
pub mod features {
    /// Maximum size of any single segment is in `size_max`.
    pub const BLK_F_SIZE_MAX: u64 = 1 << 1;
    /// Maximum number of segments in a request is in `seg_max`.
    pub const BLK_F_SEG_MAX: u64 = 1 << 2;
    /// The device is read-only.
    pub const BLK_F_RO: u64 = 1 << 5;
    /// Block size of the disk is in `blk_size`.
    pub const BLK_F_BLK_SIZE: u64 = 1 << 6;
    /// Cache flush command support.
    pub const BLK_F_FLUSH: u64 = 1 << 9;
    /// Indirect descriptors (§2.7.5.3; not offered).
    pub const F_INDIRECT_DESC: u64 = 1 << 28;
    /// Compliance with VIRTIO 1.x; required by this device (§6.1).
    pub const F_VERSION_1: u64 = 1 << 32;
}

/// Request types (§5.2.6).
pub mod req {
    /// Read sectors into the device-writable buffers.
    pub const T_IN: u32 = 0;
    /// Write sectors from the device-readable buffers.
    pub const T_OUT: u32 = 1;
    /// Flush the volatile write cache.
    pub const T_FLUSH: u32 = 4;
    /// Return the 20-byte device ID string.
    pub const T_GET_ID: u32 = 8;
    /// Status: success.
    pub const S_OK: u8 = 0;
    /// Status: device or driver error.
    pub const S_IOERR: u8 = 1;
    /// Status: request type not supported.
    pub const S_UNSUPP: u8 = 2;
}

/// Descriptor flags (§2.7.5).
const VIRTQ_DESC_F_NEXT: u16 = 1;
const VIRTQ_DESC_F_WRITE: u16 = 2;
const VIRTQ_DESC_F_INDIRECT: u16 = 4;
/// Available ring flag: the driver wants no used buffer notifications (§2.7.7).
const VIRTQ_AVAIL_F_NO_INTERRUPT: u16 = 1;

/// Maximum number of data segments a request may have (`seg_max`, §5.2.4):
/// the queue size minus header and status descriptors.
const SEG_MAX: u32 = QUEUE_NUM_MAX as u32 - 2;
/// Bytes moved between the file and DRAM per step.
const CHUNK: usize = 64 << 10;

/// `InterruptStatus` bits (§4.2.2).
const INT_USED_BUFFER: u32 = 1;
const INT_CONFIG_CHANGE: u32 = 2;

/// Size of the device-specific configuration space at 0x100 (§5.2.4,
/// `struct virtio_blk_config` up to `write_zeroes_may_unmap` and padding).
const CONFIG_SIZE: u64 = 0x40;
/// Offset of the configuration space in the transport window (§4.2.2).
const CONFIG_OFFSET: u64 = 0x100;
/// Size of one virtio-mmio transport window.
const WINDOW: u64 = 0x1000;

/// Physical memory as the device sees it for DMA: guest DRAM. Implemented
/// by [`crate::bus::Bus`] (where writes invalidate decoded code) and by test
/// doubles.
pub trait GuestMemory {
    /// Copy `buf.len()` bytes from physical address `pa`; false (and `buf`
    /// unspecified) when the range is not all DRAM.
    fn dma_read(&self, pa: u64, buf: &mut [u8]) -> bool;
    /// Copy `data` to physical address `pa`; false (nothing written) when
    /// the range is not all DRAM.
    fn dma_write(&mut self, pa: u64, data: &[u8]) -> bool;
    /// Whether `[pa, pa + len)` lies entirely in DRAM.
    fn dma_ok(&self, pa: u64, len: u64) -> bool;
}

/// Disk statistics of one virtio-blk device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiskStats {
    /// Requests completed (any type and status, §5.2.6).
    pub requests: u64,
    /// 512-byte sectors read by successful `VIRTIO_BLK_T_IN` requests.
    pub sectors_read: u64,
    /// 512-byte sectors written by successful `VIRTIO_BLK_T_OUT` requests.
    pub sectors_written: u64,
    /// Successful `VIRTIO_BLK_T_FLUSH` requests.
    pub flushes: u64,
}

/// The split virtqueue's driver-configured state (§2.7, §4.2.2).
#[derive(Clone, Copy, Debug, Default)]
struct Queue {
    num: u16,
    ready: bool,
    desc: u64,
    driver: u64,
    device: u64,
    /// Next available ring index the device will consume.
    last_avail: u16,
    /// Next used ring index the device will fill.
    used_idx: u16,
}

/// The ring is malformed: the device needs a reset (§2.1.2).
#[derive(Debug)]
struct Broken;

/// One descriptor of a chain: (address, length, device-writable).
type Seg = (u64, u32, bool);

/// A virtio-blk device on a modern virtio-mmio transport (VIRTIO 1.2
/// §4.2.2, §5.2), backed by a host file.
pub struct VirtioBlk {
    file: File,
    /// Capacity in 512-byte sectors (§5.2.4 `capacity`).
    capacity: u64,
    read_only: bool,
    serial: [u8; ID_BYTES],
    status: u32,
    device_features_sel: u32,
    driver_features_sel: u32,
    driver_features: u64,
    queue_sel: u32,
    queue: Queue,
    interrupt_status: u32,
    notify: bool,
    /// Request counters.
    pub stats: DiskStats,
}

impl VirtioBlk {
    /// A device over `file` of `size` bytes (capacity `size / 512` sectors);
    /// `read_only` offers `VIRTIO_BLK_F_RO` and fails writes; `serial` is
    /// the `GET_ID` string (truncated to 20 bytes, §5.2.6).
    pub fn new(file: File, size: u64, read_only: bool, serial: &str) -> VirtioBlk {
        let mut id = [0u8; ID_BYTES];
        let n = serial.len().min(ID_BYTES);
        id[..n].copy_from_slice(&serial.as_bytes()[..n]);
        VirtioBlk {
            file,
            capacity: size / SECTOR,
            read_only,
            serial: id,
            status: 0,
            device_features_sel: 0,
            driver_features_sel: 0,
            driver_features: 0,
            queue_sel: 0,
            queue: Queue {
                num: QUEUE_NUM_MAX,
                ..Queue::default()
            },
            interrupt_status: 0,
            notify: false,
            stats: DiskStats::default(),
        }
    }

    /// Capacity in 512-byte sectors.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Whether the device is read-only (`VIRTIO_BLK_F_RO`).
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The device status register (§2.1).
    pub fn status(&self) -> u32 {
        self.status
    }

    /// The interrupt line to the PLIC: any `InterruptStatus` bit set (§4.2.2).
    pub fn irq(&self) -> bool {
        self.interrupt_status != 0
    }

    /// Feature bits the device offers (§5.2.3, §6).
    pub fn device_features(&self) -> u64 {
        let mut f = features::F_VERSION_1
            | features::BLK_F_SEG_MAX
            | features::BLK_F_BLK_SIZE
            | features::BLK_F_FLUSH;
        if self.read_only {
            f |= features::BLK_F_RO;
        }
        f
    }

    /// Device reset (§2.4): everything but the backing file and statistics.
    fn reset(&mut self) {
        self.status = 0;
        self.device_features_sel = 0;
        self.driver_features_sel = 0;
        self.driver_features = 0;
        self.queue_sel = 0;
        self.queue = Queue {
            num: QUEUE_NUM_MAX,
            ..Queue::default()
        };
        self.interrupt_status = 0;
        self.notify = false;
    }

    /// Read of the configuration space (§5.2.4), little endian.
    fn config_bytes(&self) -> [u8; CONFIG_SIZE as usize] {
        let mut c = [0u8; CONFIG_SIZE as usize];
        c[0..8].copy_from_slice(&self.capacity.to_le_bytes());
        // size_max (0x08) stays 0: not offered.
        c[0x0c..0x10].copy_from_slice(&SEG_MAX.to_le_bytes());
        // geometry (0x10) not offered.
        c[0x14..0x18].copy_from_slice(&(SECTOR as u32).to_le_bytes());
        // topology, writeback, num_queues (1), discard, write zeroes:
        // not offered, except num_queues for drivers that read it anyway.
        c[0x22..0x24].copy_from_slice(&1u16.to_le_bytes());
        c
    }

    /// MMIO read at `offset` in the transport window (§4.2.2).
    pub fn read(&mut self, offset: u64, size: u8) -> Result<u64, ()> {
        if !access_ok(offset, size, WINDOW) {
            return Err(());
        }
        if offset >= CONFIG_OFFSET {
            let off = offset - CONFIG_OFFSET;
            if off + u64::from(size) > CONFIG_SIZE {
                return Ok(0);
            }
            let c = self.config_bytes();
            let mut b = [0u8; 8];
            b[..size as usize].copy_from_slice(&c[off as usize..(off + u64::from(size)) as usize]);
            return Ok(u64::from_le_bytes(b));
        }
        if size != 4 {
            // §4.2.2: registers are 32 bits wide; QEMU reads other widths as 0.
            return Ok(0);
        }
        let q = &self.queue;
        let sel0 = self.queue_sel == 0;
        let v: u32 = match offset {
            0x000 => MAGIC,
            0x004 => VERSION,
            0x008 => DEVICE_ID_BLOCK,
            0x00c => VENDOR_ID,
            0x010 => match self.device_features_sel {
                0 => self.device_features() as u32,
                1 => (self.device_features() >> 32) as u32,
                _ => 0,
            },
            0x034 if sel0 => u32::from(QUEUE_NUM_MAX),
            0x044 if sel0 => u32::from(q.ready),
            0x060 => self.interrupt_status,
            0x070 => self.status,
            // No shared memory regions: SHMLen reads as -1 (§4.2.2).
            0x0b0 | 0x0b4 => u32::MAX,
            0x0b8 | 0x0bc => u32::MAX,
            0x0fc => 0, // ConfigGeneration: the configuration never changes.
            _ => 0,
        };
        Ok(u64::from(v))
    }

    /// MMIO write at `offset` in the transport window (§4.2.2). A write to
    /// `QueueNotify` marks the queue for [`VirtioBlk::process`].
    pub fn write(&mut self, offset: u64, size: u8, value: u64) -> Result<(), ()> {
        if !access_ok(offset, size, WINDOW) {
            return Err(());
        }
        if offset >= CONFIG_OFFSET || size != 4 {
            // The configuration space has no writable fields we offer
            // (`writeback` needs VIRTIO_BLK_F_CONFIG_WCE).
            return Ok(());
        }
        let v = value as u32;
        let sel0 = self.queue_sel == 0;
        let q = &mut self.queue;
        let set_lo = |r: &mut u64| *r = (*r & !0xffff_ffff) | u64::from(v);
        let set_hi = |r: &mut u64| *r = (*r & 0xffff_ffff) | (u64::from(v) << 32);
        match offset {
            0x014 => self.device_features_sel = v,
            0x020 => match self.driver_features_sel {
                0 => self.driver_features = (self.driver_features & !0xffff_ffff) | u64::from(v),
                1 => {
                    self.driver_features =
                        (self.driver_features & 0xffff_ffff) | (u64::from(v) << 32)
                }
                _ => {}
            },
            0x024 => self.driver_features_sel = v,
            0x030 => self.queue_sel = v,
            0x038 if sel0 && (1..=u32::from(QUEUE_NUM_MAX)).contains(&v) => q.num = v as u16,
            0x044 if sel0 => {
                q.ready = v & 1 != 0;
                if q.ready {
                    q.last_avail = 0;
                    q.used_idx = 0;
                }
            }
            // QueueNotify: the index of the queue (only queue 0 exists).
            0x050 if v == 0 => self.notify = true,
            0x064 => self.interrupt_status &= !v,
            0x070 => self.write_status(v),
            // The queue addresses may only change while the queue is not
            // ready (§4.2.3.2).
            0x080 if sel0 && !q.ready => set_lo(&mut q.desc),
            0x084 if sel0 && !q.ready => set_hi(&mut q.desc),
            0x090 if sel0 && !q.ready => set_lo(&mut q.driver),
            0x094 if sel0 && !q.ready => set_hi(&mut q.driver),
            0x0a0 if sel0 && !q.ready => set_lo(&mut q.device),
            0x0a4 if sel0 && !q.ready => set_hi(&mut q.device),
            _ => {}
        }
        Ok(())
    }

    /// `Status` write (§2.1, §3.1.1, §4.2.2): 0 resets; FEATURES_OK is kept
    /// only when the driver's features are a subset of the device's and
    /// include VIRTIO_F_VERSION_1.
    fn write_status(&mut self, v: u32) {
        if v == 0 {
            self.reset();
            return;
        }
        let mut v = v & !status::DEVICE_NEEDS_RESET;
        if v & status::FEATURES_OK != 0 && self.status & status::FEATURES_OK == 0 {
            let f = self.driver_features;
            if f & !self.device_features() != 0 || f & features::F_VERSION_1 == 0 {
                v &= !status::FEATURES_OK;
            }
        }
        self.status = v | (self.status & status::DEVICE_NEEDS_RESET);
    }

    /// Whether `QueueNotify` was written since the last call.
    pub fn take_notify(&mut self) -> bool {
        std::mem::take(&mut self.notify)
    }

    /// Process every available request of the queue (§2.7.13, §5.2.6),
    /// with DMA through `mem`. Does nothing unless the driver is ready
    /// (DRIVER_OK, queue ready) and the device does not need a reset.
    pub fn process(&mut self, mem: &mut dyn GuestMemory) {
        let ready = self.status & status::DRIVER_OK != 0
            && self.status & (status::DEVICE_NEEDS_RESET | status::FAILED) == 0
            && self.queue.ready;
        if !ready {
            return;
        }
        if self.drain(mem).is_err() {
            self.status |= status::DEVICE_NEEDS_RESET;
            self.interrupt_status |= INT_CONFIG_CHANGE;
        }
    }

    fn drain(&mut self, mem: &mut dyn GuestMemory) -> Result<(), Broken> {
        let q = self.queue;
        let num = u64::from(q.num);
        // Ring placement (§2.7: descriptor table 16 × num, available ring
        // 6 + 2 × num, used ring 6 + 8 × num).
        if !mem.dma_ok(q.desc, 16 * num)
            || !mem.dma_ok(q.driver, 6 + 2 * num)
            || !mem.dma_ok(q.device, 6 + 8 * num)
        {
            return Err(Broken);
        }
        let avail_flags = read_u16(mem, q.driver)?;
        let avail_idx = read_u16(mem, q.driver + 2)?;
        if avail_idx.wrapping_sub(q.last_avail) > q.num {
            return Err(Broken);
        }
        let mut done = false;
        while self.queue.last_avail != avail_idx {
            let slot = u64::from(self.queue.last_avail % q.num);
            let head = read_u16(mem, q.driver + 4 + 2 * slot)?;
            let chain = read_chain(mem, &q, head)?;
            let written = self.request(mem, &chain)?;
            let used = q.device + 4 + 8 * u64::from(self.queue.used_idx % q.num);
            let mut elem = [0u8; 8];
            elem[..4].copy_from_slice(&u32::from(head).to_le_bytes());
            elem[4..].copy_from_slice(&written.to_le_bytes());
            write_all(mem, used, &elem)?;
            self.queue.used_idx = self.queue.used_idx.wrapping_add(1);
            // The element is written before the index that publishes it
            // (§2.7.8.2); DMA is sequential here.
            write_all(mem, q.device + 2, &self.queue.used_idx.to_le_bytes())?;
            self.queue.last_avail = self.queue.last_avail.wrapping_add(1);
            self.stats.requests += 1;
            done = true;
        }
        if done && avail_flags & VIRTQ_AVAIL_F_NO_INTERRUPT == 0 {
            self.interrupt_status |= INT_USED_BUFFER;
        }
        Ok(())
    }

    /// Execute one request (§5.2.6): header `{type, reserved, sector}` in
    /// the readable part, data, then the status byte as the last writable
    /// byte. Returns the number of bytes written to the writable buffers.
    fn request(&mut self, mem: &mut dyn GuestMemory, chain: &[Seg]) -> Result<u32, Broken> {
        let readable: Vec<Seg> = chain.iter().copied().filter(|s| !s.2).collect();
        let mut writable: Vec<Seg> = chain.iter().copied().filter(|s| s.2).collect();
        let wlen: u64 = writable.iter().map(|s| u64::from(s.1)).sum();
        if wlen == 0 {
            return Err(Broken); // nowhere to put the status byte
        }
        // Split off the status byte: the last byte of the writable part.
        while writable.last().is_some_and(|s| s.1 == 0) {
            writable.pop();
        }
        let status_pa = match writable.last_mut() {
            Some(last) => {
                last.1 -= 1;
                last.0 + u64::from(last.1)
            }
            None => return Err(Broken),
        };
        let data_in: u64 = wlen - 1;
        if !mem.dma_ok(status_pa, 1) {
            return Err(Broken);
        }
        let all_ok = chain.iter().all(|s| mem.dma_ok(s.0, u64::from(s.1)));
        let finish = |mem: &mut dyn GuestMemory, st: u8, n: u64| -> Result<u32, Broken> {
            write_all(mem, status_pa, &[st])?;
            Ok((n + 1) as u32)
        };
        // The 16-byte header from the readable part.
        let mut hdr = [0u8; 16];
        let mut rd = Cursor::new(&readable);
        if !all_ok || rd.read(mem, &mut hdr).is_none() {
            return finish(mem, req::S_IOERR, 0);
        }
        let ty = u32::from_le_bytes(hdr[0..4].try_into().unwrap());
        let sector = u64::from_le_bytes(hdr[8..16].try_into().unwrap());
        let data_out = rd.remaining();
        let range_ok = |len: u64| {
            len.is_multiple_of(SECTOR)
                && sector
                    .checked_add(len / SECTOR)
                    .is_some_and(|end| end <= self.capacity)
        };
        match ty {
            req::T_IN => {
                if !range_ok(data_in) {
                    return finish(mem, req::S_IOERR, 0);
                }
                let mut wr = Cursor::new(&writable);
                let mut buf = vec![0u8; CHUNK.min(data_in as usize)];
                let mut pos = sector * SECTOR;
                let mut left = data_in;
                while left > 0 {
                    let n = (left as usize).min(CHUNK);
                    if self.file.read_exact_at(&mut buf[..n], pos).is_err() {
                        return finish(mem, req::S_IOERR, data_in - left);
                    }
                    wr.write(mem, &buf[..n]);
                    pos += n as u64;
                    left -= n as u64;
                }
                self.stats.sectors_read += data_in / SECTOR;
                finish(mem, req::S_OK, data_in)
            }
            req::T_OUT => {
                if self.read_only || !range_ok(data_out) {
                    return finish(mem, req::S_IOERR, 0);
                }
                let mut buf = vec![0u8; CHUNK.min(data_out as usize)];
                let mut pos = sector * SECTOR;
                let mut left = data_out;
                while left > 0 {
                    let n = (left as usize).min(CHUNK);
                    rd.read(mem, &mut buf[..n]);
                    if self.file.write_all_at(&buf[..n], pos).is_err() {
                        return finish(mem, req::S_IOERR, 0);
                    }
                    pos += n as u64;
                    left -= n as u64;
                }
                self.stats.sectors_written += data_out / SECTOR;
                finish(mem, req::S_OK, 0)
            }
            req::T_FLUSH => {
                if !self.read_only && self.file.sync_data().is_err() {
                    return finish(mem, req::S_IOERR, 0);
                }
                self.stats.flushes += 1;
                finish(mem, req::S_OK, 0)
            }
            req::T_GET_ID => {
                let n = data_in.min(ID_BYTES as u64) as usize;
                let serial = self.serial;
                Cursor::new(&writable).write(mem, &serial[..n]);
                finish(mem, req::S_OK, n as u64)
            }
            _ => finish(mem, req::S_UNSUPP, 0),
        }
    }
}

/// MMIO read of an empty virtio-mmio slot: a transport with no backend
/// reads as `MagicValue`, `Version` 2, `DeviceID` 0 ("no device", §4.2.3.1.1)
/// and QEMU's vendor, everything else 0, as QEMU `virt` does.
pub fn empty_slot_read(offset: u64, size: u8) -> Result<u64, ()> {
    if !access_ok(offset, size, WINDOW) {
        return Err(());
    }
    Ok(match (offset, size) {
        (0x000, 4) => u64::from(MAGIC),
        (0x004, 4) => u64::from(VERSION),
        (0x00c, 4) => u64::from(VENDOR_ID),
        _ => 0,
    })
}

/// MMIO write of an empty virtio-mmio slot: ignored (§4.2.2).
pub fn empty_slot_write(offset: u64, size: u8, _value: u64) -> Result<(), ()> {
    if access_ok(offset, size, WINDOW) {
        Ok(())
    } else {
        Err(())
    }
}

fn read_u16(mem: &dyn GuestMemory, pa: u64) -> Result<u16, Broken> {
    let mut b = [0u8; 2];
    if mem.dma_read(pa, &mut b) {
        Ok(u16::from_le_bytes(b))
    } else {
        Err(Broken)
    }
}

fn write_all(mem: &mut dyn GuestMemory, pa: u64, data: &[u8]) -> Result<(), Broken> {
    if mem.dma_write(pa, data) {
        Ok(())
    } else {
        Err(Broken)
    }
}

/// Follow a descriptor chain from `head` (§2.7.5, §2.7.13.1): at most
/// `num` descriptors, indices below `num`, no INDIRECT, readable before
/// writable.
fn read_chain(mem: &dyn GuestMemory, q: &Queue, head: u16) -> Result<Vec<Seg>, Broken> {
    let mut chain = Vec::new();
    let mut i = head;
    loop {
        if i >= q.num || chain.len() >= usize::from(q.num) {
            return Err(Broken);
        }
        let mut d = [0u8; 16];
        if !mem.dma_read(q.desc + 16 * u64::from(i), &mut d) {
            return Err(Broken);
        }
        let addr = u64::from_le_bytes(d[0..8].try_into().unwrap());
        let len = u32::from_le_bytes(d[8..12].try_into().unwrap());
        let flags = u16::from_le_bytes(d[12..14].try_into().unwrap());
        let next = u16::from_le_bytes(d[14..16].try_into().unwrap());
        if flags & VIRTQ_DESC_F_INDIRECT != 0 {
            return Err(Broken);
        }
        let write = flags & VIRTQ_DESC_F_WRITE != 0;
        if !write && chain.iter().any(|s: &Seg| s.2) {
            return Err(Broken); // readable after writable (§2.7.4.2)
        }
        chain.push((addr, len, write));
        if flags & VIRTQ_DESC_F_NEXT == 0 {
            return Ok(chain);
        }
        i = next;
    }
}

/// A position in a list of segments already checked to lie in DRAM.
struct Cursor<'a> {
    segs: &'a [Seg],
    seg: usize,
    off: u32,
}

impl<'a> Cursor<'a> {
    fn new(segs: &'a [Seg]) -> Cursor<'a> {
        Cursor {
            segs,
            seg: 0,
            off: 0,
        }
    }

    fn remaining(&self) -> u64 {
        let rest: u64 = self.segs[self.seg.min(self.segs.len())..]
            .iter()
            .map(|s| u64::from(s.1))
            .sum();
        rest - u64::from(self.off)
    }

    /// Fill `buf` from the segments; None if they run out first.
    fn read(&mut self, mem: &dyn GuestMemory, buf: &mut [u8]) -> Option<()> {
        let mut done = 0;
        while done < buf.len() {
            let &(pa, len, _) = self.segs.get(self.seg)?;
            let n = ((len - self.off) as usize).min(buf.len() - done);
            if !mem.dma_read(pa + u64::from(self.off), &mut buf[done..done + n]) {
                return None;
            }
            done += n;
            self.advance(n as u32, len);
        }
        Some(())
    }

    /// Copy `data` into the segments, as far as they reach.
    fn write(&mut self, mem: &mut dyn GuestMemory, data: &[u8]) {
        let mut done = 0;
        while done < data.len() {
            let Some(&(pa, len, _)) = self.segs.get(self.seg) else {
                return;
            };
            let n = ((len - self.off) as usize).min(data.len() - done);
            mem.dma_write(pa + u64::from(self.off), &data[done..done + n]);
            done += n;
            self.advance(n as u32, len);
        }
    }

    fn advance(&mut self, n: u32, len: u32) {
        self.off += n;
        if self.off == len {
            self.seg += 1;
            self.off = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::{Bus, DRAM_BASE};
    use crate::devices::{ConsoleSink, VIRTIO_MMIO_BASE, VIRTIO_MMIO_STRIDE};

    const SLOT: usize = 1;
    const BASE: u64 = VIRTIO_MMIO_BASE + SLOT as u64 * VIRTIO_MMIO_STRIDE;
    const DESC: u64 = DRAM_BASE + 0x1000;
    const AVAIL: u64 = DRAM_BASE + 0x2000;
    const USED: u64 = DRAM_BASE + 0x3000;
    const HDR: u64 = DRAM_BASE + 0x4000;
    const STATUS: u64 = DRAM_BASE + 0x4100;
    const DATA: u64 = DRAM_BASE + 0x5000;
    const QN: u16 = 4;

    fn temp_disk(name: &str, sectors: u64) -> (std::path::PathBuf, File) {
        let p = std::env::temp_dir().join(format!(
            "pagewalk-vblk-unit-{}-{name}.img",
            std::process::id()
        ));
        let bytes: Vec<u8> = (0..sectors * SECTOR).map(|o| (o % 251) as u8).collect();
        std::fs::write(&p, bytes).unwrap();
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&p)
            .unwrap();
        (p, f)
    }

    /// A bus with a 64-sector disk in slot 1, driven to DRIVER_OK with a
    /// 4-entry queue.
    fn setup(name: &str, read_only: bool) -> (Bus, std::path::PathBuf) {
        let (p, f) = temp_disk(name, 64);
        let mut bus = Bus::new(1 << 20, 1, ConsoleSink::Buffer(Vec::new()), 100);
        bus.virtio[SLOT] = Some(VirtioBlk::new(f, 64 * SECTOR, read_only, "unit"));
        let w = |bus: &mut Bus, off: u64, v: u64| bus.write(BASE + off, 4, v).unwrap();
        w(&mut bus, 0x70, 0);
        w(&mut bus, 0x70, 3);
        w(&mut bus, 0x24, 1);
        w(&mut bus, 0x20, 1);
        w(&mut bus, 0x24, 0);
        w(&mut bus, 0x20, features::BLK_F_FLUSH);
        w(&mut bus, 0x70, 11);
        assert_eq!(bus.read(BASE + 0x70, 4).unwrap(), 11);
        w(&mut bus, 0x38, u64::from(QN));
        for (off, addr) in [(0x80, DESC), (0x90, AVAIL), (0xa0, USED)] {
            w(&mut bus, off, addr & 0xffff_ffff);
            w(&mut bus, off + 4, addr >> 32);
        }
        w(&mut bus, 0x44, 1);
        w(&mut bus, 0x70, 15);
        (bus, p)
    }

    fn desc(bus: &mut Bus, i: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let mut d = [0u8; 16];
        d[0..8].copy_from_slice(&addr.to_le_bytes());
        d[8..12].copy_from_slice(&len.to_le_bytes());
        d[12..14].copy_from_slice(&flags.to_le_bytes());
        d[14..16].copy_from_slice(&next.to_le_bytes());
        bus.write_bytes(DESC + 16 * u64::from(i), &d).unwrap();
    }

    fn header(bus: &mut Bus, ty: u32, sector: u64) {
        let mut h = [0u8; 16];
        h[0..4].copy_from_slice(&ty.to_le_bytes());
        h[8..16].copy_from_slice(&sector.to_le_bytes());
        bus.write_bytes(HDR, &h).unwrap();
        bus.write_bytes(STATUS, &[0xff]).unwrap();
    }

    /// Publish head 0 in the available ring and notify; returns (status
    /// byte, used len).
    fn kick(bus: &mut Bus) -> (u8, u32) {
        let idx = bus.read(AVAIL + 2, 2).unwrap() as u16;
        bus.write(AVAIL + 4 + 2 * u64::from(idx % QN), 2, 0)
            .unwrap();
        bus.write(AVAIL + 2, 2, u64::from(idx.wrapping_add(1)))
            .unwrap();
        bus.write(BASE + 0x50, 4, 0).unwrap();
        let used_idx = bus.read(USED + 2, 2).unwrap() as u16;
        let e = USED + 4 + 8 * u64::from(used_idx.wrapping_sub(1) % QN);
        let len = bus.read(e + 4, 4).unwrap() as u32;
        (bus.read(STATUS, 1).unwrap() as u8, len)
    }

    fn dev(bus: &Bus) -> &VirtioBlk {
        bus.virtio[SLOT].as_ref().unwrap()
    }

    /// Three-descriptor request: header, data of `len` bytes, status.
    fn simple(bus: &mut Bus, ty: u32, sector: u64, len: u32, write: bool) -> (u8, u32) {
        header(bus, ty, sector);
        let wf = if write { VIRTQ_DESC_F_WRITE } else { 0 };
        desc(bus, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
        desc(bus, 1, DATA, len, VIRTQ_DESC_F_NEXT | wf, 2);
        desc(bus, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
        kick(bus)
    }

    #[test]
    fn registers_and_empty_slots() {
        let (mut bus, p) = setup("regs", false);
        assert_eq!(bus.read(BASE, 4).unwrap(), u64::from(MAGIC));
        assert_eq!(bus.read(BASE + 4, 4).unwrap(), 2);
        assert_eq!(bus.read(BASE + 8, 4).unwrap(), 2);
        assert_eq!(bus.read(BASE + 0x34, 4).unwrap(), u64::from(QUEUE_NUM_MAX));
        assert_eq!(bus.read(BASE + 0x100, 8).unwrap(), 64);
        assert_eq!(bus.read(BASE + 0x114, 4).unwrap(), 512);
        // Empty slot 0: magic, version 2, device id 0; writes ignored.
        assert_eq!(bus.read(VIRTIO_MMIO_BASE, 4).unwrap(), u64::from(MAGIC));
        assert_eq!(bus.read(VIRTIO_MMIO_BASE + 4, 4).unwrap(), 2);
        assert_eq!(bus.read(VIRTIO_MMIO_BASE + 8, 4).unwrap(), 0);
        bus.write(VIRTIO_MMIO_BASE + 0x70, 4, 15).unwrap();
        assert_eq!(bus.read(VIRTIO_MMIO_BASE + 0x70, 4).unwrap(), 0);
        // Misaligned accesses fault; odd widths on registers read 0.
        assert!(bus.read(BASE + 2, 4).is_err());
        assert_eq!(bus.read(BASE, 2).unwrap(), 0);
        // Driver features without VERSION_1: FEATURES_OK refused.
        bus.write(BASE + 0x70, 4, 0).unwrap();
        bus.write(BASE + 0x70, 4, 3).unwrap();
        bus.write(BASE + 0x70, 4, 11).unwrap();
        assert_eq!(bus.read(BASE + 0x70, 4).unwrap(), 3);
        std::fs::remove_file(p).unwrap();
    }

    #[test]
    fn read_write_flush_get_id() {
        let (mut bus, p) = setup("rw", false);
        assert_eq!(
            simple(&mut bus, req::T_IN, 2, 1024, true),
            (req::S_OK, 1025)
        );
        let got = bus.read_bytes(DATA, 1024).unwrap().to_vec();
        let want: Vec<u8> = (1024..2048).map(|o: u64| (o % 251) as u8).collect();
        assert_eq!(got, want);
        assert!(dev(&bus).irq());
        bus.write(BASE + 0x64, 4, 1).unwrap();
        assert!(!dev(&bus).irq());

        bus.write_bytes(DATA, &[0xab; 512]).unwrap();
        assert_eq!(simple(&mut bus, req::T_OUT, 63, 512, false), (req::S_OK, 1));
        let file = std::fs::read(&p).unwrap();
        assert!(file[63 * 512..].iter().all(|&b| b == 0xab));

        // Header split over two descriptors, data over two.
        header(&mut bus, req::T_IN, 0);
        desc(&mut bus, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 3);
        desc(&mut bus, 3, HDR + 8, 8, VIRTQ_DESC_F_NEXT, 1);
        desc(
            &mut bus,
            1,
            DATA,
            100,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            2,
        );
        desc(&mut bus, 2, DATA + 100, 413, VIRTQ_DESC_F_WRITE, 0);
        // 513 writable bytes: 512 of data and the status byte at DATA + 512.
        let _ = kick(&mut bus);
        assert_eq!(bus.read(DATA + 512, 1).unwrap(), 0);
        let want: Vec<u8> = (0..512).map(|o: u64| (o % 251) as u8).collect();
        assert_eq!(bus.read_bytes(DATA, 512).unwrap(), &want[..]);

        assert_eq!(simple(&mut bus, req::T_FLUSH, 0, 0, false), (req::S_OK, 1));
        assert_eq!(
            simple(&mut bus, req::T_GET_ID, 0, 20, true),
            (req::S_OK, 21)
        );
        assert_eq!(bus.read_bytes(DATA, 5).unwrap(), b"unit\0");
        assert_eq!(simple(&mut bus, 77, 0, 0, false).0, req::S_UNSUPP);

        let st = dev(&bus).stats;
        assert_eq!(
            st,
            DiskStats {
                requests: 6,
                sectors_read: 3,
                sectors_written: 1,
                flushes: 1
            }
        );
        std::fs::remove_file(p).unwrap();
    }

    #[test]
    fn errors_complete_with_ioerr() {
        let (mut bus, p) = setup("err", false);
        // Past the end, and wrapping sector numbers.
        assert_eq!(simple(&mut bus, req::T_IN, 63, 1024, true).0, req::S_IOERR);
        assert_eq!(
            simple(&mut bus, req::T_OUT, u64::MAX, 512, false).0,
            req::S_IOERR
        );
        // Not a multiple of 512.
        assert_eq!(simple(&mut bus, req::T_IN, 0, 100, true).0, req::S_IOERR);
        // Data outside DRAM.
        header(&mut bus, req::T_IN, 0);
        desc(
            &mut bus,
            1,
            0x1000,
            512,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            2,
        );
        let _ = kick(&mut bus);
        assert_eq!(bus.read(STATUS, 1).unwrap() as u8, req::S_IOERR);
        assert_eq!(dev(&bus).status() & status::DEVICE_NEEDS_RESET, 0);
        assert_eq!(dev(&bus).stats.sectors_read, 0);
        std::fs::remove_file(p).unwrap();
    }

    #[test]
    fn read_only_disk_fails_writes() {
        let (mut bus, p) = setup("ro", true);
        assert_ne!(dev(&bus).device_features() & features::BLK_F_RO, 0);
        assert_eq!(simple(&mut bus, req::T_OUT, 0, 512, false).0, req::S_IOERR);
        assert_eq!(simple(&mut bus, req::T_IN, 0, 512, true).0, req::S_OK);
        std::fs::remove_file(p).unwrap();
    }

    fn assert_needs_reset(bus: &mut Bus) {
        assert_ne!(dev(bus).status() & status::DEVICE_NEEDS_RESET, 0);
        assert_eq!(bus.read(BASE + 0x60, 4).unwrap() & 2, 2);
        // A reset recovers.
        bus.write(BASE + 0x70, 4, 0).unwrap();
        assert_eq!(bus.read(BASE + 0x70, 4).unwrap(), 0);
        assert!(!dev(bus).irq());
    }

    #[test]
    fn malformed_rings_need_reset() {
        // A descriptor loop.
        let (mut bus, p) = setup("loop", false);
        header(&mut bus, req::T_IN, 0);
        desc(&mut bus, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
        desc(
            &mut bus,
            1,
            DATA,
            512,
            VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
            0,
        );
        let _ = kick(&mut bus);
        assert_needs_reset(&mut bus);
        std::fs::remove_file(p).unwrap();

        // A next index beyond the queue; an INDIRECT descriptor; no
        // writable byte; the ring outside DRAM; avail idx too far ahead.
        type Break = fn(&mut Bus);
        let cases: [Break; 5] = [
            |bus| {
                desc(bus, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 999);
                let _ = kick(bus);
            },
            |bus| {
                desc(bus, 0, HDR, 16, VIRTQ_DESC_F_INDIRECT, 0);
                let _ = kick(bus);
            },
            |bus| {
                desc(bus, 0, HDR, 16, 0, 0);
                let _ = kick(bus);
            },
            |bus| {
                bus.write(BASE + 0x70, 4, 0).unwrap();
                bus.write(BASE + 0x80, 4, 0x1000).unwrap();
                bus.write(BASE + 0x90, 4, AVAIL & 0xffff_ffff).unwrap();
                bus.write(BASE + 0xa0, 4, USED & 0xffff_ffff).unwrap();
                bus.write(BASE + 0x44, 4, 1).unwrap();
                bus.write(BASE + 0x70, 4, 15).unwrap();
                bus.write(AVAIL + 2, 2, 1).unwrap();
                bus.write(BASE + 0x50, 4, 0).unwrap();
            },
            |bus| {
                bus.write(AVAIL + 2, 2, 100).unwrap();
                bus.write(BASE + 0x50, 4, 0).unwrap();
            },
        ];
        for (i, f) in cases.iter().enumerate() {
            let (mut bus, p) = setup(&format!("bad{i}"), false);
            header(&mut bus, req::T_IN, 0);
            f(&mut bus);
            assert_needs_reset(&mut bus);
            std::fs::remove_file(p).unwrap();
        }
    }
}
