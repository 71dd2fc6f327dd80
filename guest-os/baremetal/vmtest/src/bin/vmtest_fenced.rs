//! Changes a PTE, fences with `sfence.vma va, asid` and uses the page again
//! (see `vmtest::stale`): runs clean under pagewalk's `--validate-tlb`.
#![no_std]
#![no_main]

fn main(_hartid: usize) -> ! {
    vmtest::stale::run(true)
}

baremetal_rt::entry!(main);
