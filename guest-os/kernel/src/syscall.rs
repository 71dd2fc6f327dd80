//! System calls: Linux riscv64 numbers (asm-generic unistd.h), a7 = number,
//! a0..a5 = arguments, a0 = result or -errno. User pointers go through the
//! process's page table (EFAULT, never a kernel fault).

use crate::console::Uart;
use crate::files::{self, Fd};
use crate::mem::{self, PTE_R, PTE_W, PTE_X};
use crate::proc::{self, Process, State, EFAULT, EINVAL, ENOENT, ENOMEM};
use crate::{arch, exit_current, rootfs, schedule, terminate, Kernel, KERNEL};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

const OPENAT: u64 = 56;
const CLOSE: u64 = 57;
const LSEEK: u64 = 62;
const READ: u64 = 63;
const WRITE: u64 = 64;
const FSTAT: u64 = 80;
const EXIT: u64 = 93;
const EXIT_GROUP: u64 = 94;
const NANOSLEEP: u64 = 101;
const CLOCK_GETTIME: u64 = 113;
const SCHED_YIELD: u64 = 124;
const KILL: u64 = 129;
const UNAME: u64 = 160;
const GETPID: u64 = 172;
const GETPPID: u64 = 173;
const BRK: u64 = 214;
const MUNMAP: u64 = 215;
const CLONE: u64 = 220;
const EXECVE: u64 = 221;
const MMAP: u64 = 222;
const MPROTECT: u64 = 226;
const WAIT4: u64 = 260;

const ESRCH: i64 = 3;
const EBADF: i64 = 9;
const ECHILD: i64 = 10;
const ENODEV: i64 = 19;
const ENAMETOOLONG: i64 = 36;
const ENOSYS: i64 = 38;
const E2BIG: i64 = 7;
const EROFS: i64 = 30;

const MAP_SHARED: u64 = 0x01;
const MAP_PRIVATE: u64 = 0x02;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;
const SIGCHLD: u64 = 17;
const WNOHANG: u64 = 1;

/// What happens after a system call.
enum Ret {
    /// a0 = value, continue after the ecall.
    Val(u64),
    /// Run the ecall again when the process is next scheduled (wait4).
    Restart,
    /// The process image was replaced (execve): its frame is new.
    Replaced,
    /// a0 = value, then let another process run.
    Yield(u64),
}

/// Handle the ecall of the current process.
pub fn dispatch() -> ! {
    let mut k = KERNEL.lock();
    let (n, a) = {
        let f = &k.cur().frame;
        (
            f.regs[17],
            [
                f.regs[10], f.regs[11], f.regs[12], f.regs[13], f.regs[14], f.regs[15],
            ],
        )
    };
    if n == EXIT || n == EXIT_GROUP {
        drop(k);
        exit_current(((a[0] & 0xff) as u32) << 8);
    }
    let r: Result<Ret, i64> = match n {
        WAIT4 => wait4(&mut k, a[0] as i64, a[1], a[2]),
        CLONE => clone(&mut k, a[0], a[1]),
        EXECVE => execve(&mut k, a[0], a[1], a[2]),
        KILL => kill(&mut k, a[0] as i64, a[1]),
        OPENAT => openat(&mut k, a[1], a[2]),
        SCHED_YIELD => Ok(Ret::Yield(0)),
        NANOSLEEP => nanosleep(k.cur(), a[0]),
        READ if is_console(k.cur(), a[0]) => read_console(k.cur(), a[1], a[2]),
        _ => {
            let p = k.cur();
            match n {
                READ => read(p, a[0], a[1], a[2]),
                WRITE => write(p, a[0], a[1], a[2]),
                CLOSE => close(p, a[0]),
                LSEEK => lseek(p, a[0], a[1] as i64, a[2]),
                FSTAT => fstat(p, a[0], a[1]),
                GETPID => Ok(p.pid),
                GETPPID => Ok(p.ppid),
                BRK => Ok(p.set_brk(a[0])),
                MMAP => mmap(p, a),
                MUNMAP => munmap(p, a[0], a[1]),
                MPROTECT => mprotect(p, a[0], a[1], a[2]),
                UNAME => uname(p, a[0]),
                CLOCK_GETTIME => clock_gettime(p, a[0], a[1]),
                _ => Err(ENOSYS),
            }
            .map(Ret::Val)
        }
    };
    let keep = match r {
        Ok(Ret::Restart | Ret::Replaced) => true,
        Ok(Ret::Val(v)) => set_ret(k.cur(), v),
        Ok(Ret::Yield(v)) => !set_ret(k.cur(), v),
        Err(e) => set_ret(k.cur(), (-e) as u64),
    };
    drop(k);
    schedule(keep)
}

