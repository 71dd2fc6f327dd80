fn main() {
    println!("cargo:rerun-if-changed=emulator/build.rs");
}
