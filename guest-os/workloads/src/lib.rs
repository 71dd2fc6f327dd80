//! Deterministic compute kernels for benchmarking the interpreter: a
//! Dhrystone-class mix of integer arithmetic, branches, calls, byte-string
//! handling and array traversal, with no floating point and no allocation.
//!
//! The same code runs inside the emulator (`guest-os/baremetal/compute`) and
//! natively in the host tests, which compare the checksums: every result the
//! guest prints is checked against the host CPU.
#![no_std]

/// A small xorshift64* generator: fixed seed, identical on every platform.
#[derive(Clone, Copy)]
pub struct Rng(u64);

impl Rng {
    pub const fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Table-driven CRC-32 (IEEE 802.3, as zlib's `crc32`).
pub fn crc32(table: &[u32; 256], data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// The CRC-32 lookup table.
pub fn crc32_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    for (i, entry) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *entry = c;
    }
    table
}

/// 16x16 integer matrix multiply, wrapping.
pub fn matmul(a: &[[u32; 16]; 16], b: &[[u32; 16]; 16], c: &mut [[u32; 16]; 16]) {
    for i in 0..16 {
        for j in 0..16 {
            let mut s = 0u32;
            for k in 0..16 {
                s = s.wrapping_add(a[i][k].wrapping_mul(b[k][j]));
            }
            c[i][j] = s;
        }
    }
}

/// Insertion sort of `v`, returning the number of element moves.
pub fn insertion_sort(v: &mut [u32]) -> u64 {
    let mut moves = 0;
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
            moves += 1;
        }
        v[j] = x;
    }
    moves
}

/// A Dhrystone-style record.
#[derive(Clone, Copy, Default)]
pub struct Record {
    pub discr: u8,
    pub int_comp: i32,
    pub string: [u8; 30],
}

#[inline(never)]
fn proc_record(r: &mut Record, x: i32) -> i32 {
    r.int_comp = r.int_comp.wrapping_mul(3).wrapping_add(x);
    if r.int_comp & 1 == 0 {
        r.discr = r.discr.wrapping_add(1);
    }
    r.int_comp ^ r.discr as i32
}

/// Byte-string compare, as `strcmp` over fixed arrays.
#[inline(never)]
fn str_cmp(a: &[u8], b: &[u8]) -> i32 {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return *x as i32 - *y as i32;
        }
    }
    0
}

/// A linked list in an array (indices), walked and spliced.
fn list_walk(next: &mut [u16; 64], start: usize, steps: usize) -> u64 {
    let mut i = start;
    let mut sum = 0u64;
    for s in 0..steps {
        sum = sum.wrapping_add(i as u64 * (s as u64 + 1));
        let n = next[i] as usize;
        if s % 7 == 0 {
            // Splice: swap the successors of i and n.
            next.swap(i, n);
        }
        i = n;
    }
    sum
}

/// Run `iterations` rounds of the mix and return a checksum of everything
/// computed.
pub fn run(iterations: u32) -> u64 {
    let table = crc32_table();
    let mut rng = Rng::new(0x5eed_1234_abcd_ef01);
    let mut a = [[0u32; 16]; 16];
    let mut b = [[0u32; 16]; 16];
    let mut c = [[0u32; 16]; 16];
    for i in 0..16 {
        for j in 0..16 {
            a[i][j] = rng.next_u64() as u32;
            b[i][j] = rng.next_u64() as u32;
        }
    }
    let mut next = [0u16; 64];
    for (i, n) in next.iter_mut().enumerate() {
        *n = ((i * 37 + 11) % 64) as u16;
    }
    let mut rec = Record {
        discr: 1,
        int_comp: 40,
        string: *b"DHRYSTONE PROGRAM, SOME STRING",
    };
    let other: [u8; 30] = *b"DHRYSTONE PROGRAM, 2'ND STRING";
    let mut sum = 0u64;
    let mut buf = [0u8; 256];
    let mut keys = [0u32; 48];
    for it in 0..iterations {
        // Integer arithmetic, calls and branches.
        for k in 0..32 {
            sum = sum.wrapping_add(proc_record(&mut rec, k ^ it as i32) as u64);
            sum ^= (str_cmp(&rec.string, &other) as u64).rotate_left(k as u32);
        }
        // Byte buffer and CRC.
        for (i, x) in buf.iter_mut().enumerate() {
            *x = (rng.next_u64() >> 56) as u8 ^ i as u8;
        }
        sum = sum.wrapping_add(crc32(&table, &buf) as u64);
        // Sorting.
        for k in keys.iter_mut() {
            *k = rng.next_u64() as u32;
        }
        sum = sum.wrapping_add(insertion_sort(&mut keys));
        sum ^= keys[0] as u64 | (keys[47] as u64) << 32;
        // Pointer chasing.
        sum = sum.wrapping_add(list_walk(&mut next, (it % 64) as usize, 96));
        // Matrix multiply every 8th round.
        if it % 8 == 0 {
            a[it as usize % 16][(it as usize / 16) % 16] ^= sum as u32;
            matmul(&a, &b, &mut c);
            sum = sum.wrapping_add(c[it as usize % 16][3] as u64);
        }
        // Division and multiply-high.
        let d = (rng.next_u64() | 1) % 1_000_003;
        sum = sum.wrapping_add(((sum as u128 * 0x9e37_79b9_7f4a_7c15u128) >> 64) as u64 / d);
    }
    sum
}

pub mod tlb;
