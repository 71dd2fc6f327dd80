//! `systest`: exercises read, openat, close, lseek, fstat (archive files and
//! /proc files), kill, nanosleep and sched_yield, with their errors (bad
//! user pointers are EFAULT). Every line is `systest: WHAT = RESULT`, the
//! result a number or an errno name, for the test to compare; ends with
//! `systest: done`.
//!
//! `systest forkcost MIB`: the guest instructions of a COW fork of a
//! process with MIB MiB resident, against copying those pages.
//!
//! `systest echo`: reads one line from stdin and prints it back
//! (`echo: LINE`), to show read(0) blocking on the console.
//!
//! `systest cat`: copies stdin to stdout until end of file (^D).
//!
//! `systest mmapfile PATH [PAGES]`: a private file mapping of PATH against
//! read(); with PAGES, touches all free memory and PAGES pages more in
//! between (without swap only clean pages can go).

#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Display;
use user_rt::mem::Mapping;
use user_rt::process::{self, Fork, SIGKILL, SIGTERM};
use user_rt::syscall::{self, nr, Timespec};
use user_rt::{args, entry, println, time, Errno};

/// An address in the kernel half: never a valid user pointer.
const KERNEL_VA: usize = 0xFFFF_FFC0_0000_0000;
/// Below the program: unmapped.
const LOW_VA: usize = 0x100;

fn show<T: Display>(what: &str, r: Result<T, Errno>) {
    match r {
        Ok(v) => println!("systest: {what} = {v}"),
        Err(e) => println!("systest: {what} = {e}"),
    }
}

fn open(path: &str, flags: u32) -> Result<usize, Errno> {
    let mut p = Vec::from(path.as_bytes());
    p.push(0);
    let c = core::ffi::CStr::from_bytes_with_nul(&p).map_err(|_| Errno::EINVAL)?;
    syscall::openat(-100, c, flags, 0)
}

fn read_all(fd: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 100];
    while let Ok(n @ 1..) = syscall::read(fd, &mut buf) {
        out.extend_from_slice(&buf[..n]);
    }
    out
}

fn files() {
    // An archive file.
    let fd = match open("/etc/cmdline", 0) {
        Ok(fd) => fd as i32,
        Err(e) => {
            println!("systest: open /etc/cmdline = {e}");
            return;
        }
    };
    println!("systest: open /etc/cmdline = fd {fd}");
    let st = syscall::fstat(fd);
    show("fstat size", st.map(|s| s.st_size));
    show("fstat mode", st.map(|s| alloc::format!("{:o}", s.st_mode)));
    let all = read_all(fd);
    println!("systest: read all = {} bytes", all.len());
    let text = String::from_utf8_lossy(&all);
    println!("systest: cmdline = {}", text.trim_end());
    show("lseek 0 SET", syscall::lseek(fd, 0, 0));
    let mut five = [0u8; 5];
    show("read 5", syscall::read(fd, &mut five));
    println!(
        "systest: first 5 bytes match = {}",
        all.len() >= 5 && five[..] == all[..5]
    );
    show("lseek 0 CUR", syscall::lseek(fd, 0, 1));
    show("lseek -3 END", syscall::lseek(fd, -3, 2));
    let mut buf = [0u8; 16];
    show("read at end-3", syscall::read(fd, &mut buf));
    show("read at EOF", syscall::read(fd, &mut buf));
    show("lseek -1 SET", syscall::lseek(fd, -1, 0));
    show("lseek bad whence", syscall::lseek(fd, 0, 7));
    show("lseek 0 SET again", syscall::lseek(fd, 0, 0));
    // Bad user pointers: EFAULT, never a kernel crash.
    show(
        "read to kernel address",
        syscall::syscall(nr::READ, &[fd as usize, KERNEL_VA, 16]),
    );
    show(
        "read to unmapped address",
        syscall::syscall(nr::READ, &[fd as usize, LOW_VA, 16]),
    );
    show(
        "fstat to kernel address",
        syscall::syscall(nr::FSTAT, &[fd as usize, KERNEL_VA]),
    );
    show(
        "write from unmapped address",
        syscall::syscall(nr::WRITE, &[1, LOW_VA, 4]),
    );
    show(
        "openat unmapped path",
        syscall::syscall(nr::OPENAT, &[-100isize as usize, LOW_VA, 0, 0]),
    );
    show("close", syscall::close(fd));
    show("close again", syscall::close(fd));
    show("read closed fd", syscall::read(fd, &mut buf));
    show("fstat closed fd", syscall::fstat(fd).map(|s| s.st_size));
    show("open missing file", open("/etc/nonexistent", 0));
    show("open for writing", open("/etc/cmdline", 1));
    show("lseek on the console", syscall::lseek(1, 0, 0));
    // A /proc file: generated at open, read-only.
    match open("/proc/meminfo", 0) {
        Ok(fd) => {
            let fd = fd as i32;
            let first = read_all(fd);
            let text = String::from_utf8_lossy(&first);
            println!(
                "systest: /proc/meminfo has MemTotal = {}",
                text.contains("MemTotal:")
            );
            show(
                "/proc/meminfo fstat mode",
                syscall::fstat(fd).map(|s| alloc::format!("{:o}", s.st_mode)),
            );
            show("/proc/meminfo lseek 0 SET", syscall::lseek(fd, 0, 0));
            let again = read_all(fd);
            println!(
                "systest: /proc/meminfo reread same length = {}",
                again.len() == first.len()
            );
            show("/proc/meminfo close", syscall::close(fd));
        }
        Err(e) => println!("systest: open /proc/meminfo = {e}"),
    }
    show(
        "open /proc/self/status",
        open("/proc/self/status", 0).map(|fd| {
            let text = read_all(fd as i32);
            let _ = syscall::close(fd as i32);
            String::from_utf8_lossy(&text).contains("VmRSS:")
        }),
    );
}

