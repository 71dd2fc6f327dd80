//! Per-set replacement state, O(1) or O(log ways) per operation:
//! an intrusive doubly linked recency list per set (LRU, and FIFO where
//! only fills reorder it), tree bits per set (PLRU), or a xorshift64*
//! generator (random). Ways are numbered within their set.

use super::config::Replacement;

const NIL: u32 = u32::MAX;

/// Replacement state of a whole set-associative structure.
#[derive(Clone, Debug)]
pub(crate) enum ReplState {
    /// Most recent at `head`, victim at `tail`; `prev`/`next` are indexed
    /// by slot and hold way numbers. `hits_reorder` is false for FIFO.
    List {
        ways: u32,
        prev: Vec<u32>,
        next: Vec<u32>,
        head: Vec<u32>,
        tail: Vec<u32>,
        hits_reorder: bool,
    },
    /// Heap-ordered tree of `ways - 1` node bits per set (root = node 1,
    /// leaf of way `w` = node `ways + w`); a bit of 0 points the victim
    /// search left, 1 right. One byte per node (index 0 unused), `ways`
    /// bytes per set, so an update is a plain store per level.
    Plru { ways: u32, bits: Vec<u8> },
    /// The same tree for sets of at most 64 ways, packed: bit `n` of
    /// `bits[set]` is node `n`. A hit clears and sets the bits of the
    /// way's path in one step with the way's precomputed masks
    /// (`keep[way]`: all but the path; `point[way]`: the path's new values).
    PlruPacked {
        ways: u32,
        bits: Vec<u64>,
        keep: Vec<u64>,
        point: Vec<u64>,
    },
    /// xorshift64* state.
    Random { ways: u32, state: u64 },
}

impl ReplState {
    pub(crate) fn new(policy: Replacement, sets: u32, ways: u32, seed: u64) -> ReplState {
        match policy {
            Replacement::Lru | Replacement::Fifo => {
                let n = (sets * ways) as usize;
                let mut prev = vec![NIL; n];
                let mut next = vec![NIL; n];
                for s in 0..sets {
                    for w in 0..ways {
                        let i = (s * ways + w) as usize;
                        prev[i] = if w == 0 { NIL } else { w - 1 };
                        next[i] = if w + 1 == ways { NIL } else { w + 1 };
                    }
                }
                ReplState::List {
                    ways,
                    prev,
                    next,
                    head: vec![0; sets as usize],
                    tail: vec![ways.saturating_sub(1); sets as usize],
                    hits_reorder: policy == Replacement::Lru,
                }
            }
            Replacement::Plru if ways <= 64 => {
                let (mut keep, mut point) = (vec![u64::MAX; ways as usize], vec![0; ways as usize]);
                for w in 0..ways as usize {
                    let mut node = ways as usize + w;
                    while node > 1 {
                        // As `plru_touch`: the parent points away from the child.
                        keep[w] &= !(1 << (node / 2));
                        point[w] |= ((node & 1 == 0) as u64) << (node / 2);
                        node /= 2;
                    }
                }
                ReplState::PlruPacked {
                    ways,
                    bits: vec![0; sets as usize],
                    keep,
                    point,
                }
            }
            Replacement::Plru => ReplState::Plru {
                ways,
                bits: vec![0; (ways * sets) as usize],
            },
            Replacement::Random => ReplState::Random {
                ways,
                state: seed.max(1),
            },
        }
    }

    /// A hit on `way` of `set`: exactly what [`super::TlbArray::touch`] does.
    #[inline(always)]
    pub(crate) fn on_hit(&mut self, set: u32, way: u32) {
        match self {
            ReplState::List {
                hits_reorder: true, ..
            } => self.move_to_head(set, way),
            ReplState::PlruPacked {
                bits, keep, point, ..
            } => {
                let b = &mut bits[set as usize];
                *b = (*b & keep[way as usize]) | point[way as usize];
            }
            ReplState::Plru { .. } => self.plru_touch(set, way),
            _ => {}
        }
    }