/// a0 = `v` and continue after the ecall; true.
fn set_ret(p: &mut Process, v: u64) -> bool {
    p.frame.regs[10] = v;
    p.frame.pc += 4;
    true
}

/// A NUL-terminated user string (at most `max` bytes).
fn user_str(p: &mut Process, va: u64, max: usize) -> Result<String, i64> {
    let mut out = Vec::new();
    let mut va = va;
    loop {
        let pa = p.user_pa(va, proc::Access::Read)?;
        let off = (pa & 4095) as usize;
        let page = mem::frame_mut(pa & !4095);
        for &b in &page[off..] {
            if b == 0 {
                return String::from_utf8(out).map_err(|_| ENOENT);
            }
            out.push(b);
            if out.len() >= max {
                return Err(ENAMETOOLONG);
            }
        }
        va += (4096 - off) as u64;
    }
}

fn user_u64(p: &mut Process, va: u64) -> Result<u64, i64> {
    let mut w = [0u8; 8];
    let mut i = 0;
    p.copy_in_with(va, 8, |b| {
        w[i..i + b.len()].copy_from_slice(b);
        i += b.len();
    })?;
    Ok(u64::from_le_bytes(w))
}

/// A NULL-terminated array of user strings.
fn user_strv(p: &mut Process, va: u64) -> Result<Vec<String>, i64> {
    let mut v = Vec::new();
    if va == 0 {
        return Ok(v);
    }
    let mut total = 0;
    loop {
        let ptr = user_u64(p, va + 8 * v.len() as u64)?;
        if ptr == 0 {
            return Ok(v);
        }
        let s = user_str(p, ptr, 4096)?;
        total += s.len() + 9;
        if v.len() >= 1024 || total > 128 * 1024 {
            return Err(E2BIG);
        }
        v.push(s);
    }
}

fn clone(k: &mut Kernel, flags: u64, stack: u64) -> Result<Ret, i64> {
    if flags != SIGCHLD || stack != 0 {
        return Err(EINVAL);
    }
    let pid = k.next_pid;
    let t0 = arch::instret();
    let mut child = k.cur().fork(pid)?;
    if crate::debug() {
        let spent = arch::instret() - t0;
        let parent = k.current;
        let (anon, file) = k.cur().rss();
        crate::println!(
            "kernel: fork {parent} -> {pid}: {} pages mapped, {spent} instructions",
            anon + file
        );
    }
    k.next_pid += 1;
    // The child returns 0 from the same ecall.
    child.frame.regs[10] = 0;
    child.frame.pc += 4;
    if k.fp_owner == k.current {
        arch::save_fp(&mut child.fp);
    }
    k.procs.push(Box::new(child));
    Ok(Ret::Val(pid))
}

fn execve(k: &mut Kernel, path: u64, argv: u64, envp: u64) -> Result<Ret, i64> {
    let p = k.cur();
    let path = user_str(p, path, 4096)?;
    let argv = user_strv(p, argv)?;
    let envp = user_strv(p, envp)?;
    let path = files::clean(&path);
    let new = proc::exec(p.pid, p.ppid, &path, &argv, &envp)?;
    arch::set_satp(mem::kernel_satp());
    p.release();
    p.name = new.name;
    p.root = new.root;
    p.vmas = new.vmas;
    p.brk_start = new.brk_start;
    p.brk = new.brk;
    p.frame = new.frame;
    p.fp = [0; 33];
    if k.fp_owner == k.current {
        k.fp_owner = 0;
    }
    Ok(Ret::Replaced)
}

