//! User runtime for programs built to the Linux riscv64 ABI: static,
//! non-PIE ELF executables linked at 0x10000 by `toolchain/link/user.ld`.
//! They run unchanged on pagewalk's guest kernel, on Linux and on
//! `qemu-riscv64` (DESIGN §5).
//!
//! - `_start`: sp points at argc, argv[], NULL, envp[], NULL, auxv pairs
//!   ending with AT_NULL (Linux/ELF psABI); sets gp, records them and calls
//!   the function named by [`entry!`], `fn() -> i32`, then exits with its
//!   result.
//! - [`args`], [`env`], [`getenv`], [`auxv`]: the initial stack's contents.
//! - [`syscall`]: the system calls, returning `Result<usize, Errno>`;
//!   [`process`], [`fs`], [`mem`], [`time`] wrap them.
//! - [`print!`]/[`println!`]/[`eprint!`]/[`eprintln!`] on fd 1/2, one
//!   `write` per call for lines up to 512 bytes.
//! - A global allocator (`linked_list_allocator` on a brk-grown arena, large
//!   blocks straight from mmap), so `alloc` (Vec, String, format!) works.
//! - A panic handler that prints the panic on stderr and exits with 101.
//!
//! Unsafe code lives in [`syscall`], the entry code below and the
//! allocator's `GlobalAlloc` impl.
#![no_std]

pub extern crate alloc;

pub mod fs;
mod heap;
pub mod io;
pub mod mem;
pub mod process;
pub mod syscall;
pub mod time;

use core::ffi::CStr;
use core::fmt;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub use process::exit;

core::arch::global_asm!(
    r#"
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    andi sp, sp, -16
    li ra, 0
    call __user_rt_start
1:  j 1b
"#
);

/// Name the program's entry function, `fn() -> i32` (the exit status).
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[no_mangle]
        extern "C" fn __user_rt_start(sp: usize) -> ! {
            let main: fn() -> i32 = $main;
            $crate::__start(sp, main)
        }
    };
}

/// argc, argv and envp (addresses on the initial stack), auxv start.
static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicUsize = AtomicUsize::new(0);
static ENVC: AtomicUsize = AtomicUsize::new(0);
static ENVP: AtomicUsize = AtomicUsize::new(0);
static AUXV: AtomicUsize = AtomicUsize::new(0);

/// Word `i` of the initial stack block at `base`.
fn stack_word(base: usize, i: usize) -> usize {
    // SAFETY: `base` is the initial sp handed to `_start` (or argv/envp/auxv
    // inside that block); the kernel laid out argc, argv[argc] + NULL,
    // envp[] + NULL, auxv pairs + AT_NULL there, and every caller stays
    // inside those arrays (it stops at their NULL terminators). The block is
    // never written after startup.
    unsafe { *((base + 8 * i) as *const usize) }
}

/// The NUL-terminated string at `ptr` (an argv/envp entry).
fn c_string(ptr: usize) -> &'static str {
    // SAFETY: `ptr` is an argv/envp entry: a NUL-terminated string the
    // kernel copied to the initial stack, which lives as long as the process.
    let s = unsafe { CStr::from_ptr(ptr as *const core::ffi::c_char) };
    s.to_str().unwrap_or("\u{fffd}")
}

/// Called by [`entry!`] with the initial sp; not for direct use.
#[doc(hidden)]
pub fn __start(sp: usize, main: fn() -> i32) -> ! {
    let argc = stack_word(sp, 0);
    let argv = sp + 8;
    let envp = argv + 8 * (argc + 1);
    let mut envc = 0;
    while stack_word(envp, envc) != 0 {
        envc += 1;
    }
    ARGC.store(argc, Relaxed);
    ARGV.store(argv, Relaxed);
    ENVC.store(envc, Relaxed);
    ENVP.store(envp, Relaxed);
    AUXV.store(envp + 8 * (envc + 1), Relaxed);
    let code = main();
    exit(code)
}

