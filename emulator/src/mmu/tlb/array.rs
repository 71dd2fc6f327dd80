//! [`TlbArray`]: one TLB structure (L1, L2 or the page-walk cache's
//! storage) with sets, ways, a replacement policy and an O(1) tag index.

use super::config::{StructConfig, TlbKind};
use super::entry::{Hit, PageSize, PageSizes, TlbEntry};
use super::replacement::ReplState;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Index-key tag of global entries (ASIDs are 16-bit).
const GLOBAL_TAG: u64 = 1 << 16;

/// Multiply-shift hasher for the packed `u64` keys (not DoS-resistant;
/// keys come from the guest's own addresses).
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline(always)]
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    #[inline(always)]
    fn write_u64(&mut self, x: u64) {
        let h = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

type Index = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;

/// Packed index key: VPN at the size (≤ 45 bits), the size, and the ASID
/// or [`GLOBAL_TAG`].
#[inline(always)]
fn key(vpn: u64, size: PageSize, tag: u64) -> u64 {
    (vpn << 19) | ((size as u64) << 17) | tag
}

#[inline(always)]
fn entry_key(e: &TlbEntry) -> u64 {
    key(
        e.vpn,
        e.size,
        if e.global { GLOBAL_TAG } else { e.asid as u64 },
    )
}

/// What [`TlbArray::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InsertResult {
    /// Slot now holding the new entry.
    pub slot: u32,
    /// The entry that slot held before (evicted by the policy, or an entry
    /// with the same tag that the new one replaced), if any.
    pub evicted: Option<TlbEntry>,
}

/// Which entries an `SFENCE.VMA` removes (Privileged ISA 20211203 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlushKind {
    /// rs1 = x0, rs2 = x0: every entry, global ones included.
    All,
    /// rs1 = x0, rs2 ≠ x0: every non-global entry of this ASID.
    Asid(u16),
    /// rs1 ≠ x0, rs2 = x0: every entry, of any size and any ASID, global
    /// or not, whose page contains this virtual address.
    Addr(u64),
    /// rs1 ≠ x0, rs2 ≠ x0: the non-global entries of this ASID whose page
    /// contains this virtual address.
    AddrAsid(u64, u16),
}

impl FlushKind {
    /// Whether the fence removes `e`.
    pub fn removes(&self, e: &TlbEntry) -> bool {
        match *self {
            FlushKind::All => true,
            FlushKind::Asid(a) => !e.global && e.asid == a,
            FlushKind::Addr(va) => e.covers(va),
            FlushKind::AddrAsid(va, a) => !e.global && e.asid == a && e.covers(va),
        }
    }
}

/// One TLB structure.
///
/// Slots are numbered `set * ways + way`. Lookup costs one or two hash
/// probes per held page size, whatever the associativity; set-associative
/// placement is enforced on insert (set = VPN at the entry's size modulo
/// the number of sets). For kind `ideal` the array grows without bound and
/// never evicts; for kind `none` it never holds anything.
#[derive(Clone, Debug)]
pub struct TlbArray {
    cfg: StructConfig,
    sets: u32,
    ways: u32,
    slots: Vec<Option<TlbEntry>>,
    /// Per set, `words` u64s of valid bits (bits past `ways` set).
    valid: Vec<u64>,
    words: usize,
    index: Index,
    repl: Option<ReplState>,
    /// Valid entries per page size, non-global [0] and global [1]: lets
    /// lookups skip probes that cannot hit.
    counts: [[u32; 2]; 3],
    len: usize,
    /// Kind `ideal`: slots freed by flushes, reused before growing.
    free: Vec<u32>,
}

