//! pagewalk's guest kernel (DESIGN §5, PROTOCOL.md): boots from M-mode
//! into an upper-half S-mode kernel, finds its disks by serial, reads the
//! ustar root, and runs PID 1 from `etc/cmdline` in its own Sv39 address
//! space with demand paging. See README.md for the structure.
#![no_std]
#![no_main]

extern crate alloc;

mod arch;
mod console;
mod files;
mod mem;
mod mmio;
mod proc;
mod reclaim;
mod rootfs;
mod stats;
mod swap;
mod syscall;
mod virtio;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering::Relaxed};
use proc::{Access, Process, State};
use spin::Mutex;

static DEBUG: AtomicBool = AtomicBool::new(false);
static FIFO: AtomicBool = AtomicBool::new(false);
static EAGER_FORK: AtomicBool = AtomicBool::new(false);

/// Whether `fork=eager` is on the kernel command line: fork copies every
/// private resident page instead of sharing it copy-on-write (to measure
/// what COW saves).
pub fn eager_fork() -> bool {
    EAGER_FORK.load(Relaxed)
}

/// Whether `debug` is on the kernel command line (boot log on the console).
pub fn debug() -> bool {
    DEBUG.load(Relaxed)
}

/// The process table and the scheduler's state.
pub struct Kernel {
    pub procs: Vec<Box<Process>>,
    /// PID of the running process.
    pub current: u64,
    pub next_pid: u64,
    /// Whose FP registers are on the hart.
    pub fp_owner: u64,
    /// Sstc: timer preemption and sleeping with stimecmp.
    pub sstc: bool,
}

impl Kernel {
    pub fn index(&self, pid: u64) -> Option<usize> {
        self.procs.iter().position(|p| p.pid == pid)
    }

    /// The running process.
    pub fn cur(&mut self) -> &mut Process {
        let i = self.index(self.current).expect("current process");
        &mut self.procs[i]
    }
}

pub static KERNEL: Mutex<Kernel> = Mutex::new(Kernel {
    procs: Vec::new(),
    current: 0,
    next_pid: 1,
    fp_owner: 0,
    sstc: false,
});

/// Scheduling quantum: 10 ms of `time` (10 MHz).
const QUANTUM: u64 = 100_000;

const FINISHER: u64 = 0x10_0000;

/// Power off through the SiFive test finisher with exit status `code`.
pub fn poweroff(code: u32) -> ! {
    let v = if code == 0 {
        0x5555
    } else {
        (code << 16) | 0x3333
    };
    mmio::write32(FINISHER, v);
    arch::halt()
}

/// Parse `etc/cmdline`: `OPTIONS -- ARGV...`.
fn parse_cmdline(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (opts, argv) = match words.iter().position(|w| *w == "--") {
        Some(i) => (&words[..i], &words[i + 1..]),
        None => (&[][..], &words[..]),
    };
    for o in opts {
        match o.split_once('=') {
            Some(("policy", "clock")) => FIFO.store(false, Relaxed),
            Some(("policy", "fifo")) => FIFO.store(true, Relaxed),
            Some(("fork", "cow")) => EAGER_FORK.store(false, Relaxed),
            Some(("fork", "eager")) => EAGER_FORK.store(true, Relaxed),
            _ if *o == "debug" => DEBUG.store(true, Relaxed),
            _ => println!("kernel: warning: unknown option {o:?} ignored"),
        }
    }
    argv.iter().map(|s| String::from(*s)).collect()
}

#[no_mangle]
extern "C" fn kmain(sstc: u64) -> ! {
    mem::drop_identity_map();
    arch::init_hart(sstc != 0);
    let info = mem::init();
    let disks = virtio::probe();
    let mut root = None;
    let mut others = Vec::new();
    for d in disks {
        if d.serial == "root" && root.is_none() {
            root = Some(d);
        } else {
            others.push(d);
        }
    }
    let Some(root) = root else {
        panic!("no virtio-blk disk with serial \"root\"");
    };
    let nfiles = rootfs::mount(root).unwrap_or_else(|e| panic!("root archive: {e}"));
    let cmdline = rootfs::lookup("etc/cmdline")
        .and_then(|f| rootfs::read_all(&f))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let argv = parse_cmdline(cmdline.lines().next().unwrap_or(""));
    reclaim::init(FIFO.load(Relaxed));
    let mut swap_slots = 0;
    for d in others {
        if d.serial == swap::SERIAL && swap_slots == 0 {
            swap_slots = swap::init(d);
        }
    }
    klog!(
        "kernel: {} MiB RAM, heap {} KiB, {} frames ({} free), sstc {}, {} files in root, swap {} KiB",
        (info.ram_end - mem::DRAM_BASE) >> 20,
        info.heap >> 10,
        info.frames,
        mem::frame_counts().0,
        sstc != 0,
        nfiles,
        swap_slots * 4
    );
    if argv.is_empty() {
        panic!("etc/cmdline names no program");
    }
    let p = match proc::exec(1, 0, &argv[0], &argv, &[]) {
        Ok(p) => p,
        Err(e) => panic!("cannot run {}: errno {e}", argv[0]),
    };
    klog!("kernel: pid 1: {}", argv.join(" "));
    let mut k = KERNEL.lock();
    k.procs.push(Box::new(p));
    k.current = 1;
    k.next_pid = 2;
    k.sstc = sstc != 0;
    if k.sstc {
        arch::enable_timer_interrupt();
    }
    console::init_input();
    drop(k);
    schedule(true)
}

