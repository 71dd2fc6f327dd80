//! `init [PROGRAM [ARGS...] [--- PROGRAM [ARGS...]]...]`: runs programs one
//! after another, each with fork + execve + wait4, and reports how each
//! ended. A program name without a `/` means `/bin/<name>`; `---` separates
//! programs. Without arguments it runs the default list below. It always
//! runs the whole list (a crashing program does not stop it), then prints a
//! summary and exits 0, or 1 if a program could not be started.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use user_rt::process::{self, Fork};
use user_rt::{args, entry, env, eprintln, println};

/// The default program list (DESIGN §5: programs live in /bin).
const DEFAULT: &[&[&str]] = &[
    &["hello"],
    &["memtouch", "4", "seq"],
    &["memtouch", "4", "random"],
    &["forktest", "8"],
    &["mmapshared"],
    &["swaptest", "8"],
    &["segv"],
    &["overcommit", "1024"],
    &["free"],
    &["vmstat"],
    &["ps"],
];

/// The path execve gets for a program name.
fn path_of(name: &str) -> String {
    if name.contains('/') {
        String::from(name)
    } else {
        format!("/bin/{name}")
    }
}

/// Fork, execve `argv` in the child, wait; the status, or None if the
/// program could not be started (exit status 127 from the child).
fn run(argv: &[&str]) -> Result<process::WaitStatus, String> {
    let path = path_of(argv[0]);
    match process::fork() {
        Ok(Fork::Child) => {
            let err = process::execve(&path, argv.iter().copied(), env());
            eprintln!("init: execve {path}: {err}");
            process::exit(127);
        }
        Ok(Fork::Parent(pid)) => process::waitpid(pid).map_err(|e| format!("wait4: {e}")),
        Err(e) => Err(format!("fork: {e}")),
    }
}

fn main() -> i32 {
    let given: Vec<&str> = args().skip(1).collect();
    let list: Vec<Vec<&str>> = if given.is_empty() {
        DEFAULT.iter().map(|p| p.to_vec()).collect()
    } else {
        given
            .split(|a| *a == "---")
            .filter(|p| !p.is_empty())
            .map(|p| p.to_vec())
            .collect()
    };
    println!("init: running {} programs", list.len());
    let mut failed_to_start = 0;
    let mut nonzero = 0;
    for argv in &list {
        let cmd = argv.join(" ");
        println!("init: $ {cmd}");
        match run(argv) {
            Ok(status) => {
                println!("init: {cmd}: {status}");
                if status.exit_code() == Some(127) {
                    failed_to_start += 1;
                } else if status.exit_code() != Some(0) {
                    nonzero += 1;
                }
            }
            Err(e) => {
                println!("init: {cmd}: {e}");
                failed_to_start += 1;
            }
        }
    }
    println!(
        "init: {} programs run, {} exited 0, {nonzero} failed or killed, {failed_to_start} not started",
        list.len(),
        list.len() - nonzero - failed_to_start
    );
    if failed_to_start == 0 {
        0
    } else {
        1
    }
}

entry!(main);
