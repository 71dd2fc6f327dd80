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
            ReplState::Plru { .. } => self.plru_touch(set, way),
            _ => {}
        }
    }

    /// `way` of `set` was just filled.
    pub(crate) fn on_fill(&mut self, set: u32, way: u32) {
        match self {
            ReplState::List { .. } => self.move_to_head(set, way),
            ReplState::Plru { .. } => self.plru_touch(set, way),
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