impl TlbArray {
    /// An empty structure. `cfg` must be valid ([`StructConfig::validate`]).
    pub fn new(cfg: StructConfig) -> TlbArray {
        let (sets, ways) = match cfg.kind {
            TlbKind::Normal => (cfg.sets(), cfg.ways()),
            _ => (1, 0),
        };
        let words = (ways as usize).div_ceil(64);
        let mut valid = vec![0u64; words * sets as usize];
        if ways % 64 != 0 {
            for s in 0..sets as usize {
                valid[s * words + words - 1] = !0u64 << (ways % 64);
            }
        }
        let repl = (cfg.kind == TlbKind::Normal)
            .then(|| ReplState::new(cfg.replacement, sets, ways, cfg.seed));
        TlbArray {
            cfg,
            sets,
            ways,
            slots: vec![None; (sets * ways) as usize],
            valid,
            words,
            index: Index::default(),
            repl,
            counts: [[0; 2]; 3],
            len: 0,
            free: Vec::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &StructConfig {
        &self.cfg
    }

    /// Page sizes held.
    pub fn page_sizes(&self) -> PageSizes {
        self.cfg.page_sizes
    }

    /// Number of valid entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no entry is valid.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Find the entry translating `va` for `asid` without touching the
    /// replacement state (for validation and tests). Probes 4K, 2M, 1G in
    /// that order, the ASID's own entry before a global one.
    #[inline]
    pub fn probe(&self, va: u64, asid: u16) -> Option<Hit> {
        if self.len == 0 {
            return None;
        }
        for size in PageSize::ALL {
            let [own, global] = self.counts[size as usize];
            if own + global == 0 {
                continue;
            }
            let vpn = size.vpn(va);
            let found = if own > 0 {
                self.index.get(&key(vpn, size, asid as u64))
            } else {
                None
            };
            let found = match found {
                None if global > 0 => self.index.get(&key(vpn, size, GLOBAL_TAG)),
                f => f,
            };
            if let Some(&slot) = found {
                let entry = self.slots[slot as usize].expect("indexed slot is valid");
                return Some(Hit { slot, entry });
            }
        }
        None
    }

    /// Look `va` up for `asid` (§4.3.2 step 1's cached equivalent). On a
    /// hit the replacement state is updated as by [`Self::touch`].
    #[inline]
    pub fn lookup(&mut self, va: u64, asid: u16) -> Option<Hit> {
        let hit = self.probe(va, asid)?;
        self.touch(hit.slot);
        Some(hit)
    }

    /// Account a hit on `slot` without searching: exactly the replacement
    /// update [`Self::lookup`] makes when it returns `slot` (LRU: most
    /// recent; PLRU: tree bits point away; FIFO, random, ideal: nothing).
    /// `slot` must hold a valid entry.
    #[inline(always)]
    pub fn touch(&mut self, slot: u32) {
        let (set, way) = self.set_way(slot);
        if let Some(r) = self.repl.as_mut() {
            r.on_hit(set, way);
        }
    }

    /// [`TlbArray::touch`] for a one-set array under a packed PLRU tree;
    /// false, doing nothing, for any other shape or policy.
    #[inline(always)]
    pub fn touch_packed(&mut self, slot: u32) -> bool {
        if self.sets != 1 {
            return false;
        }
        match self.repl.as_mut() {
            Some(r) => r.on_hit_packed(0, slot),
            None => false,
        }
    }

    /// (set, way) of `slot`; no division for fully-associative structures.
    #[inline(always)]
    fn set_way(&self, slot: u32) -> (u32, u32) {
        if self.sets == 1 {
            (0, slot)
        } else {
            (slot / self.ways, slot % self.ways)
        }
    }

    /// The entry in `slot`, if valid.
    pub fn get(&self, slot: u32) -> Option<&TlbEntry> {
        self.slots.get(slot as usize).and_then(|s| s.as_ref())
    }

    /// Cache `entry`, a translation of `va`, reshaped to the sizes held
    /// ([`TlbEntry::fit`]). An entry with the same tag is replaced in its
    /// slot; otherwise the lowest-numbered invalid way of the set is
    /// filled, else the policy's victim is evicted. `None` when nothing
    /// is stored (kind `none`, or no held size fits).
    pub fn insert(&mut self, va: u64, entry: TlbEntry) -> Option<InsertResult> {
        if self.cfg.kind == TlbKind::None {
            return None;
        }
        let entry = entry.fit(va, self.cfg.page_sizes)?;
        let k = entry_key(&entry);
        if let Some(&slot) = self.index.get(&k) {
            let old = self.slots[slot as usize].replace(entry);
            let (set, way) = self.set_way(slot);
            if let Some(r) = self.repl.as_mut() {
                r.on_fill(set, way);
            }
            return Some(InsertResult { slot, evicted: old });
        }
        let slot = if self.cfg.kind == TlbKind::Ideal {
            self.free.pop().unwrap_or_else(|| {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            })
        } else {
            let set = (entry.vpn % self.sets as u64) as u32;
            let way = match self.first_invalid(set) {
                Some(w) => w,
                None => self.repl.as_mut().expect("normal kind").victim(set),
            };
            set * self.ways + way
        };
        let evicted = self.invalidate_slot(slot);
        self.fill(slot, entry, k);
        Some(InsertResult { slot, evicted })
    }

    fn fill(&mut self, slot: u32, entry: TlbEntry, k: u64) {
        self.counts[entry.size as usize][entry.global as usize] += 1;
        self.len += 1;
        self.slots[slot as usize] = Some(entry);
        self.index.insert(k, slot);
        let (set, way) = self.set_way(slot);
        if let Some(r) = self.repl.as_mut() {
            let w = &mut self.valid[set as usize * self.words + (way / 64) as usize];
            *w |= 1 << (way % 64);
            r.on_fill(set, way);
        }
    }

    fn first_invalid(&self, set: u32) -> Option<u32> {
        let base = set as usize * self.words;
        self.valid[base..base + self.words]
            .iter()
            .enumerate()
            .find(|(_, w)| **w != !0)
            .map(|(i, w)| i as u32 * 64 + w.trailing_ones())
    }

    /// Invalidate `slot`, returning what it held.
    pub fn invalidate_slot(&mut self, slot: u32) -> Option<TlbEntry> {
        let old = self.slots.get_mut(slot as usize)?.take()?;
        self.index.remove(&entry_key(&old));
        self.counts[old.size as usize][old.global as usize] -= 1;
        self.len -= 1;
        if self.repl.is_some() {
            let (set, way) = self.set_way(slot);
            self.valid[set as usize * self.words + (way / 64) as usize] &= !(1 << (way % 64));
        } else {
            self.free.push(slot);
        }
        Some(old)
    }

    /// Apply an `SFENCE.VMA` (§4.2.1); returns the slots invalidated, in
    /// increasing order, so a host-side cache of slots can drop them.
    pub fn flush(&mut self, kind: FlushKind) -> Vec<u32> {
        let mut out = Vec::new();
        if self.len == 0 {
            return out;
        }
        match kind {
            FlushKind::AddrAsid(va, asid) => {
                for size in PageSize::ALL {
                    if let Some(&slot) = self.index.get(&key(size.vpn(va), size, asid as u64)) {
                        out.push(slot);
                    }
                }
                out.sort_unstable();
            }
            FlushKind::Addr(va) if self.cfg.kind == TlbKind::Normal && self.sets > 1 => {
                for size in self.cfg.page_sizes.iter() {
                    let set = (size.vpn(va) % self.sets as u64) as u32;
                    let range = set * self.ways..(set + 1) * self.ways;
                    out.extend(
                        range.filter(|&s| self.slots[s as usize].is_some_and(|e| kind.removes(&e))),
                    );
                }
                out.sort_unstable();
                out.dedup();
            }
            _ => out.extend(self.iter().filter(|(_, e)| kind.removes(e)).map(|(s, _)| s)),
        }
        for &slot in &out {
            self.invalidate_slot(slot);
        }
        if self.cfg.kind == TlbKind::Ideal && self.len == 0 {
            self.slots.clear();
            self.free.clear();
        }
        out
    }

    /// Valid entries with their slots, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &TlbEntry)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (i as u32, e)))
    }
}
