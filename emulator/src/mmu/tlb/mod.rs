//! The architectural TLB model (DESIGN §4): a faithful, configurable model
//! of a core's translation caches, separate from the emulator's host-speed
//! cache ([`super::HostTlb`]), with exact statistics.
//!
//! # Pieces
//!
//! - [`TlbConfig`] ([`config`], [`parse`], [`presets`]): split L1 ITLB/DTLB
//!   or a unified L1, optional L2 TLB, optional page-walk cache,
//!   `flush_on_satp_write`. Per structure: kind (`normal`, `ideal`,
//!   `none`), entries, ways (1 = direct mapped, default fully
//!   associative), replacement (`lru`, `plru`, `fifo`, `random`), page
//!   sizes held. From a preset (`rocket` (default), `u74`, `c906`,
//!   `ideal`, `none`), TOML, and `SECTION.KEY=VALUE` overrides:
//!   [`TlbConfig::load`]`("rocket", &["dtlb.entries=64"])`.
//! - [`TlbArray`] ([`array`](mod@array)): one structure. `lookup(va, asid) ->
//!   Option<Hit>`, `touch(slot)`, `insert(va, entry) ->
//!   Option<InsertResult>`, `flush(FlushKind) -> Vec<slot>`,
//!   `invalidate_slot`, `probe` (no state change), `iter`.
//! - [`PageWalkCache`] ([`pwc`]): non-leaf PTEs keyed by (ASID, VA prefix,
//!   level): `lookup(va, asid) -> Option<PwcHit>` gives the deepest one.
//! - [`TlbStats`] ([`stats`]): per-structure accesses/hits/misses by mode
//!   and ASID, walks by leaf size, PTE reads, walk-cache hits, fences by
//!   kind, faults by cause; JSON and a text summary.
//! - [`TlbModel`] ([`model`]): all of it for one hart.
//!
//! # Protocol for the hart (one translated access)
//!
//! Accesses that are not translated (M-mode without MPRV, `satp` Bare)
//! only bump `stats.untranslated`. Otherwise, with `asid = satp.ASID`:
//!
//! 1. `model.lookup(side, va, asid, mode)` — once per architectural access.
//!    - `L1Hit(hit)` / `L2Hit { entry, .. }`: check permissions against
//!      `entry.pte` as a walk would (U/SUM/MXR, §4.3.2 step 5). A store to
//!      an entry whose D is clear, or any access to one whose A is clear,
//!      must walk (Svadu sets the bit; Svade faults) without a second
//!      lookup; re-`fill` afterwards. Translate with `entry.pa(va)`.
//!    - `Miss`: walk.
//! 2. Walk: `stats.record_walk_start(pwc_hit)` with
//!    `pwc_hit = model.walk_cache_lookup(va, asid, mode)` (resume at
//!    `hit.next_table()`, level `hit.next_level()`); report each non-leaf
//!    PTE with `walk_cache_insert`; end with
//!    `stats.record_walk_end(Some(level) | None, pte_reads)`, then on
//!    success `model.fill(side, va, TlbEntry::from_leaf(va, asid, pte,
//!    level, global))`; on a fault `stats.faults.record(cause)`.
//! 3. `SFENCE.VMA rs1, rs2` → `model.sfence(FlushKind::…)`; a `satp`
//!    write → `model.satp_written()`.
//!
//! A host-side fast path may remember `hit.slot` of an `L1Hit` and account
//! later hits on it with `model.account_l1_hit(side, slot, asid, mode)`
//! (identical to a `lookup` returning that slot), as long as it forgets a
//! slot when `fill`/`lookup` report it evicted (`InsertResult::slot` of an
//! insert that evicted) or a flush lists it ([`Flushed`]).
//!
//! # Page sizes
//!
//! Entries are tagged with the VPN at their size (4 KiB, 2 MiB, 1 GiB;
//! §4.4.1). A structure that does not hold a leaf's size caches the
//! largest size it does hold that contains the address — for a 4K-only
//! structure, the 4 KiB fragment of the superpage containing `va` — so a
//! superpage then costs one entry per 4 KiB page touched.

pub mod array;
pub mod config;
pub mod entry;
pub mod model;
pub mod parse;
pub mod presets;
pub mod pwc;
mod replacement;
pub mod stats;

#[cfg(test)]
mod tests;

pub use array::{FlushKind, InsertResult, TlbArray};
pub use config::{ConfigError, Replacement, StructConfig, TlbConfig, TlbKind};
pub use entry::{Hit, PageSize, PageSizes, TlbEntry};
pub use model::{Flushed, Lookup, Side, TlbModel};
pub use pwc::{PageWalkCache, PwcHit};
pub use stats::{Counts, Mode, StructStats, TlbStats};