fn sleep_and_kill() {
    show("sched_yield", syscall::syscall(nr::SCHED_YIELD, &[]));
    show("nanosleep null", syscall::syscall(nr::NANOSLEEP, &[0, 0]));
    show(
        "nanosleep kernel address",
        syscall::syscall(nr::NANOSLEEP, &[KERNEL_VA, 0]),
    );
    show(
        "nanosleep bad nsec",
        syscall::nanosleep(&Timespec {
            tv_sec: 0,
            tv_nsec: 1_000_000_000,
        }),
    );
    // A child spins, counting in a shared page, while the parent sleeps:
    // the sleep lets it run; then SIGTERM kills it.
    let Ok(counter) = Mapping::shared(4096) else {
        println!("systest: mmap shared failed");
        return;
    };
    let spinner = match process::fork() {
        Ok(Fork::Child) => loop {
            counter.store(0, counter.load(0) + 1);
        },
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => {
            println!("systest: fork = {e}");
            return;
        }
    };
    // Let it start.
    while counter.load(0) == 0 {
        process::sched_yield();
    }
    let before = counter.load(0);
    let t0 = time::monotonic_ns();
    show(
        "nanosleep 50 ms",
        syscall::nanosleep(&Timespec {
            tv_sec: 0,
            tv_nsec: 50_000_000,
        }),
    );
    let slept = time::monotonic_ns() - t0;
    println!("systest: slept at least 50 ms = {}", slept >= 50_000_000);
    println!(
        "systest: the child ran while the parent slept = {}",
        counter.load(0) > before
    );
    show(
        "kill SIGTERM",
        process::kill(spinner as isize, SIGTERM).map(|()| 0),
    );
    match process::waitpid(spinner) {
        Ok(st) => println!("systest: wait4 after SIGTERM = signal {:?}", st.signal()),
        Err(e) => println!("systest: wait4 after SIGTERM = {e}"),
    }
    show(
        "kill reaped pid",
        process::kill(spinner as isize, SIGKILL).map(|()| 0),
    );
    show(
        "kill no such pid",
        process::kill(99_999, SIGKILL).map(|()| 0),
    );
    show(
        "kill bad signal",
        process::kill(process::getpid() as isize, 100).map(|()| 0),
    );
    // A child asleep for 100 s dies of SIGKILL at once.
    let sleeper = match process::fork() {
        Ok(Fork::Child) => {
            time::sleep_ns(100_000_000_000);
            process::exit(0)
        }
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => {
            println!("systest: fork = {e}");
            return;
        }
    };
    process::sched_yield();
    let t0 = time::monotonic_ns();
    show(
        "kill 0 (probe)",
        process::kill(sleeper as isize, 0).map(|()| 0),
    );
    show(
        "kill SIGKILL",
        process::kill(sleeper as isize, SIGKILL).map(|()| 0),
    );
    match process::waitpid(sleeper) {
        Ok(st) => println!("systest: wait4 after SIGKILL = signal {:?}", st.signal()),
        Err(e) => println!("systest: wait4 after SIGKILL = {e}"),
    }
    println!(
        "systest: the sleeper died without its sleep = {}",
        time::monotonic_ns() - t0 < 1_000_000_000
    );
}

