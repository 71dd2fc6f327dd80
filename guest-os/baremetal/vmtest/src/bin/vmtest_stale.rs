//! Changes a PTE and uses the page again WITHOUT `sfence.vma` (see
//! `vmtest::stale`): pagewalk's `--validate-tlb` reports the stale entry.
#![no_std]
#![no_main]

fn main(_hartid: usize) -> ! {
    vmtest::stale::run(false)
}

baremetal_rt::entry!(main);
