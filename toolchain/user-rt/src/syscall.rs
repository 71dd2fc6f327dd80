//! Linux riscv64 system calls: `ecall` with a7 = number (asm-generic
//! unistd.h), a0..a5 = arguments, a0 = result or -errno.
//!
//! This module and the entry code in `lib.rs` hold the runtime's unsafe
//! code: the raw `ecall`s, and the typed wrappers that hand the kernel
//! pointers into our own memory.

use crate::Errno;
use core::arch::asm;

/// System call numbers (include/uapi/asm-generic/unistd.h).
pub mod nr {
    pub const OPENAT: usize = 56;
    pub const CLOSE: usize = 57;
    pub const LSEEK: usize = 62;
    pub const READ: usize = 63;
    pub const WRITE: usize = 64;
    pub const FSTAT: usize = 80;
    pub const EXIT: usize = 93;
    pub const EXIT_GROUP: usize = 94;
    pub const NANOSLEEP: usize = 101;
    pub const CLOCK_GETTIME: usize = 113;
    pub const SCHED_YIELD: usize = 124;
    pub const KILL: usize = 129;
    pub const UNAME: usize = 160;
    pub const GETPID: usize = 172;
    pub const GETPPID: usize = 173;
    pub const BRK: usize = 214;
    pub const MUNMAP: usize = 215;
    pub const CLONE: usize = 220;
    pub const EXECVE: usize = 221;
    pub const MMAP: usize = 222;
    pub const MPROTECT: usize = 226;
    pub const WAIT4: usize = 260;
}

/// A raw system call with up to six arguments; returns a0 unchanged.
#[inline(always)]
fn raw6(n: usize, a: [usize; 6]) -> usize {
    let ret;
    // SAFETY: `ecall` traps to the kernel, which reads a7/a0..a5 and writes
    // a0 only. Memory effects are those of the call itself: the typed
    // wrappers below only pass pointers to memory that is valid for what
    // the call does with it (or integers for calls without pointers).
    unsafe {
        asm!(
            "ecall",
            in("a7") n,
            inlateout("a0") a[0] => ret,
            in("a1") a[1], in("a2") a[2], in("a3") a[3], in("a4") a[4], in("a5") a[5],
            options(nostack),
        );
    }
    ret
}

/// A system call whose arguments are integers (no pointers the kernel
/// writes through): a0 in [-4095, -1] is -errno.
pub fn syscall(n: usize, args: &[usize]) -> Result<usize, Errno> {
    let mut a = [0usize; 6];
    a[..args.len()].copy_from_slice(args);
    let ret = raw6(n, a);
    if ret > -4096isize as usize {
        Err(Errno(-(ret as isize) as i32))
    } else {
        Ok(ret)
    }
}

pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno> {
    syscall(
        nr::READ,
        &[fd as usize, buf.as_mut_ptr() as usize, buf.len()],
    )
}

pub fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno> {
    syscall(nr::WRITE, &[fd as usize, buf.as_ptr() as usize, buf.len()])
}

/// `openat(dirfd, path, flags, mode)`; `path` must end with a NUL byte.
pub fn openat(dirfd: i32, path: &core::ffi::CStr, flags: u32, mode: u32) -> Result<usize, Errno> {
    syscall(
        nr::OPENAT,
        &[
            dirfd as usize,
            path.as_ptr() as usize,
            flags as usize,
            mode as usize,
        ],
    )
}

pub fn close(fd: i32) -> Result<usize, Errno> {
    syscall(nr::CLOSE, &[fd as usize])
}

pub fn lseek(fd: i32, offset: i64, whence: u32) -> Result<usize, Errno> {
    syscall(nr::LSEEK, &[fd as usize, offset as usize, whence as usize])
}

/// `struct stat` of asm-generic/stat.h (riscv64), 128 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_mode: u32,
    pub st_nlink: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub __pad1: u64,
    pub st_size: i64,
    pub st_blksize: i32,
    pub __pad2: i32,
    pub st_blocks: i64,
    pub st_atime: i64,
    pub st_atime_nsec: u64,
    pub st_mtime: i64,
    pub st_mtime_nsec: u64,
    pub st_ctime: i64,
    pub st_ctime_nsec: u64,
    pub __unused4: u32,
    pub __unused5: u32,
}

pub fn fstat(fd: i32) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    syscall(nr::FSTAT, &[fd as usize, &mut st as *mut Stat as usize])?;
    Ok(st)
}

/// `struct timespec`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

