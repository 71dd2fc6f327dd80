//! Memory mappings: [`Mapping`] owns an mmap'd region (munmap on drop) and
//! gives safe access to it; [`mprotect`]-style changes through
//! [`Mapping::protect`].

use crate::syscall::{self, nr};
use crate::Errno;

pub const PAGE_SIZE: usize = 4096;

pub const PROT_NONE: u32 = 0;
pub const PROT_READ: u32 = 1;
pub const PROT_WRITE: u32 = 2;
pub const PROT_EXEC: u32 = 4;

pub const MAP_SHARED: u32 = 0x01;
pub const MAP_PRIVATE: u32 = 0x02;
pub const MAP_FIXED: u32 = 0x10;
pub const MAP_ANONYMOUS: u32 = 0x20;
pub const MAP_NORESERVE: u32 = 0x4000;
pub const MAP_POPULATE: u32 = 0x8000;

/// `mmap(addr, len, prot, flags, fd, offset)`: the mapping's address.
pub fn mmap(
    addr: usize,
    len: usize,
    prot: u32,
    flags: u32,
    fd: i32,
    offset: usize,
) -> Result<usize, Errno> {
    syscall::syscall(
        nr::MMAP,
        &[
            addr,
            len,
            prot as usize,
            flags as usize,
            fd as usize,
            offset,
        ],
    )
}

/// `munmap(addr, len)`. Unmapping memory that Rust references still point
/// to makes later accesses fault (the process is killed), nothing worse.
pub fn munmap(addr: usize, len: usize) -> Result<usize, Errno> {
    syscall::syscall(nr::MUNMAP, &[addr, len])
}

/// `mprotect(addr, len, prot)`.
pub fn mprotect(addr: usize, len: usize, prot: u32) -> Result<usize, Errno> {
    syscall::syscall(nr::MPROTECT, &[addr, len, prot as usize])
}

/// An anonymous (or file-backed) mapping owned by this value.
pub struct Mapping {
    addr: usize,
    len: usize,
}

impl Mapping {
    /// `mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0)`; `flags` says
    /// MAP_PRIVATE or MAP_SHARED (and e.g. MAP_NORESERVE).
    pub fn anonymous(len: usize, prot: u32, flags: u32) -> Result<Mapping, Errno> {
        let addr = mmap(0, len, prot, flags | MAP_ANONYMOUS, -1, 0)?;
        Ok(Mapping { addr, len })
    }

    /// A private, read-write anonymous mapping: demand-zero memory.
    pub fn private(len: usize) -> Result<Mapping, Errno> {
        Mapping::anonymous(len, PROT_READ | PROT_WRITE, MAP_PRIVATE)
    }

    /// A shared, read-write anonymous mapping (inherited shared by fork).
    pub fn shared(len: usize) -> Result<Mapping, Errno> {
        Mapping::anonymous(len, PROT_READ | PROT_WRITE, MAP_SHARED)
    }

    /// `mmap(NULL, len, prot, flags, fd, offset)` of a file.
    pub fn file(
        len: usize,
        prot: u32,
        flags: u32,
        fd: i32,
        offset: usize,
    ) -> Result<Mapping, Errno> {
        let addr = mmap(0, len, prot, flags, fd, offset)?;
        Ok(Mapping { addr, len })
    }

    pub fn addr(&self) -> usize {
        self.addr
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The mapping's bytes. Reading a PROT_NONE page or writing a read-only
    /// one faults: the process gets SIGSEGV.
    pub fn bytes(&self) -> &[u8] {
        syscall::mapping_bytes(self.addr, self.len)
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        syscall::mapping_bytes(self.addr, self.len)
    }

    /// The mapping as 64-bit words (it is page-aligned).
    pub fn words(&self) -> &[u64] {
        syscall::mapping_words(self.addr, self.len / 8)
    }

    pub fn words_mut(&mut self) -> &mut [u64] {
        syscall::mapping_words(self.addr, self.len / 8)
    }

    /// Word `i`, read with a volatile load: use for MAP_SHARED memory that
    /// another process writes.
    pub fn load(&self, i: usize) -> u64 {
        assert!(i < self.len / 8);
        syscall::load_volatile(self.addr + 8 * i)
    }

    /// Write word `i` with a volatile store.
    pub fn store(&self, i: usize, value: u64) {
        assert!(i < self.len / 8);
        syscall::store_volatile(self.addr + 8 * i, value)
    }

    /// `mprotect` the whole mapping.
    pub fn protect(&mut self, prot: u32) -> Result<(), Errno> {
        mprotect(self.addr, self.len, prot).map(|_| ())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        let _ = munmap(self.addr, self.len);
    }
}