/// Pick the next process to run (the current one first when
/// `keep_current` and it can run, else round-robin after it), idling until
/// a sleeper's time comes when nothing can run, and return to it.
pub fn schedule(keep_current: bool) -> ! {
    let mut k = KERNEL.lock();
    let pid = loop {
        let now = arch::time();
        let mut next_wake = u64::MAX;
        for p in k.procs.iter_mut() {
            if let State::Sleeping(t) = p.state {
                if t <= now {
                    p.state = State::Runnable;
                } else {
                    next_wake = next_wake.min(t);
                }
            }
        }
        let n = k.procs.len();
        let here = k.index(k.current);
        if keep_current {
            if let Some(i) = here {
                if k.procs[i].state == State::Runnable {
                    break k.current;
                }
            }
        }
        let start = here.map_or(0, |i| i + 1);
        if let Some(j) = (0..n)
            .map(|d| (start + d) % n)
            .find(|&j| k.procs[j].state == State::Runnable)
        {
            break k.procs[j].pid;
        }
        let reading = k.procs.iter().any(|p| p.state == State::Reading);
        if next_wake == u64::MAX && !reading {
            panic!("no process can run (all wait)");
        }
        // Idle until the earliest sleeper is due or console input comes.
        if k.sstc {
            arch::set_timer(next_wake);
        }
        while arch::time() < next_wake {
            if reading && console::service() {
                wake_readers(&mut k);
                break;
            }
            if !k.sstc && !reading {
                break;
            }
            arch::wfi();
        }
    };
    if k.fp_owner != pid {
        let old = k.fp_owner;
        if let Some(i) = k.index(old) {
            let mut fp = [0; 33];
            arch::save_fp(&mut fp);
            k.procs[i].fp = fp;
        }
        let i = k.index(pid).expect("next process");
        arch::restore_fp(&k.procs[i].fp);
        k.fp_owner = pid;
    }
    k.current = pid;
    if k.sstc {
        arch::set_timer(arch::time() + QUANTUM);
    }
    let p = k.cur();
    arch::set_satp(p.satp());
    let frame: *const arch::TrapFrame = &*p.frame;
    drop(k);
    arch::return_to_user(frame)
}

/// End process `pid` with wait status `status` (exit code << 8, or the
/// signal number): free its memory, keep it as a zombie for its parent's
/// wait4, give its children to init. PID 1 powers the machine off.
pub fn terminate(k: &mut Kernel, pid: u64, status: u32) {
    let Some(i) = k.index(pid) else { return };
    arch::set_satp(mem::kernel_satp());
    let p = &mut k.procs[i];
    p.release();
    p.fds.clear();
    p.state = State::Zombie(status);
    let ppid = p.ppid;
    klog!(
        "kernel: pid {pid} ({}) exited, status {status:#x}; minflt {} majflt {}, {} instructions in fault handling",
        p.name,
        p.minflt,
        p.majflt,
        p.fault_instret
    );
    if p.swapins > 0 {
        klog!(
            "kernel: pid {pid} ({}) swap-ins: {} in {} instructions",
            p.name,
            p.swapins,
            p.swapin_instret
        );
    }
    if pid == 1 {
        let code = if status & 0x7f != 0 {
            128 + (status & 0x7f)
        } else {
            (status >> 8) & 0xff
        };
        poweroff(code)
    }
    if k.fp_owner == pid {
        k.fp_owner = 0;
    }
    for c in k.procs.iter_mut() {
        if c.ppid == pid {
            c.ppid = 1;
        }
    }
    // The parent (or init, for orphans) may be waiting for this.
    let parent = if k.index(ppid).is_some() { ppid } else { 1 };
    if let Some(j) = k.index(parent) {
        if k.procs[j].state == State::Waiting {
            k.procs[j].state = State::Runnable;
        }
    }
    if let Some(j) = k.index(1) {
        if k.procs[j].state == State::Waiting {
            k.procs[j].state = State::Runnable;
        }
    }
}