/// The command-line arguments, argv[0] first.
pub fn args() -> Strings {
    Strings {
        base: ARGV.load(Relaxed),
        next: 0,
        end: ARGC.load(Relaxed),
    }
}

/// The environment, as `NAME=value` strings.
pub fn env() -> Strings {
    Strings {
        base: ENVP.load(Relaxed),
        next: 0,
        end: ENVC.load(Relaxed),
    }
}

/// The value of environment variable `name`.
pub fn getenv(name: &str) -> Option<&'static str> {
    env().find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// Auxiliary vector types (elf.h).
pub mod at {
    pub const PHDR: usize = 3;
    pub const PHNUM: usize = 5;
    pub const PAGESZ: usize = 6;
    pub const ENTRY: usize = 9;
    pub const RANDOM: usize = 25;
}

/// The auxiliary vector entry of type `kind` (see [`at`]).
pub fn auxv(kind: usize) -> Option<usize> {
    let base = AUXV.load(Relaxed);
    if base == 0 {
        return None;
    }
    let mut i = 0;
    loop {
        match stack_word(base, i) {
            0 => return None,
            k if k == kind => return Some(stack_word(base, i + 1)),
            _ => i += 2,
        }
    }
}

/// An iterator over argv or envp.
#[derive(Clone)]
pub struct Strings {
    base: usize,
    next: usize,
    end: usize,
}

impl Iterator for Strings {
    type Item = &'static str;
    fn next(&mut self) -> Option<&'static str> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        Some(c_string(stack_word(self.base, self.next - 1)))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Strings {}

/// A Linux error number (a system call returned -errno).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    pub const EPERM: Errno = Errno(1);
    pub const ENOENT: Errno = Errno(2);
    pub const ESRCH: Errno = Errno(3);
    pub const EINTR: Errno = Errno(4);
    pub const EIO: Errno = Errno(5);
    pub const ENOEXEC: Errno = Errno(8);
    pub const EBADF: Errno = Errno(9);
    pub const ECHILD: Errno = Errno(10);
    pub const EAGAIN: Errno = Errno(11);
    pub const ENOMEM: Errno = Errno(12);
    pub const EACCES: Errno = Errno(13);
    pub const EFAULT: Errno = Errno(14);
    pub const EEXIST: Errno = Errno(17);
    pub const ENOTDIR: Errno = Errno(20);
    pub const EISDIR: Errno = Errno(21);
    pub const EINVAL: Errno = Errno(22);
    pub const ENOSYS: Errno = Errno(38);

    /// The symbolic name, e.g. "ENOENT".
    pub fn name(self) -> Option<&'static str> {
        const NAMES: &[(i32, &str)] = &[
            (1, "EPERM"),
            (2, "ENOENT"),
            (3, "ESRCH"),
            (4, "EINTR"),
            (5, "EIO"),
            (8, "ENOEXEC"),
            (9, "EBADF"),
            (10, "ECHILD"),
            (11, "EAGAIN"),
            (12, "ENOMEM"),
            (13, "EACCES"),
            (14, "EFAULT"),
            (17, "EEXIST"),
            (20, "ENOTDIR"),
            (21, "EISDIR"),
            (22, "EINVAL"),
            (38, "ENOSYS"),
        ];
        NAMES.iter().find(|(n, _)| *n == self.0).map(|(_, s)| *s)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Print to stdout.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::io::_print(1, format_args!($($arg)*)) };
}

/// Print a line to stdout.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => { $crate::io::_print(1, format_args!("{}\n", format_args!($($arg)*))) };
}

/// Print to stderr.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::io::_print(2, format_args!($($arg)*)) };
}

/// Print a line to stderr.
#[macro_export]
macro_rules! eprintln {
    () => { $crate::eprint!("\n") };
    ($($arg:tt)*) => { $crate::io::_print(2, format_args!("{}\n", format_args!($($arg)*))) };
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    eprintln!("panic: {info}");
    exit(101)
}
