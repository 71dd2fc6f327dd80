//! Guest programs built by the project and embedded in the binary: the
//! guest workspace `guest-os/` and the ISA tests `tests/isa/`, both built by
//! `emulator/build.rs` (see toolchain/README.md).
//!
//! - [`BAREMETAL_HELLO`]: bare-metal hello world (UART output, finisher exit).
//! - [`BAREMETAL_COMPUTE`]: the compute-bound benchmark (checksum on the UART).
//! - [`BAREMETAL_INTMIX`], [`BAREMETAL_INTMIX_VM`]: the long Dhrystone-class
//!   integer benchmark (guest-os/baremetal/intmix), in M-mode and in S-mode
//!   under Sv39, and [`BAREMETAL_INTMIX_HTIF`] reporting through HTIF for
//!   Spike; [`INTMIX_ITERATIONS`] is its patchable iteration count.
//! - [`ISA_TESTS`]: `(name, ELF)` of every `tests/isa/<name>.S`, sorted by
//!   name; each follows the riscv-tests protocol (HTIF `tohost` = 1 on pass,
//!   `(TESTNUM << 1) | 1` on failure). Names starting with `xfail_` are
//!   meant to fail.
//! - [`USER_PROGRAMS`]: `(name, ELF)` of the user programs in
//!   `guest-os/user/<name>` (hello, init, memtouch, forktest, swaptest,
//!   thrash, segv, mmapshared, overcommit, free, vmstat, ps): static,
//!   non-PIE Linux riscv64 executables linked at 0x10000 with
//!   `toolchain/user-rt` and `toolchain/link/user.ld`, for the guest kernel
//!   (they also run on Linux and `qemu-riscv64`; tests/user_qemu.rs).

include!(concat!(env!("OUT_DIR"), "/guest_artifacts.rs"));

/// Look up an ISA test by name.
pub fn isa_test(name: &str) -> Option<&'static [u8]> {
    ISA_TESTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, elf)| *elf)
}

/// Programs `pagewalk run NAME` accepts without a file: (name, ELF, what it is).
pub const BUILTINS: &[(&str, &[u8], &str)] = &[
    (
        "hello-baremetal",
        BAREMETAL_HELLO,
        "bare-metal Rust hello world: UART output, finisher exit",
    ),
    (
        "compute",
        BAREMETAL_COMPUTE,
        "compute-bound benchmark: ~68M instructions, checksum on the UART",
    ),
    (
        "compute_vm",
        BAREMETAL_COMPUTE_VM,
        "the compute benchmark in S-mode under Sv39 with 4 KiB pages",
    ),
    (
        "intmix",
        BAREMETAL_INTMIX,
        "long Dhrystone-class integer benchmark: ~610M instructions, checksum on the UART",
    ),
    (
        "intmix_vm",
        BAREMETAL_INTMIX_VM,
        "the intmix benchmark in S-mode under Sv39 with 4 KiB pages",
    ),
    (
        "intmix_htif",
        BAREMETAL_INTMIX_HTIF,
        "the intmix benchmark printing and exiting through HTIF (for Spike; not QEMU)",
    ),
    (
        "vmtest",
        BAREMETAL_VMTEST,
        "Sv39 scenarios from S/U mode: scans, ASIDs, global pages, superpages, page faults",
    ),
    (
        "vmtest_stale",
        BAREMETAL_VMTEST_STALE,
        "remaps a page without sfence.vma (try --validate-tlb)",
    ),
    (
        "vmtest_fenced",
        BAREMETAL_VMTEST_FENCED,
        "remaps a page with sfence.vma va, asid (clean under --validate-tlb)",
    ),
    (
        "virtio_blk_test",
        BAREMETAL_VIRTIO_BLK_TEST,
        "virtio-blk driver test (needs --disk with a test pattern; see tests/virtio_blk.rs)",
    ),
    (
        "tlbwork",
        BAREMETAL_TLBWORK,
        "TLB workloads in S-mode under Sv39 (run by `tlb-compare`; default: a 256-page scan)",
    ),
];

/// The symbol of intmix's iteration count (a `u64` in .data), for
/// [`patch_symbol`].
pub const INTMIX_ITERATIONS: &str = "INTMIX_ITERATIONS";

/// A copy of `elf` with the 64-bit variable `symbol` set to `value`, in the
/// file itself, so the patched program also runs on QEMU. The symbol must
/// be 8 bytes in a PT_LOAD segment's file image (.data, not .bss).
pub fn patch_symbol(elf: &[u8], symbol: &str, value: u64) -> Result<Vec<u8>, String> {
    use goblin::elf::{program_header::PT_LOAD, Elf};
    let e = Elf::parse(elf).map_err(|e| format!("not an ELF: {e}"))?;
    let sym = e
        .syms
        .iter()
        .find(|s| e.strtab.get_at(s.st_name) == Some(symbol))
        .ok_or_else(|| format!("no symbol {symbol}"))?;
    if sym.st_size != 8 {
        return Err(format!("{symbol} is {} bytes, not 8", sym.st_size));
    }
    let v = sym.st_value;
    let offset = e
        .program_headers
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
        .find(|p| v >= p.p_vaddr && v + 8 <= p.p_vaddr + p.p_filesz)
        .map(|p| (p.p_offset + (v - p.p_vaddr)) as usize)
        .ok_or_else(|| format!("{symbol} is not in a loaded file image"))?;
    let mut out = elf.to_vec();
    out[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
    Ok(out)
}

/// intmix, intmix_vm or intmix_htif ([`BAREMETAL_INTMIX`],
/// [`BAREMETAL_INTMIX_VM`], [`BAREMETAL_INTMIX_HTIF`]) set to run
/// `iterations` iterations.
pub fn intmix_with(elf: &[u8], iterations: u64) -> Vec<u8> {
    patch_symbol(elf, INTMIX_ITERATIONS, iterations).expect("intmix has INTMIX_ITERATIONS")
}

/// Look up a user program by name.
pub fn user_program(name: &str) -> Option<&'static [u8]> {
    USER_PROGRAMS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, elf)| *elf)
}

/// A built-in program by name.
pub fn builtin(name: &str) -> Option<&'static [u8]> {
    BUILTINS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, elf, _)| *elf)
}

/// The guest kernel (guest-os/kernel), once it is part of the build.
pub fn kernel() -> Option<&'static [u8]> {
    BAREMETAL_PROGRAMS
        .iter()
        .find(|(n, _)| *n == "kernel")
        .map(|(_, elf)| *elf)
}
