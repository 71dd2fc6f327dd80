//! File descriptors: the console (0, 1, 2), read-only files of the root
//! archive, and Linux-style read-only pseudo-files generated at open:
//! `/proc/vmstat`, `/proc/meminfo`, `/proc/PID/status` (`self` too).

use crate::mem;
use crate::proc::{Backing, State, ENOENT};
use crate::rootfs::{self, File};
use crate::stats;
use crate::Kernel;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;

#[derive(Clone)]
pub enum Fd {
    Console,
    File { file: File, pos: u64 },
    Proc { data: Vec<u8>, pos: u64 },
}

/// stdin, stdout, stderr: the console.
pub fn std_fds() -> Vec<Option<Fd>> {
    vec![Some(Fd::Console), Some(Fd::Console), Some(Fd::Console)]
}

/// `path` made absolute against `/` and cleaned of `.` and `..`.
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut s = String::from("/");
    s.push_str(&parts.join("/"));
    s
}

fn vmstat() -> String {
    let mut s = String::new();
    for (name, i) in [
        ("pgfault", 2),
        ("pgmajfault", 3),
        ("pswpin", 4),
        ("pswpout", 5),
        ("pgpgin", 6),
        ("pgpgout", 7),
        ("pgsteal", 8),
        ("cow_fault", 9),
    ] {
        let _ = writeln!(s, "{name} {}", stats::get(i));
    }
    s
}

fn meminfo() -> String {
    let (free, total) = mem::frame_counts();
    let (swap_total, swap_free) = crate::swap::counts();
    let mut s = String::new();
    for (k, v) in [
        ("MemTotal", total * 4),
        ("MemFree", free * 4),
        ("MemAvailable", free * 4),
        ("Buffers", 0),
        ("Cached", 0),
        ("SwapTotal", swap_total * 4),
        ("SwapFree", swap_free * 4),
    ] {
        let _ = writeln!(s, "{:<16}{v:>8} kB", format!("{k}:"));
    }
    s
}

fn status(k: &Kernel, pid: u64) -> Option<String> {
    let p = k.procs.iter().find(|p| p.pid == pid)?;
    let (state, (anon, file)) = match p.state {
        State::Zombie(_) => ("Z (zombie)", (0, 0)),
        State::Runnable if pid == k.current => ("R (running)", p.rss()),
        State::Runnable => ("R (runnable)", p.rss()),
        _ => ("S (sleeping)", p.rss()),
    };
    let data: u64 = p
        .vmas
        .iter()
        .filter(|v| matches!(v.backing, Backing::Anon | Backing::Shared { .. }))
        .map(|v| v.end - v.start)
        .sum();
    let mut s = String::new();
    let _ =
        write!(
        s,
        "Name:\t{}\nState:\t{state}\nPid:\t{}\nPPid:\t{}\nVmSize:\t{:>8} kB\nVmData:\t{:>8} kB\n\
         VmRSS:\t{:>8} kB\nRssAnon:\t{:>8} kB\nRssFile:\t{:>8} kB\nVmSwap:\t{:>8} kB\n\
         minflt:\t{}\nmajflt:\t{}\n",
        p.name,
        p.pid,
        p.ppid,
        p.vm_size() / 1024,
        data / 1024,
        (anon + file) * 4,
        anon * 4,
        file * 4,
        if matches!(p.state, State::Zombie(_)) { 0 } else { p.swapped() * 4 },
        p.minflt,
        p.majflt
    );
    Some(s)
}

/// Open `path` read-only for the current process.
pub fn open(k: &Kernel, path: &str) -> Result<Fd, i64> {
    let path = clean(path);
    let proc_file = |s: String| Fd::Proc {
        data: s.into_bytes(),
        pos: 0,
    };
    match path.as_str() {
        "/proc/vmstat" => return Ok(proc_file(vmstat())),
        "/proc/meminfo" => return Ok(proc_file(meminfo())),
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("/proc/") {
        if let Some(who) = rest.strip_suffix("/status") {
            let pid = if who == "self" {
                k.current
            } else {
                who.parse().map_err(|_| ENOENT)?
            };
            return status(k, pid).map(proc_file).ok_or(ENOENT);
        }
        return Err(ENOENT);
    }
    let file = rootfs::lookup(&path).ok_or(ENOENT)?;
    Ok(Fd::File { file, pos: 0 })
}