pub fn clock_gettime(clock: u32) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    syscall(
        nr::CLOCK_GETTIME,
        &[clock as usize, &mut ts as *mut Timespec as usize],
    )?;
    Ok(ts)
}

pub fn nanosleep(req: &Timespec) -> Result<usize, Errno> {
    syscall(nr::NANOSLEEP, &[req as *const Timespec as usize, 0])
}

/// `struct utsname`: six NUL-terminated 65-byte fields.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Utsname {
    pub sysname: [u8; 65],
    pub nodename: [u8; 65],
    pub release: [u8; 65],
    pub version: [u8; 65],
    pub machine: [u8; 65],
    pub domainname: [u8; 65],
}

pub fn uname() -> Result<Utsname, Errno> {
    let mut u = Utsname {
        sysname: [0; 65],
        nodename: [0; 65],
        release: [0; 65],
        version: [0; 65],
        machine: [0; 65],
        domainname: [0; 65],
    };
    syscall(nr::UNAME, &[&mut u as *mut Utsname as usize])?;
    Ok(u)
}

/// `wait4(pid, &status, options, NULL)`: (pid, raw status).
pub fn wait4(pid: isize, options: u32) -> Result<(usize, i32), Errno> {
    let mut status: i32 = 0;
    let pid = syscall(
        nr::WAIT4,
        &[
            pid as usize,
            &mut status as *mut i32 as usize,
            options as usize,
            0,
        ],
    )?;
    Ok((pid, status))
}

/// `execve(path, argv, envp)` with NULL-terminated arrays of pointers to
/// NUL-terminated strings. Only returns on failure.
pub fn execve(
    path: &core::ffi::CStr,
    argv: &[*const core::ffi::c_char],
    envp: &[*const core::ffi::c_char],
) -> Errno {
    assert!(argv.last().is_some_and(|p| p.is_null()) && envp.last().is_some_and(|p| p.is_null()));
    match syscall(
        nr::EXECVE,
        &[
            path.as_ptr() as usize,
            argv.as_ptr() as usize,
            envp.as_ptr() as usize,
        ],
    ) {
        Err(e) => e,
        Ok(_) => Errno(0),
    }
}

/// `brk(addr)`: the new break, or the old one if it could not move (the raw
/// system call never returns -errno).
pub fn brk(addr: usize) -> usize {
    raw6(nr::BRK, [addr, 0, 0, 0, 0, 0])
}

/// The bytes of `len` bytes at `addr`, a mapping this process made with
/// [`crate::mem::Mapping`], which keeps it alive while the slice lives.
pub(crate) fn mapping_bytes<'a>(addr: usize, len: usize) -> &'a mut [u8] {
    // SAFETY: `addr..addr + len` is a live mapping owned by a `Mapping`
    // (mmap returned it, so it is page-aligned, in user space and
    // len < isize::MAX); the caller ties the lifetime to that `Mapping`'s
    // borrow, so no other reference aliases it. Pages that are not
    // accessible (PROT_NONE, or PROT_READ when written) fault: the kernel
    // kills the process, so no access can observe undefined memory.
    unsafe { core::slice::from_raw_parts_mut(addr as *mut u8, len) }
}

/// The `n` 64-bit words at `addr`, as [`mapping_bytes`].
pub(crate) fn mapping_words<'a>(addr: usize, n: usize) -> &'a mut [u64] {
    // SAFETY: as `mapping_bytes`; `addr` is page-aligned, so 8-byte aligned,
    // and every bit pattern is a valid u64.
    unsafe { core::slice::from_raw_parts_mut(addr as *mut u64, n) }
}

/// A word of a mapping read with a volatile load (another process may
/// write it through a MAP_SHARED mapping).
pub(crate) fn load_volatile(addr: usize) -> u64 {
    // SAFETY: as `mapping_bytes`; `addr` is an 8-byte aligned word of it.
    unsafe { core::ptr::read_volatile(addr as *const u64) }
}

/// A word of a mapping written with a volatile store.
pub(crate) fn store_volatile(addr: usize, value: u64) {
    // SAFETY: as `load_volatile`.
    unsafe { core::ptr::write_volatile(addr as *mut u64, value) }
}

/// Exit the whole process (all threads).
pub fn exit_group(code: i32) -> ! {
    raw6(nr::EXIT_GROUP, [code as usize, 0, 0, 0, 0, 0]);
    // exit_group never returns; if a kernel let it, plain exit.
    loop {
        raw6(nr::EXIT, [code as usize, 0, 0, 0, 0, 0]);
    }
}