fn echo() -> i32 {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match syscall::read(0, &mut b) {
            Ok(0) => break,
            Ok(_) if b[0] == b'\n' => break,
            Ok(_) => line.push(b[0]),
            Err(e) => {
                println!("echo: read: {e}");
                return 1;
            }
        }
    }
    println!("echo: {}", String::from_utf8_lossy(&line));
    0
}

/// `systest cat`: copies stdin to stdout until read returns 0 (end of
/// file: ^D on the console).
fn cat() -> i32 {
    let mut buf = [0u8; 256];
    loop {
        match syscall::read(0, &mut buf) {
            Ok(0) => return 0,
            Ok(n) => {
                if user_rt::io::write_all(1, &buf[..n]).is_err() {
                    return 1;
                }
            }
            Err(e) => {
                println!("cat: read: {e}");
                return 1;
            }
        }
    }
}

/// pgmajfault from /proc/vmstat.
fn pgmajfault() -> u64 {
    let text = user_rt::fs::read("/proc/vmstat").unwrap_or_default();
    user_rt::fs::proc_field(&String::from_utf8_lossy(&text), "pgmajfault").unwrap_or(0)
}

/// `systest mmapfile PATH`: maps PATH private (read-only, then
/// read-write), compares it with read(), writes the private copy and
/// checks the file is unchanged, forks (the child sees the parent's
/// copy, its own write stays its own), and counts the major faults.
fn mmapfile(path: &str) -> i32 {
    use user_rt::mem::{MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE};
    let Ok(fd) = open(path, 0) else {
        println!("mmapfile: open {path} failed");
        return 1;
    };
    let fd = fd as i32;
    let data = read_all(fd);
    let n = data.len().min(8192);
    println!("mmapfile: read {} bytes", data.len());
    show(
        "mmapfile: MAP_SHARED",
        Mapping::file(4096, PROT_READ, MAP_SHARED, fd, 0).map(|_| 0),
    );
    show(
        "mmapfile: offset 100",
        Mapping::file(4096, PROT_READ, MAP_PRIVATE, fd, 100).map(|_| 0),
    );
    show(
        "mmapfile: fd 0",
        Mapping::file(4096, PROT_READ, MAP_PRIVATE, 0, 0).map(|_| 0),
    );
    let before = pgmajfault();
    let ro = match Mapping::file(n, PROT_READ, MAP_PRIVATE, fd, 0) {
        Ok(m) => m,
        Err(e) => {
            println!("mmapfile: mmap = {e}");
            return 1;
        }
    };
    println!(
        "mmapfile: read-only same = {}",
        ro.bytes()[..n] == data[..n]
    );
    let majors = pgmajfault() - before;
    println!("mmapfile: pgmajfault moved = {}", majors > 0);
    if let Some(extra) = args().nth(3).and_then(|s| s.parse::<usize>().ok()) {
        // Memory pressure without swap: touch all free memory and `extra`
        // pages more; only clean pages (the mapping's, program text) can
        // go: they are dropped and read again on the next touch.
        let info = user_rt::fs::read("/proc/meminfo").unwrap_or_default();
        let free = user_rt::fs::proc_field(&String::from_utf8_lossy(&info), "MemFree").unwrap_or(0)
            as usize;
        let Ok(mut fill) = Mapping::private((free << 10) + (extra << 12)) else {
            println!("mmapfile: pressure mmap failed");
            return 1;
        };
        for (i, w) in fill.words_mut().iter_mut().enumerate().step_by(512) {
            *w = i as u64;
        }
        let before = pgmajfault();
        println!(
            "mmapfile: same after pressure = {}",
            ro.bytes()[..n] == data[..n]
        );
        println!(
            "mmapfile: re-read after pressure = {}",
            pgmajfault() > before
        );
    }
    drop(ro);
    let mut rw = match Mapping::file(n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) {
        Ok(m) => m,
        Err(e) => {
            println!("mmapfile: mmap rw = {e}");
            return 1;
        }
    };
    println!(
        "mmapfile: read-write same = {}",
        rw.bytes()[..n] == data[..n]
    );
    rw.bytes_mut()[..4].copy_from_slice(b"PRIV");
    // read() into the private mapping: a write too (copy, not the file).
    let _ = syscall::lseek(fd, 0, 0);
    let mut again = alloc::vec![0u8; n];
    let _ = syscall::read(fd, &mut again);
    println!("mmapfile: file unchanged = {}", again[..] == data[..n]);
    println!("mmapfile: private copy = {}", &rw.bytes()[..4] == b"PRIV");
    if n > 4096 {
        let _ = syscall::lseek(fd, 4096, 0);
        let got = syscall::read(fd, &mut rw.bytes_mut()[4096..n]);
        println!("mmapfile: read into mapping = {}", got == Ok(n - 4096));
    }
    match process::fork() {
        Ok(Fork::Child) => {
            let ok = &rw.bytes()[..4] == b"PRIV" && rw.bytes()[4..n] == data[4..n];
            rw.bytes_mut()[..4].copy_from_slice(b"KIDS");
            process::exit(if ok { 0 } else { 1 })
        }
        Ok(Fork::Parent(pid)) => {
            let st = process::waitpid(pid).map(|s| s.shell_status());
            show("mmapfile: child saw the copy", st);
            println!(
                "mmapfile: parent copy kept = {}",
                &rw.bytes()[..4] == b"PRIV"
            );
        }
        Err(e) => println!("mmapfile: fork = {e}"),
    }
    let _ = syscall::lseek(fd, 0, 0);
    let mut four = [0u8; 4];
    let _ = syscall::read(fd, &mut four);
    println!("mmapfile: file still unchanged = {}", four[..] == data[..4]);
    show(
        "mmapfile: munmap",
        user_rt::mem::munmap(rw.addr(), rw.len()),
    );
    core::mem::forget(rw);
    println!("mmapfile: done");
    0
}

