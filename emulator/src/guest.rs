//! Guest programs built by the project and embedded in the binary (filled
//! in by the build script).
