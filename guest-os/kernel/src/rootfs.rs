//! The root file system: a ustar archive on the virtio-blk disk whose
//! serial is `root`. At boot the kernel reads every header once and keeps
//! an index (name, data offset, size); file pages are then read straight
//! from the disk into their frames, sector by sector.

use crate::mem;
use crate::virtio::Disk;
use alloc::string::String;
use alloc::vec::Vec;
use spin::Mutex;

/// A regular file in the archive.
#[derive(Clone)]
pub struct File {
    pub name: String,
    /// Byte offset of the data on the disk (a multiple of 512).
    pub offset: u64,
    pub size: u64,
}

struct Root {
    disk: Disk,
    files: Vec<File>,
}

static ROOT: Mutex<Option<Root>> = Mutex::new(None);

fn octal(field: &[u8]) -> Option<u64> {
    let mut v = 0u64;
    let mut seen = false;
    for &b in field {
        match b {
            b'0'..=b'7' => {
                v = v.checked_mul(8)? + (b - b'0') as u64;
                seen = true;
            }
            b' ' | 0 if seen => break,
            b' ' | 0 => {}
            _ => return None,
        }
    }
    Some(v)
}

fn cstr(field: &[u8]) -> &[u8] {
    let n = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..n]
}

/// Read the archive's headers. Returns the number of files.
pub fn mount(mut disk: Disk) -> Result<usize, &'static str> {
    let scratch = mem::alloc_frame().ok_or("out of memory")?;
    let mut files = Vec::new();
    let mut sector = 0u64;
    while sector < disk.capacity {
        disk.read(sector, scratch, 512)
            .map_err(|_| "read error in the root archive")?;
        let h = &mem::frame_mut(scratch)[..512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let sum: u64 = h
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    b as u64
                }
            })
            .sum();
        if octal(&h[148..156]) != Some(sum) {
            return Err("bad ustar header checksum");
        }
        let size = octal(&h[124..136]).ok_or("bad ustar size")?;
        let kind = h[156];
        let mut name = Vec::new();
        if &h[257..262] == b"ustar" && h[345] != 0 {
            name.extend_from_slice(cstr(&h[345..500]));
            name.push(b'/');
        }
        name.extend_from_slice(cstr(&h[0..100]));
        let name = String::from_utf8_lossy(&name).into_owned();
        if kind == b'0' || kind == 0 {
            files.push(File {
                name: normalize(&name).into(),
                offset: (sector + 1) * 512,
                size,
            });
        }
        sector += 1 + size.div_ceil(512);
    }
    mem::put_frame(scratch);
    let n = files.len();
    *ROOT.lock() = Some(Root { disk, files });
    Ok(n)
}

/// `path` without leading `/` and `./`.
fn normalize(path: &str) -> &str {
    let mut p = path;
    loop {
        if let Some(r) = p.strip_prefix('/') {
            p = r;
        } else if let Some(r) = p.strip_prefix("./") {
            p = r;
        } else {
            return p;
        }
    }
}

/// Look a file up by path (`/bin/hello`, `bin/hello`).
pub fn lookup(path: &str) -> Option<File> {
    let p = normalize(path);
    let g = ROOT.lock();
    g.as_ref()?.files.iter().find(|f| f.name == p).cloned()
}

/// Read `len` bytes (at most a page) of `file` at `off` (a multiple of
/// 512) into the frame `pa`; the rest of the frame is left as it is.
pub fn read_into(file: &File, off: u64, pa: u64, len: u64) -> Result<(), u8> {
    if len == 0 {
        return Ok(());
    }
    let bytes = len.div_ceil(512) * 512;
    let mut g = ROOT.lock();
    let root = g.as_mut().ok_or(0xffu8)?;
    root.disk
        .read((file.offset + off) / 512, pa, bytes as u32)?;
    Ok(())
}

/// Read a whole (small) file into a vector.
pub fn read_all(file: &File) -> Option<Vec<u8>> {
    let frame = mem::alloc_frame()?;
    let mut out = Vec::with_capacity(file.size as usize);
    let mut off = 0;
    while off < file.size {
        let n = (file.size - off).min(mem::PAGE_SIZE);
        let ok = read_into(file, off, frame, n).is_ok();
        if !ok {
            mem::put_frame(frame);
            return None;
        }
        out.extend_from_slice(&mem::frame_mut(frame)[..n as usize]);
        off += n;
    }
    mem::put_frame(frame);
    Some(out)
}
