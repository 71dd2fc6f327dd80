//! Build script shared by the bare-metal programs in guest-os/baremetal/
//! (their Cargo.toml: `build = "../../../toolchain/link/baremetal_build.rs"`):
//! link the binaries with toolchain/link/baremetal.ld.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let script = dir.join("../../../toolchain/link/baremetal.ld");
    let script = script.canonicalize().expect("toolchain/link/baremetal.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-changed={}", file!());
    println!("cargo:rustc-link-arg-bins=-T{}", script.display());
}
