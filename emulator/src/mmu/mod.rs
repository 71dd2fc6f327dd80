//! Address translation and memory access for a hart (Privileged ISA
//! 20211203 chapter 4 and §3.7):
//!
//! - [`sv39`]: the page-table walk;
//! - [`tlb`]: the architectural TLB model, with exact statistics;
//! - [`translate`]: one access through the model, the walk and PMP;
//! - [`pmp`]: physical memory protection;
//! - [`host_tlb`]: the emulator's own host-speed translation cache,
//!   invisible to the guest;
//! - `access`: loads and stores through it.

mod access;
pub mod host_tlb;
pub mod pmp;
pub mod sv39;
pub mod tlb;
pub mod translate;

pub use host_tlb::HostTlb;
