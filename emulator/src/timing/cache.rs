//! A set-associative true-LRU cache of line tags (no data): each set
//! keeps its ways in most-recently-used-first order.

use super::config::CacheConfig;

const INVALID: u64 = u64::MAX;

/// Tags only; the model counts accesses and misses itself.
#[derive(Clone, Debug)]
pub struct Cache {
    line_shift: u32,
    set_mask: u64,
    ways: usize,
    /// `sets * ways` line numbers, MRU first within a set.
    tags: Box<[u64]>,
}

impl Cache {
    /// A cache of a validated, present configuration (`size > 0`).
    pub fn new(cfg: &CacheConfig) -> Cache {
        let sets = cfg.sets().max(1) as u64;
        let ways = cfg.ways.max(1) as usize;
        Cache {
            line_shift: cfg.line.max(1).trailing_zeros(),
            set_mask: sets - 1,
            ways,
            tags: vec![INVALID; sets as usize * ways].into_boxed_slice(),
        }
    }

    /// log2 of the line size.
    #[inline]
    pub fn line_shift(&self) -> u32 {
        self.line_shift
    }

    /// Access the line holding `addr`: true on a hit. A miss fills the
    /// line, evicting the least recently used way.
    #[inline]
    pub fn access(&mut self, addr: u64) -> bool {
        self.access_line(addr >> self.line_shift)
    }

    /// Access line number `line` (`addr >> line_shift`).
    #[inline(always)]
    pub fn access_line(&mut self, line: u64) -> bool {
        let base = (line & self.set_mask) as usize * self.ways;
        // The most recently used way first, in line.
        if self.tags.get(base) == Some(&line) {
            return true;
        }
        self.access_line_rest(base, line)
    }

    /// [`Cache::access_line`] past the most recently used way.
    #[inline(never)]
    fn access_line_rest(&mut self, base: usize, line: u64) -> bool {
        let set = &mut self.tags[base..base + self.ways];
        // Move-to-front by hand: `rotate_right` is an out-of-line call,
        // too slow for 2..16 ways.
        let mut carry = set[0];
        for slot in set.iter_mut().skip(1) {
            let here = *slot;
            *slot = carry;
            if here == line {
                set[0] = line;
                return true;
            }
            carry = here;
        }
        set[0] = line;
        false
    }

    /// Whether `addr`'s line is present (no state change).
    pub fn contains(&self, addr: u64) -> bool {
        let line = addr >> self.line_shift;
        let base = (line & self.set_mask) as usize * self.ways;
        self.tags[base..base + self.ways].contains(&line)
    }
}
