//! Files: [`File`] (openat/read/write/lseek/fstat/close) and [`read`].

use crate::syscall::{self, Stat};
use crate::Errno;
use alloc::ffi::CString;
use alloc::vec::Vec;

pub const AT_FDCWD: i32 = -100;
pub const O_RDONLY: u32 = 0;
pub const O_WRONLY: u32 = 1;
pub const O_RDWR: u32 = 2;
pub const O_CREAT: u32 = 0o100;
pub const O_TRUNC: u32 = 0o1000;
pub const O_CLOEXEC: u32 = 0o2000000;
pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;

/// A path as a C string (EINVAL if it contains a NUL byte).
pub fn c_path(path: &str) -> Result<CString, Errno> {
    CString::new(path).map_err(|_| Errno::EINVAL)
}

/// An open file descriptor, closed on drop.
pub struct File {
    fd: i32,
}

impl File {
    /// `openat(AT_FDCWD, path, flags, mode)`.
    pub fn open_with(path: &str, flags: u32, mode: u32) -> Result<File, Errno> {
        let fd = syscall::openat(AT_FDCWD, &c_path(path)?, flags, mode)?;
        Ok(File { fd: fd as i32 })
    }

    /// Open for reading.
    pub fn open(path: &str) -> Result<File, Errno> {
        File::open_with(path, O_RDONLY | O_CLOEXEC, 0)
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }

    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        syscall::read(self.fd, buf)
    }

    pub fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        syscall::write(self.fd, buf)
    }

    pub fn seek(&mut self, offset: i64, whence: u32) -> Result<usize, Errno> {
        syscall::lseek(self.fd, offset, whence)
    }

    pub fn stat(&self) -> Result<Stat, Errno> {
        syscall::fstat(self.fd)
    }

    /// Read to end of file.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        let start = out.len();
        let mut chunk = [0u8; 1024];
        loop {
            match self.read(&mut chunk) {
                Ok(0) => return Ok(out.len() - start),
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for File {
    fn drop(&mut self) {
        let _ = syscall::close(self.fd);
    }
}

/// The whole contents of the file at `path`.
pub fn read(path: &str) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    File::open(path)?.read_to_end(&mut out)?;
    Ok(out)
}

/// `key: value` pseudo-file lines (/proc/meminfo, /proc/PID/status,
/// /proc/vmstat): the first number after `key` followed by `:` or a space.
pub fn proc_field(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?;
        let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix(' '))?;
        rest.split_whitespace().next()?.parse().ok()
    })
}
