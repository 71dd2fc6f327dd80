//! Prints a greeting, its arguments and the system it runs on.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use user_rt::{args, entry, println, process};

fn main() -> i32 {
    println!("Hello from pagewalk user space!");
    let argv: Vec<&str> = args().collect();
    println!("argc = {}", argv.len());
    for (i, arg) in argv.iter().enumerate() {
        println!("argv[{i}] = {arg}");
    }
    match process::uname() {
        Ok(u) => println!("uname: {} {} {}", u.sysname, u.release, u.machine),
        Err(e) => println!("uname: {e}"),
    }
    println!("pid {} ppid {}", process::getpid(), process::getppid());
    0
}

entry!(main);