/// Guest instructions retired so far (kernel and user).
fn instret() -> u64 {
    let n: u64;
    // SAFETY: reads the instret counter (scounteren.IR is set by the
    // kernel); no memory access.
    unsafe { core::arch::asm!("rdinstret {}", out(reg) n, options(nomem, nostack)) };
    n
}

/// `systest forkcost MIB`: the guest instructions of a COW fork of a
/// process with MIB MiB resident, against copying those pages.
fn forkcost(mib: usize) -> i32 {
    let (Ok(mut buf), Ok(mut dst)) = (Mapping::private(mib << 20), Mapping::private(mib << 20))
    else {
        println!("forkcost: mmap failed");
        return 1;
    };
    for (i, w) in buf.words_mut().iter_mut().enumerate() {
        *w = i as u64;
    }
    let pages = mib * 256;
    let t0 = instret();
    let fork = match process::fork() {
        Ok(Fork::Child) => process::exit(0),
        Ok(Fork::Parent(pid)) => {
            let spent = instret() - t0;
            let _ = process::waitpid(pid);
            spent
        }
        Err(e) => {
            println!("forkcost: fork: {e}");
            return 1;
        }
    };
    let t1 = instret();
    dst.bytes_mut().copy_from_slice(buf.bytes());
    let copy = instret() - t1;
    println!(
        "forkcost: COW fork of a process with {mib} MiB resident ({pages} pages): {fork} guest instructions ({} per page)",
        fork / pages as u64
    );
    println!(
        "forkcost: copying those {pages} pages instead: {copy} guest instructions ({}x the fork)",
        copy / fork.max(1)
    );
    0
}

fn main() -> i32 {
    if args().nth(1) == Some("echo") {
        return echo();
    }
    if args().nth(1) == Some("cat") {
        return cat();
    }
    if args().nth(1) == Some("mmapfile") {
        return mmapfile(args().nth(2).unwrap_or("/bin/hello"));
    }
    if args().nth(1) == Some("forkcost") {
        return forkcost(args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(4));
    }
    files();
    sleep_and_kill();
    println!("systest: done");
    0
}

entry!(main);
