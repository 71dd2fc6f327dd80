//! Console output: [`print!`](crate::print) and friends format into a
//! 512-byte buffer and write it with as few `write` calls as possible, so a
//! line is one system call (lines of parent and child stay whole).

use crate::syscall;
use core::fmt;

/// A `fmt::Write` sink that buffers up to 512 bytes before writing to `fd`.
pub struct BufWriter {
    fd: i32,
    len: usize,
    buf: [u8; 512],
}

impl BufWriter {
    pub const fn new(fd: i32) -> BufWriter {
        BufWriter {
            fd,
            len: 0,
            buf: [0; 512],
        }
    }

    /// Write out the buffered bytes.
    pub fn flush(&mut self) {
        let _ = write_all(self.fd, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl fmt::Write for BufWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = bytes.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
            self.len += n;
            bytes = &bytes[n..];
        }
        Ok(())
    }
}

impl Drop for BufWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Write all of `buf` to `fd`, retrying short writes and EINTR.
pub fn write_all(fd: i32, mut buf: &[u8]) -> Result<(), crate::Errno> {
    while !buf.is_empty() {
        match syscall::write(fd, buf) {
            Ok(0) => return Err(crate::Errno::EIO),
            Ok(n) => buf = &buf[n..],
            Err(crate::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[doc(hidden)]
pub fn _print(fd: i32, args: fmt::Arguments<'_>) {
    use fmt::Write as _;
    let mut w = BufWriter::new(fd);
    let _ = w.write_fmt(args);
}