fn wait4(k: &mut Kernel, pid: i64, status: u64, options: u64) -> Result<Ret, i64> {
    let me = k.current;
    let matches = |p: &Process| p.ppid == me && (pid == -1 || p.pid as i64 == pid);
    if !k.procs.iter().any(|p| matches(p)) {
        return Err(ECHILD);
    }
    let zombie = k
        .procs
        .iter()
        .position(|p| matches(p) && matches!(p.state, State::Zombie(_)));
    match zombie {
        Some(i) => {
            let State::Zombie(st) = k.procs[i].state else {
                unreachable!()
            };
            let cpid = k.procs[i].pid;
            if status != 0 {
                k.cur().copy_out(status, &st.to_le_bytes())?;
            }
            k.procs.remove(i);
            Ok(Ret::Val(cpid))
        }
        None if options & WNOHANG != 0 => Ok(Ret::Val(0)),
        None => {
            k.cur().state = State::Waiting;
            Ok(Ret::Restart)
        }
    }
}

fn kill(k: &mut Kernel, pid: i64, sig: u64) -> Result<Ret, i64> {
    if pid <= 0 || sig > 64 {
        return Err(EINVAL);
    }
    let pid = pid as u64;
    let i = k.index(pid).ok_or(ESRCH)?;
    if matches!(k.procs[i].state, State::Zombie(_)) || sig == 0 {
        return Ok(Ret::Val(0));
    }
    if sig == SIGCHLD {
        return Ok(Ret::Val(0));
    }
    terminate(k, pid, sig as u32);
    if pid == k.current {
        // Killed itself: never runs again.
        return Ok(Ret::Restart);
    }
    Ok(Ret::Val(0))
}

fn openat(k: &mut Kernel, path: u64, flags: u64) -> Result<Ret, i64> {
    let path = user_str(k.cur(), path, 4096)?;
    let fd = files::open(k, &path)?;
    // Every file is read-only (the archive and /proc): O_WRONLY, O_RDWR,
    // O_TRUNC.
    if flags & 3 != 0 || flags & 0o1000 != 0 {
        return Err(EROFS);
    }
    let p = k.cur();
    let n = match p.fds.iter().position(|f| f.is_none()) {
        Some(n) => {
            p.fds[n] = Some(fd);
            n
        }
        None => {
            if p.fds.len() >= 64 {
                return Err(24); // EMFILE
            }
            p.fds.push(Some(fd));
            p.fds.len() - 1
        }
    };
    Ok(Ret::Val(n as u64))
}

fn fd_mut(p: &mut Process, fd: u64) -> Result<&mut Fd, i64> {
    p.fds
        .get_mut(fd as usize)
        .and_then(|f| f.as_mut())
        .ok_or(EBADF)
}

fn is_console(p: &mut Process, fd: u64) -> bool {
    matches!(fd_mut(p, fd), Ok(Fd::Console))
}

/// read from the console: the buffered input up to a ^D (0 at a ^D with
/// nothing before it: end of file), or block (the process waits in
/// `Reading` and re-executes the call when input arrives).
fn read_console(p: &mut Process, buf: u64, len: u64) -> Result<Ret, i64> {
    if len == 0 {
        return Ok(Ret::Val(0));
    }
    // Check the buffer before taking input that could then be lost.
    p.user_pa(buf, proc::Access::Write)?;
    let Some(bytes) = crate::console::take_input(len.min(4096) as usize) else {
        p.state = State::Reading;
        return Ok(Ret::Restart);
    };
    if bytes.is_empty() {
        return Ok(Ret::Val(0)); // ^D with nothing before it: end of file
    }
    p.copy_out(buf, &bytes)?;
    Ok(Ret::Val(bytes.len() as u64))
}

fn read(p: &mut Process, fd: u64, buf: u64, len: u64) -> Result<u64, i64> {
    let f = fd_mut(p, fd)?.clone();
    match f {
        Fd::Console => Ok(0),
        Fd::Proc { data, pos } => {
            let start = (pos as usize).min(data.len());
            let n = (len as usize).min(data.len() - start);
            p.copy_out(buf, &data[start..start + n])?;
            if let Fd::Proc { pos, .. } = fd_mut(p, fd)? {
                *pos += n as u64;
            }
            Ok(n as u64)
        }
        Fd::File { file, pos } => {
            let end = (pos + len).min(file.size);
            let mut at = pos;
            let frame = mem::alloc_frame().ok_or(ENOMEM)?;
            let mut r = Ok(());
            while at < end && r.is_ok() {
                let base = at & !511;
                let chunk = (file.size - base).min(4096);
                if rootfs::read_into(&file, base, frame, chunk).is_err() {
                    r = Err(5); // EIO
                    break;
                }
                let off = (at - base) as usize;
                let n = ((end - at) as usize).min(chunk as usize - off);
                r = p.copy_out(buf + (at - pos), &mem::frame_mut(frame)[off..off + n]);
                at += n as u64;
            }
            mem::put_frame(frame);
            r?;
            if let Fd::File { pos: fpos, .. } = fd_mut(p, fd)? {
                *fpos = at;
            }
            Ok(at - pos)
        }
    }
}

