//! What a TLB entry holds: a cached Sv39 leaf PTE tagged by ASID, VPN and
//! page size (Privileged ISA 20211203, §4.3.1 PTE format, §4.4 Sv39).

/// Virtual-address bits a tag keeps: bits 56:12 cover Sv39, Sv48 and Sv57.
/// Canonical addresses (§4.4.1) make the bits above the top VA bit copies
/// of it, so dropping them loses nothing.
const VA_MASK: u64 = (1 << 57) - 1;
/// PTE.PPN, bits 53:10 (§4.4.1, Figure 4.21).
const PPN_MASK: u64 = (1 << 44) - 1;
/// PTE.G, the global bit (§4.3.1).
const PTE_G: u64 = 1 << 5;

/// Page size of a TLB entry, named by the Sv39 level of a leaf of that size
/// (§4.4.1: level 0 = 4 KiB page, 1 = 2 MiB megapage, 2 = 1 GiB gigapage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageSize {
    /// 4 KiB page (leaf at level 0).
    Size4K = 0,
    /// 2 MiB megapage (leaf at level 1).
    Size2M = 1,
    /// 1 GiB gigapage (leaf at level 2).
    Size1G = 2,
}

impl PageSize {
    /// All sizes, smallest first.
    pub const ALL: [PageSize; 3] = [PageSize::Size4K, PageSize::Size2M, PageSize::Size1G];

    /// The size of a leaf found at Sv39 `level` (0..=2), or `None`.
    pub const fn from_level(level: u8) -> Option<PageSize> {
        match level {
            0 => Some(PageSize::Size4K),
            1 => Some(PageSize::Size2M),
            2 => Some(PageSize::Size1G),
            _ => None,
        }
    }

    /// The Sv39 level (0..=2).
    pub const fn level(self) -> u8 {
        self as u8
    }

    /// log2 of the size in bytes: 12, 21 or 30.
    pub const fn shift(self) -> u32 {
        12 + 9 * self as u32
    }

    /// Size in bytes.
    pub const fn bytes(self) -> u64 {
        1 << self.shift()
    }

    /// The configuration/statistics name: `4K`, `2M` or `1G`.
    pub const fn name(self) -> &'static str {
        match self {
            PageSize::Size4K => "4K",
            PageSize::Size2M => "2M",
            PageSize::Size1G => "1G",
        }
    }

    /// Virtual page number of `va` at this size: VA bits 56:shift.
    #[inline(always)]
    pub const fn vpn(self, va: u64) -> u64 {
        (va & VA_MASK) >> self.shift()
    }
}

/// A set of page sizes a structure holds (a bit per [`PageSize`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageSizes(u8);

impl PageSizes {
    /// 4 KiB, 2 MiB and 1 GiB.
    pub const ALL: PageSizes = PageSizes(0b111);
    /// 4 KiB pages only.
    pub const ONLY_4K: PageSizes = PageSizes(0b001);
    /// 2 MiB and 1 GiB: the default of a page-walk cache, whose entries
    /// are non-leaf PTEs covering a 2 MiB (level 1) or 1 GiB (level 2) region.
    pub const SUPER: PageSizes = PageSizes(0b110);
    /// No size.
    pub const EMPTY: PageSizes = PageSizes(0);

    /// Whether `size` is in the set.
    #[inline(always)]
    pub const fn contains(self, size: PageSize) -> bool {
        self.0 & (1 << size as u8) != 0
    }

    /// The set plus `size`.
    pub const fn with(self, size: PageSize) -> PageSizes {
        PageSizes(self.0 | 1 << size as u8)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The sizes in the set, smallest first.
    pub fn iter(self) -> impl Iterator<Item = PageSize> {
        PageSize::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// The largest size in the set not larger than `max`.
    pub fn largest_up_to(self, max: PageSize) -> Option<PageSize> {
        PageSize::ALL
            .into_iter()
            .rev()
            .find(|s| *s <= max && self.contains(*s))
    }
}

/// One cached translation: the leaf PTE of a successful walk (§4.3.2
/// step 5), tagged by the VPN at the entry's [`PageSize`], the ASID and
/// the global bit.
///
/// `size` is the granularity of the tag; `level` is where the leaf was
/// found. They differ when a structure does not hold the leaf's size: the
/// entry then caches the largest fragment it holds that contains the
/// address (the 4 KiB fragment for a 4K-only structure), see [`Self::fit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbEntry {
    /// Tag: VA bits 56:`size.shift()` of any address in the entry.
    pub vpn: u64,
    /// Granularity of the tag.
    pub size: PageSize,
    /// ASID of the address space that filled the entry (`satp.ASID`,
    /// §4.1.11); ignored for matching when `global`.
    pub asid: u16,
    /// The mapping is global (G set in the leaf or in any non-leaf PTE
    /// above it, §4.3.1): the entry matches every ASID.
    pub global: bool,
    /// The leaf PTE as read (after any hardware A/D update): V, R, W, X,
    /// U, G, A, D, RSW and PPN (§4.4.1, Figure 4.21).
    pub pte: u64,
    /// Sv39 level of the leaf PTE (0..=2), at least `size.level()`.
    pub level: u8,
}

impl TlbEntry {
    /// The entry for the leaf PTE `pte` found at `level` (0..=2) by a walk
    /// of `va` under `asid`; `global` is the OR of the G bits on the walk
    /// path (the leaf's own G is included here as well).
    ///
    /// # Panics
    /// If `level > 2` (a walker bug, not guest input).
    pub fn from_leaf(va: u64, asid: u16, pte: u64, level: u8, global: bool) -> TlbEntry {
        let size = PageSize::from_level(level).expect("Sv39 leaf level is 0..=2");
        TlbEntry {
            vpn: size.vpn(va),
            size,
            asid,
            global: global || pte & PTE_G != 0,
            pte,
            level,
        }
    }

    /// The same translation shaped for a structure holding `sizes`: the
    /// largest held size not larger than the leaf, tagged with the fragment
    /// containing `va`. `None` if no held size is small enough.
    pub fn fit(&self, va: u64, sizes: PageSizes) -> Option<TlbEntry> {
        let max = PageSize::from_level(self.level).unwrap_or(PageSize::Size1G);
        let size = sizes.largest_up_to(max)?;
        Some(TlbEntry {
            vpn: size.vpn(va),
            size,
            ..*self
        })
    }

    /// Whether the entry's region contains `va`.
    #[inline(always)]
    pub fn covers(&self, va: u64) -> bool {
        self.size.vpn(va) == self.vpn
    }

    /// Whether the entry matches an access by `asid` (§4.2.1: a global
    /// entry matches every ASID).
    #[inline(always)]
    pub fn matches_asid(&self, asid: u16) -> bool {
        self.global || self.asid == asid
    }

    /// The leaf PTE's PPN field (§4.4.1).
    pub fn ppn(&self) -> u64 {
        (self.pte >> 10) & PPN_MASK
    }

    /// Physical address of `va` (which the entry must cover): for a
    /// superpage the low PPN fields come from the VA (§4.3.2 step 8).
    #[inline(always)]
    pub fn pa(&self, va: u64) -> u64 {
        let off_mask = (1u64 << (12 + 9 * self.level as u32)) - 1;
        ((self.ppn() << 12) & !off_mask) | (va & off_mask)
    }
}

/// A successful lookup: where the entry sits and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Slot index (`set * ways + way`), valid until the entry is evicted
    /// or flushed; see [`super::TlbArray::touch`].
    pub slot: u32,
    /// A copy of the entry.
    pub entry: TlbEntry,
}
