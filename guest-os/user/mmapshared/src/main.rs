//! `mmapshared`: a MAP_SHARED|MAP_ANONYMOUS region of 4 pages and a
//! MAP_PRIVATE one, both written by the parent, then fork. The child writes
//! a new value into every page of both and exits; the parent waits and must
//! see the child's writes in the shared region and not in the private one.
//! Exits 0 when both hold, 1 otherwise.

#![no_std]
#![no_main]

use user_rt::mem::{Mapping, PAGE_SIZE};
use user_rt::process::{self, Fork};
use user_rt::{entry, eprintln, println};

const PAGES: usize = 4;
const BEFORE: u64 = 0x1111_1111;
const CHILD: u64 = 0xC41D_0000;
const WPP: usize = PAGE_SIZE / 8;

fn main() -> i32 {
    let (shared, private) = match (
        Mapping::shared(PAGES * PAGE_SIZE),
        Mapping::private(PAGES * PAGE_SIZE),
    ) {
        (Ok(s), Ok(p)) => (s, p),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("mmapshared: mmap: {e}");
            return 1;
        }
    };
    for page in 0..PAGES {
        shared.store(page * WPP, BEFORE + page as u64);
        private.store(page * WPP, BEFORE + page as u64);
    }
    println!("mmapshared: parent wrote {BEFORE:#x} to {PAGES} shared and {PAGES} private pages");
    match process::fork() {
        Ok(Fork::Child) => {
            for page in 0..PAGES {
                shared.store(page * WPP, CHILD + page as u64);
                private.store(page * WPP, CHILD + page as u64);
            }
            println!("mmapshared: child wrote {CHILD:#x} to every page");
            process::exit(0);
        }
        Ok(Fork::Parent(pid)) => match process::waitpid(pid) {
            Ok(status) => println!("mmapshared: child {pid} {status}"),
            Err(e) => {
                eprintln!("mmapshared: wait4: {e}");
                return 1;
            }
        },
        Err(e) => {
            eprintln!("mmapshared: fork: {e}");
            return 1;
        }
    }
    let mut ok = true;
    for page in 0..PAGES {
        let s = shared.load(page * WPP);
        let p = private.load(page * WPP);
        if s != CHILD + page as u64 {
            eprintln!("mmapshared: shared page {page} holds {s:#x}: the child's write is missing");
            ok = false;
        }
        if p != BEFORE + page as u64 {
            eprintln!("mmapshared: private page {page} holds {p:#x}: the child's write leaked");
            ok = false;
        }
    }
    println!(
        "mmapshared: parent sees {:#x} in the shared region, {:#x} in the private one",
        shared.load(0),
        private.load(0)
    );
    if ok {
        println!("mmapshared: OK");
        0
    } else {
        println!("mmapshared: FAILED");
        1
    }
}

entry!(main);
