//! Shared build script of every user program (`build = "../build.rs"` in
//! each guest-os/user/<name>/Cargo.toml): link with the user linker script
//! (toolchain/link/user.ld) as a static, non-PIE executable at 0x10000
//! with 4 KiB segment alignment.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let script = dir.join("../../../toolchain/link/user.ld");
    let script = script.canonicalize().expect("toolchain/link/user.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-changed=../build.rs");
    println!("cargo:rustc-link-arg-bins=-T{}", script.display());
    println!("cargo:rustc-link-arg-bins=-zmax-page-size=4096");
    println!("cargo:rustc-link-arg-bins=-zseparate-loadable-segments");
}