    /// [`ReplState::on_hit`] for the packed PLRU tree only: false, doing
    /// nothing, for other policies.
    #[inline(always)]
    pub(crate) fn on_hit_packed(&mut self, set: u32, way: u32) -> bool {
        if let ReplState::PlruPacked {
            bits, keep, point, ..
        } = self
        {
            let b = &mut bits[set as usize];
            *b = (*b & keep[way as usize]) | point[way as usize];
            true
        } else {
            false
        }
    }

    /// `way` of `set` was just filled.
    pub(crate) fn on_fill(&mut self, set: u32, way: u32) {
        match self {
            ReplState::List { .. } => self.move_to_head(set, way),
            ReplState::Plru { .. } | ReplState::PlruPacked { .. } => self.on_hit(set, way),
            ReplState::Random { .. } => {}
        }
    }

    /// The way to evict from a full `set`.
    pub(crate) fn victim(&mut self, set: u32) -> u32 {
        match self {
            ReplState::List { tail, .. } => tail[set as usize],
            ReplState::Plru { ways, bits } => {
                let w = *ways as usize;
                let tree = &bits[set as usize * w..][..w];
                let mut node = 1usize;
                while node < w {
                    node = 2 * node + tree[node] as usize;
                }
                (node - w) as u32
            }
            ReplState::PlruPacked { ways, bits, .. } => {
                let (w, b) = (*ways as usize, bits[set as usize]);
                let mut node = 1usize;
                while node < w {
                    node = 2 * node + ((b >> node) & 1) as usize;
                }
                (node - w) as u32
            }
            ReplState::Random { ways, state } => {
                // xorshift64* (Vigna 2016).
                let mut x = *state;
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                *state = x;
                (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32 % *ways
            }
        }
    }

    #[inline(never)]
    fn move_to_head(&mut self, set: u32, way: u32) {
        let ReplState::List {
            ways,
            prev,
            next,
            head,
            tail,
            ..
        } = self
        else {
            return;
        };
        let s = set as usize;
        if head[s] == way {
            return;
        }
        let base = set * *ways;
        let i = (base + way) as usize;
        let (p, n) = (prev[i], next[i]);
        // Unlink (way is not the head, so p != NIL).
        next[(base + p) as usize] = n;
        if n == NIL {
            tail[s] = p;
        } else {
            prev[(base + n) as usize] = p;
        }
        // Link at the head.
        let h = head[s];
        prev[i] = NIL;
        next[i] = h;
        prev[(base + h) as usize] = way;
        head[s] = way;
    }

    #[inline(never)]
    fn plru_touch(&mut self, set: u32, way: u32) {
        let ReplState::Plru { ways, bits } = self else {
            return;
        };
        let w = *ways as usize;
        let tree = &mut bits[set as usize * w..][..w];
        let mut node = w + way as usize;
        while node > 1 {
            // Point the parent away from the child just used: a left child
            // (even node) sends the next victim search right (1).
            tree[node / 2] = (node & 1 == 0) as u8;
            node /= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packed PLRU tree makes the same choices as the byte tree, for
    /// every set size it is used for, over a fixed pseudo-random mix of
    /// hits, fills and victim choices.
    #[test]
    fn packed_plru_matches_the_byte_tree() {
        for ways in [2u32, 4, 8, 16, 32, 64] {
            let sets = 3;
            let mut packed = ReplState::new(Replacement::Plru, sets, ways, 1);
            assert!(matches!(packed, ReplState::PlruPacked { .. }));
            let mut bytes = ReplState::Plru {
                ways,
                bits: vec![0; (ways * sets) as usize],
            };
            let mut x = 0x2545_F491_4F6C_DD1Du64;
            for _ in 0..20_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let (set, way) = ((x % sets as u64) as u32, ((x >> 8) % ways as u64) as u32);
                match (x >> 40) % 3 {
                    0 => {
                        packed.on_hit(set, way);
                        bytes.on_hit(set, way);
                    }
                    1 => {
                        packed.on_fill(set, way);
                        bytes.on_fill(set, way);
                    }
                    _ => assert_eq!(packed.victim(set), bytes.victim(set), "{ways} ways"),
                }
            }
        }
    }
}
