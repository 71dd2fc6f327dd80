//! System calls: Linux riscv64 numbers (asm-generic unistd.h), a7 = number,
//! a0..a5 = arguments, a0 = result or -errno. User pointers go through the
//! process's page table (EFAULT, never a kernel fault).

use crate::console::Uart;
use crate::mem::{PTE_R, PTE_W, PTE_X};
use crate::proc::{Process, EFAULT, EINVAL, ENOMEM, EPERM};
use crate::{arch, exit_current, KERNEL};
use alloc::vec::Vec;

const WRITE: u64 = 64;
const EXIT: u64 = 93;
const EXIT_GROUP: u64 = 94;
const CLOCK_GETTIME: u64 = 113;
const SCHED_YIELD: u64 = 124;
const UNAME: u64 = 160;
const GETPID: u64 = 172;
const GETPPID: u64 = 173;
const BRK: u64 = 214;
const MUNMAP: u64 = 215;
const MMAP: u64 = 222;
const MPROTECT: u64 = 226;

const EBADF: i64 = 9;
const ENOSYS: i64 = 38;

const MAP_SHARED: u64 = 0x01;
const MAP_PRIVATE: u64 = 0x02;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;

/// Handle the ecall of the current process and advance its pc.
pub fn dispatch() {
    let (n, a) = {
        let k = KERNEL.lock();
        let f = &k.procs[k.current].frame;
        (
            f.regs[17],
            [
                f.regs[10], f.regs[11], f.regs[12], f.regs[13], f.regs[14], f.regs[15],
            ],
        )
    };
    match n {
        EXIT | EXIT_GROUP => exit_current(((a[0] & 0xff) as u32) << 8),
        _ => {}
    }
    let mut k = KERNEL.lock();
    let cur = k.current;
    let p = &mut *k.procs[cur];
    let r: Result<u64, i64> = match n {
        WRITE => write(p, a[0], a[1], a[2]),
        GETPID => Ok(p.pid),
        GETPPID => Ok(p.ppid),
        BRK => Ok(p.set_brk(a[0])),
        MMAP => mmap(p, a),
        MUNMAP => munmap(p, a[0], a[1]),
        MPROTECT => mprotect(p, a[0], a[1], a[2]),
        UNAME => uname(p, a[0]),
        CLOCK_GETTIME => clock_gettime(p, a[0], a[1]),
        SCHED_YIELD => Ok(0),
        _ => Err(ENOSYS),
    };
    p.frame.regs[10] = match r {
        Ok(v) => v,
        Err(e) => (-e) as u64,
    };
    p.frame.pc += 4;
}

fn write(p: &mut Process, fd: u64, buf: u64, len: u64) -> Result<u64, i64> {
    if fd != 1 && fd != 2 {
        return Err(EBADF);
    }
    p.copy_in_with(buf, len as usize, |b| Uart.write_bytes(b))?;
    Ok(len)
}

fn prot_perm(prot: u64) -> Result<u64, i64> {
    if prot & !7 != 0 {
        return Err(EINVAL);
    }
    let mut perm = 0;
    if prot & 1 != 0 {
        perm |= PTE_R;
    }
    if prot & 2 != 0 {
        perm |= PTE_W | PTE_R;
    }
    if prot & 4 != 0 {
        perm |= PTE_X;
    }
    Ok(perm)
}

fn mmap(p: &mut Process, a: [u64; 6]) -> Result<u64, i64> {
    let (addr, len, prot, flags, fd) = (a[0], a[1], a[2], a[3], a[4] as i64);
    let perm = prot_perm(prot)?;
    if flags & MAP_ANONYMOUS == 0 {
        return Err(if fd < 0 { EBADF } else { ENOSYS });
    }
    if flags & (MAP_SHARED | MAP_PRIVATE) == 0 {
        return Err(EINVAL);
    }
    // Shared anonymous memory behaves as private until fork exists.
    p.mmap_anon(addr, len, perm, flags & MAP_FIXED != 0)
}

fn range(addr: u64, len: u64) -> Result<(u64, u64), i64> {
    if !addr.is_multiple_of(4096) || len == 0 {
        return Err(EINVAL);
    }
    let end = addr.checked_add(len.div_ceil(4096) * 4096).ok_or(EINVAL)?;
    if end > 0x40_0000_0000 {
        return Err(EINVAL);
    }
    Ok((addr, end))
}

fn munmap(p: &mut Process, addr: u64, len: u64) -> Result<u64, i64> {
    let (s, e) = range(addr, len)?;
    p.unmap(s, e);
    Ok(0)
}

fn mprotect(p: &mut Process, addr: u64, len: u64, prot: u64) -> Result<u64, i64> {
    let (s, e) = range(addr, len)?;
    let perm = prot_perm(prot)?;
    p.protect(s, e, perm).map(|_| 0).map_err(|e| match e {
        ENOMEM => ENOMEM,
        _ => EPERM,
    })
}

fn uname(p: &mut Process, buf: u64) -> Result<u64, i64> {
    let mut u = [0u8; 65 * 6];
    for (i, s) in ["pagewalk", "pagewalk", "0.1.0", "#1", "riscv64", "(none)"]
        .iter()
        .enumerate()
    {
        u[65 * i..65 * i + s.len()].copy_from_slice(s.as_bytes());
    }
    p.copy_out(buf, &u)?;
    Ok(0)
}

fn clock_gettime(p: &mut Process, clock: u64, ts: u64) -> Result<u64, i64> {
    if clock > 7 {
        return Err(EINVAL);
    }
    // `time` ticks at 10 MHz (virtual time on pagewalk).
    let t = arch::time();
    let ns = t * 100;
    let mut b = Vec::with_capacity(16);
    b.extend_from_slice(&(ns / 1_000_000_000).to_le_bytes());
    b.extend_from_slice(&(ns % 1_000_000_000).to_le_bytes());
    p.copy_out(ts, &b).map_err(|_| EFAULT)?;
    Ok(0)
}