fn write(p: &mut Process, fd: u64, buf: u64, len: u64) -> Result<u64, i64> {
    match fd_mut(p, fd)? {
        Fd::Console => {
            p.copy_in_with(buf, len as usize, |b| Uart.write_bytes(b))?;
            Ok(len)
        }
        _ => Err(EBADF),
    }
}

fn close(p: &mut Process, fd: u64) -> Result<u64, i64> {
    fd_mut(p, fd)?;
    p.fds[fd as usize] = None;
    Ok(0)
}

fn lseek(p: &mut Process, fd: u64, off: i64, whence: u64) -> Result<u64, i64> {
    let (pos, size) = match fd_mut(p, fd)? {
        Fd::Console => return Err(29), // ESPIPE
        Fd::File { file, pos } => (pos, file.size),
        Fd::Proc { data, pos } => (pos, data.len() as u64),
    };
    let base = match whence {
        0 => 0,
        1 => *pos as i64,
        2 => size as i64,
        _ => return Err(EINVAL),
    };
    let new = base.checked_add(off).filter(|&n| n >= 0).ok_or(EINVAL)?;
    *pos = new as u64;
    Ok(new as u64)
}

fn fstat(p: &mut Process, fd: u64, buf: u64) -> Result<u64, i64> {
    let (mode, size): (u32, u64) = match fd_mut(p, fd)? {
        Fd::Console => (0o020620, 0),
        Fd::File { file, .. } => (0o100755, file.size),
        Fd::Proc { .. } => (0o100444, 0),
    };
    let mut st = [0u8; 128];
    st[16..20].copy_from_slice(&mode.to_le_bytes());
    st[20..24].copy_from_slice(&1u32.to_le_bytes());
    st[48..56].copy_from_slice(&size.to_le_bytes());
    st[56..60].copy_from_slice(&4096u32.to_le_bytes());
    st[64..72].copy_from_slice(&size.div_ceil(512).to_le_bytes());
    p.copy_out(buf, &st)?;
    Ok(0)
}

fn nanosleep(p: &mut Process, req: u64) -> Result<Ret, i64> {
    let sec = user_u64(p, req)?;
    let nsec = user_u64(p, req + 8)?;
    if nsec >= 1_000_000_000 {
        return Err(EINVAL);
    }
    let ticks = sec.saturating_mul(10_000_000).saturating_add(nsec / 100);
    p.state = State::Sleeping(arch::time().saturating_add(ticks));
    Ok(Ret::Yield(0))
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
    let kind = flags & (MAP_SHARED | MAP_PRIVATE);
    if kind != MAP_SHARED && kind != MAP_PRIVATE {
        return Err(EINVAL);
    }
    let fixed = flags & MAP_FIXED != 0;
    if flags & MAP_ANONYMOUS == 0 {
        // File-backed: archive files, MAP_PRIVATE only (the archive is
        // read-only; MAP_SHARED of a file is ENODEV).
        if fd < 0 {
            return Err(EBADF);
        }
        let file = match fd_mut(p, fd as u64)? {
            Fd::File { file, .. } => file.clone(),
            _ => return Err(ENODEV),
        };
        if kind == MAP_SHARED {
            return Err(ENODEV);
        }
        return p.mmap_file(addr, len, perm, fixed, file, a[5]);
    }
    p.mmap_anon(addr, len, perm, fixed, kind == MAP_SHARED)
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
    p.protect(s, e, perm)?;
    Ok(0)
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
    let ns = arch::time() * 100;
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(ns / 1_000_000_000).to_le_bytes());
    b[8..].copy_from_slice(&(ns % 1_000_000_000).to_le_bytes());
    p.copy_out(ts, &b).map_err(|_| EFAULT)?;
    Ok(0)
}