/// Terminate the current process and run another.
pub fn exit_current(status: u32) -> ! {
    let mut k = KERNEL.lock();
    let pid = k.current;
    terminate(&mut k, pid, status);
    drop(k);
    schedule(false)
}

/// Kill the current process with SIGSEGV after a bad access.
fn segv(va: u64, pc: u64) -> ! {
    let (pid, name) = {
        let mut k = KERNEL.lock();
        let p = k.cur();
        (p.pid, p.name.clone())
    };
    println!("segmentation fault: {pid} ({name}) at {va:#x}, pc {pc:#x}");
    exit_current(11)
}

/// Out of memory and swap: kill the process with the most resident pages
/// (the faulting one retries its access when it is not the victim).
fn oom_kill() {
    let mut k = KERNEL.lock();
    let victim = k
        .procs
        .iter()
        .filter(|p| !matches!(p.state, State::Zombie(_)))
        .max_by_key(|p| {
            let (anon, file) = p.rss();
            anon + file
        })
        .map(|p| (p.pid, p.name.clone()));
    let Some((pid, name)) = victim else { return };
    println!("out of memory: killed {pid} ({name})");
    stats::inc(stats::OOM_KILLS);
    terminate(&mut k, pid, 9);
}

/// A trap from U-mode (the assembly saved the registers in `frame`).
#[no_mangle]
extern "C" fn user_trap(frame: *mut arch::TrapFrame) -> ! {
    let cause = arch::scause();
    let tval = arch::stval();
    // SAFETY of the frame: it is the current process's boxed frame, which
    // the trap entry just filled; the process table keeps it alive.
    let pc = {
        let mut k = KERNEL.lock();
        let f = &k.cur().frame;
        debug_assert!(core::ptr::eq(&**f, frame));
        f.pc
    };
    match cause {
        INTERRUPT_TIMER => schedule(false),
        INTERRUPT_EXTERNAL => {
            if console::service() {
                wake_readers(&mut KERNEL.lock());
            }
        }
        8 => syscall::dispatch(),
        12 | 13 | 15 => {
            let access = match cause {
                12 => Access::Exec,
                13 => Access::Read,
                _ => Access::Write,
            };
            let t0 = arch::instret();
            let mut k = KERNEL.lock();
            let p = k.cur();
            let swapins = p.swapins;
            let r = p.fault(tval, access);
            let spent = arch::instret() - t0;
            p.fault_instret += spent;
            if p.swapins != swapins {
                p.swapin_instret += spent;
            }
            drop(k);
            match r {
                Ok(_) => {}
                Err(proc::Fault::Segv) => segv(tval, pc),
                Err(proc::Fault::Oom) => oom_kill(),
            }
        }
        2 => {
            let (pid, name) = {
                let mut k = KERNEL.lock();
                let p = k.cur();
                (p.pid, p.name.clone())
            };
            println!("illegal instruction: {pid} ({name}) at pc {pc:#x}");
            exit_current(4)
        }
        _ => segv(tval, pc),
    }
    schedule(true)
}

const INTERRUPT_TIMER: u64 = (1 << 63) | 5;
const INTERRUPT_EXTERNAL: u64 = (1 << 63) | 9;

/// Console input arrived: processes blocked in read(0) run again.
pub fn wake_readers(k: &mut Kernel) {
    for p in k.procs.iter_mut() {
        if p.state == State::Reading {
            p.state = State::Runnable;
        }
    }
}

/// A trap from S-mode: a kernel bug.
#[no_mangle]
extern "C" fn kernel_trap() -> ! {
    panic_at(
        arch::sepc(),
        format_args!(
            "trap in the kernel: scause {:#x} stval {:#x}",
            arch::scause(),
            arch::stval()
        ),
    )
}

fn panic_at(pc: u64, msg: core::fmt::Arguments) -> ! {
    println!("kernel panic: {msg} at pc {pc:#x}");
    poweroff(0x103)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let ra = arch::return_address();
    match info.location() {
        Some(l) => panic_at(
            ra,
            format_args!("{} ({}:{})", info.message(), l.file(), l.line()),
        ),
        None => panic_at(ra, format_args!("{}", info.message())),
    }
}
