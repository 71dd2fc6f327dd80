//! Link the kernel with toolchain/link/kernel.ld (boot code at physical
//! 0x8000_0000, everything else in the upper half).

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let script = dir.join("../../toolchain/link/kernel.ld");
    let script = script.canonicalize().expect("toolchain/link/kernel.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-link-arg-bins=-T{}", script.display());
}
