//! Processes: exit, fork (clone with SIGCHLD), execve, wait4, kill, ids.

use crate::syscall::{self, nr};
use crate::Errno;
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::c_char;
use core::fmt;

pub const SIGKILL: i32 = 9;
pub const SIGSEGV: i32 = 11;
pub const SIGTERM: i32 = 15;
pub const SIGCHLD: i32 = 17;

pub const WNOHANG: u32 = 1;

/// Exit the process with `code` (exit_group).
pub fn exit(code: i32) -> ! {
    syscall::exit_group(code)
}

pub fn getpid() -> usize {
    syscall::syscall(nr::GETPID, &[]).unwrap_or(0)
}

pub fn getppid() -> usize {
    syscall::syscall(nr::GETPPID, &[]).unwrap_or(0)
}

pub fn sched_yield() {
    let _ = syscall::syscall(nr::SCHED_YIELD, &[]);
}

/// `kill(pid, sig)`.
pub fn kill(pid: isize, sig: i32) -> Result<(), Errno> {
    syscall::syscall(nr::KILL, &[pid as usize, sig as usize]).map(|_| ())
}

/// Which side of a fork we are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    Child,
    Parent(usize),
}

/// `fork()` as `clone(SIGCHLD, 0, NULL, 0, NULL)`.
pub fn fork() -> Result<Fork, Errno> {
    match syscall::syscall(nr::CLONE, &[SIGCHLD as usize, 0, 0, 0, 0])? {
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(pid)),
    }
}

/// A wait status as `wait4` reports it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct WaitStatus(pub i32);

impl WaitStatus {
    /// The exit code if the process exited (WIFEXITED/WEXITSTATUS).
    pub fn exit_code(self) -> Option<i32> {
        (self.0 & 0x7f == 0).then_some((self.0 >> 8) & 0xff)
    }

    /// The signal if the process was killed (WIFSIGNALED/WTERMSIG).
    pub fn signal(self) -> Option<i32> {
        let sig = self.0 & 0x7f;
        (sig != 0 && sig != 0x7f).then_some(sig)
    }

    /// As a shell reports it: the exit code, or 128 + signal.
    pub fn shell_status(self) -> i32 {
        match (self.exit_code(), self.signal()) {
            (Some(code), _) => code,
            (_, Some(sig)) => 128 + sig,
            _ => 255,
        }
    }
}

/// Signal names for messages.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal",
    }
}

impl fmt::Display for WaitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exit_code(), self.signal()) {
            (Some(code), _) => write!(f, "exited with status {code}"),
            (_, Some(sig)) => write!(f, "killed by signal {sig} ({})", signal_name(sig)),
            _ => write!(f, "status {:#x}", self.0),
        }
    }
}

impl fmt::Debug for WaitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `wait4(pid, &status, options, NULL)`: the pid and status of a child
/// that changed state (pid -1 = any child).
pub fn wait4(pid: isize, options: u32) -> Result<(usize, WaitStatus), Errno> {
    loop {
        match syscall::wait4(pid, options) {
            Err(Errno::EINTR) => {}
            r => return r.map(|(pid, st)| (pid, WaitStatus(st))),
        }
    }
}

/// Wait for child `pid` to terminate.
pub fn waitpid(pid: usize) -> Result<WaitStatus, Errno> {
    wait4(pid as isize, 0).map(|(_, st)| st)
}

/// `execve(path, argv, envp)`: only returns, with the error, on failure.
pub fn execve<'a, 'b>(
    path: &str,
    argv: impl IntoIterator<Item = &'a str>,
    envp: impl IntoIterator<Item = &'b str>,
) -> Errno {
    fn c_strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<CString>, Errno> {
        items
            .into_iter()
            .map(|s| CString::new(s).map_err(|_| Errno::EINVAL))
            .collect()
    }
    fn pointers(strings: &[CString]) -> Vec<*const c_char> {
        let mut v: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
        v.push(core::ptr::null());
        v
    }
    let (path, argv, envp) = match (crate::fs::c_path(path), c_strings(argv), c_strings(envp)) {
        (Ok(p), Ok(a), Ok(e)) => (p, a, e),
        _ => return Errno::EINVAL,
    };
    syscall::execve(&path, &pointers(&argv), &pointers(&envp))
}

/// The kernel's `uname` fields as strings: (sysname, release, machine).
pub fn uname() -> Result<Uname, Errno> {
    let u = syscall::uname()?;
    fn field(bytes: &[u8; 65]) -> alloc::string::String {
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        alloc::string::String::from_utf8_lossy(&bytes[..end]).into_owned()
    }
    Ok(Uname {
        sysname: field(&u.sysname),
        nodename: field(&u.nodename),
        release: field(&u.release),
        version: field(&u.version),
        machine: field(&u.machine),
    })
}

/// `uname` as owned strings.
#[derive(Clone, Debug)]
pub struct Uname {
    pub sysname: alloc::string::String,
    pub nodename: alloc::string::String,
    pub release: alloc::string::String,
    pub version: alloc::string::String,
    pub machine: alloc::string::String,
}
