//! pagewalk: a RISC-V RV64GC system emulator (QEMU `virt` platform) whose
//! MMU walks page tables through a modelled TLB, plus the tooling around it:
//! ELF loading, a commit-log tracer and a riscv-tests conformance runner.
//!
//! Layout (DESIGN §1): [`cpu`] is the hart (decode, execute, CSRs, traps,
//! soft-float), [`mmu`] translation and PMP, [`devices`] the platform
//! devices, [`bus`] the physical address map, [`machine`] the run loop,
//! [`loader`] ELF loading, [`conformance`] the riscv-tests runner.

pub mod bus;
pub mod compare;
pub mod conformance;
pub mod cpu;
pub mod devices;
pub mod guest;
pub mod htif;
pub mod loader;
pub mod machine;
pub mod mmu;
pub mod timing;
pub mod userland;
