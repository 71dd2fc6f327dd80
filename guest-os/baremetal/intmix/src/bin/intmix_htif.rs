//! intmix_htif: the intmix benchmark (see `../mix.rs`) in M-mode for
//! Spike, which has neither the SiFive test finisher nor (in older
//! versions) a UART: the result line goes out through HTIF, the fesvr
//! `write` system-call proxy, and the exit is `tohost = 1`, as in
//! riscv-tests' benchmarks. Prints the same line as `intmix`. pagewalk
//! implements the same HTIF calls (emulator/src/htif.rs); QEMU `virt` has
//! no HTIF, so this variant does not run there.
//!
//! `INTMIX_ITERATIONS` is patchable as in `intmix`.
#![no_std]
#![no_main]

#[path = "../mix.rs"]
mod mix;

use baremetal_rt::entry;
use core::fmt::Write;
use core::ptr::{addr_of, addr_of_mut, read_volatile, write_volatile};

/// Iterations to run (patchable; in .data, so in the ELF file).
#[no_mangle]
#[used]
static mut INTMIX_ITERATIONS: u64 = mix::ITERATIONS;

/// The HTIF mailbox: found by the host through these symbol names.
#[no_mangle]
#[used]
#[link_section = ".tohost"]
static mut tohost: u64 = 0;
#[no_mangle]
#[used]
#[link_section = ".tohost"]
static mut fromhost: u64 = 0;

/// fesvr system-call block: number and three arguments.
#[repr(C, align(64))]
struct Syscall([u64; 8]);
static mut SYSCALL: Syscall = Syscall([0; 8]);

const SYS_WRITE: u64 = 64;

/// A line being formatted.
struct Line {
    buf: [u8; 128],
    len: usize,
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(core::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `write(1, bytes)` through the fesvr proxy; waits for the host's answer.
fn htif_write(bytes: &[u8]) {
    // SAFETY: single hart; the host reads the block and writes `fromhost`
    // only between our write of `tohost` and our read of `fromhost`.
    unsafe {
        let block = addr_of_mut!(SYSCALL);
        write_volatile(
            block,
            Syscall([
                SYS_WRITE,
                1,
                bytes.as_ptr() as u64,
                bytes.len() as u64,
                0,
                0,
                0,
                0,
            ]),
        );
        core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
        write_volatile(addr_of_mut!(tohost), block as u64);
        while read_volatile(addr_of!(fromhost)) == 0 {}
        write_volatile(addr_of_mut!(fromhost), 0);
    }
}

/// Exit with status `code` through HTIF (0 = pass).
fn htif_exit(code: u64) -> ! {
    loop {
        // SAFETY: the mailbox word; the host stops the hart.
        unsafe { write_volatile(addr_of_mut!(tohost), (code << 1) | 1) };
    }
}

fn main(_hartid: usize) -> ! {
    // SAFETY: read once; the host may have patched it before the run.
    let n = unsafe { read_volatile(addr_of!(INTMIX_ITERATIONS)) };
    let sum = mix::run(n);
    let mut line = Line {
        buf: [0; 128],
        len: 0,
    };
    let _ = writeln!(line, "intmix: {n} iterations, checksum {sum:#018x}");
    htif_write(&line.buf[..line.len]);
    htif_exit(0)
}

entry!(main);
