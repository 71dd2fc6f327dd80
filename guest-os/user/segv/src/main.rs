//! `segv [ro|null|kernel|exec]`: makes one bad access and expects to be
//! killed by SIGSEGV. It prints what it is about to do first, so a log shows
//! the process got that far. If it survives it says so and exits 1.
//!
//! - `ro` (default): write to a page made read-only with mprotect;
//! - `null`: write to address 0;
//! - `kernel`: write to the kernel's direct map, 0xffff_ffc0_0000_0000;
//! - `exec`: jump into a non-executable (PROT_READ|PROT_WRITE) page.

#![no_std]
#![no_main]

use user_rt::mem::{Mapping, PROT_READ};
use user_rt::{args, entry, eprintln, println};

/// Write `value` to `addr`, which is expected to fault.
fn poke(addr: usize, value: u64) {
    // SAFETY: not safe, on purpose: `addr` is not writable by this process
    // (unmapped, read-only or kernel-only). The store traps and the kernel
    // kills the process before it completes, so no memory is changed.
    unsafe { core::ptr::write_volatile(addr as *mut u64, value) }
}

/// Call the code at `addr`, which is expected to fault.
fn jump(addr: usize) {
    // SAFETY: not safe, on purpose: `addr` is in a page without execute
    // permission, so the instruction fetch traps and the process is killed.
    unsafe {
        let f: extern "C" fn() = core::mem::transmute(addr);
        f();
    }
}

fn main() -> i32 {
    let mode = args().nth(1).unwrap_or("ro");
    let mut page = match Mapping::private(4096) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("segv: mmap: {e}");
            return 1;
        }
    };
    page.words_mut()[0] = 42;
    match mode {
        "ro" => {
            if let Err(e) = page.protect(PROT_READ) {
                eprintln!("segv: mprotect: {e}");
                return 1;
            }
            println!(
                "segv: page {:#x} reads {}; now writing to it (read-only)",
                page.addr(),
                page.words()[0]
            );
            poke(page.addr(), 43);
        }
        "null" => {
            println!("segv: writing to NULL");
            poke(0, 43);
        }
        "kernel" => {
            println!("segv: writing to kernel address 0xffffffc000000000");
            poke(0xFFFF_FFC0_0000_0000, 43);
        }
        "exec" => {
            println!("segv: jumping to non-executable page {:#x}", page.addr());
            jump(page.addr());
        }
        _ => {
            eprintln!("usage: segv [ro|null|kernel|exec]");
            return 2;
        }
    }
    println!("segv: survived the bad access ({mode}): isolation is broken");
    1
}

entry!(main);
