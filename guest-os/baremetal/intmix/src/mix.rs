//! The intmix kernel: a Dhrystone-class integer workload written for
//! pagewalk (not a port of Dhrystone). Each iteration drives a small "job
//! ring" of records through:
//!
//! - procedure calls, most of them kept out of line (`#[inline(never)]`);
//! - record copies: a 48-byte record is copied out of the ring, edited and
//!   copied back;
//! - string copy and compare on fixed 32-byte NUL-terminated labels, byte
//!   by byte as `strcpy`/`strcmp` would;
//! - enum dispatch and branch-heavy classification;
//! - integer arithmetic, including a division and a remainder;
//! - indexing into a 1-D and a 2-D array.
//!
//! Everything is wrapping integer arithmetic on fixed inputs, so the result
//! is the same on every platform: the bare-metal programs print
//! [`run`]'s checksum, and the host tests (tests/baremetal.rs, which
//! include this file with `#[path]`) compute it natively and compare.
//! This file uses `core` only.

/// Default iterations of the bare-metal programs: about 610 million guest
/// instructions (about 1,018 per iteration, RV64GC at `opt-level = "s"`).
pub const ITERATIONS: u64 = 600_000;

/// Width of a label, NUL terminator and padding included.
const LABEL: usize = 32;
/// Records in the ring.
const RING: usize = 8;
/// Side of the square grid.
const GRID: usize = 40;

/// The operation a record applies to its value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Xor,
    Rotate,
    Hold,
}

impl Op {
    /// The operation after `self` in a fixed cycle (not declaration order).
    #[inline(never)]
    fn successor(self) -> Op {
        match self {
            Op::Add => Op::Mul,
            Op::Mul => Op::Xor,
            Op::Xor => Op::Sub,
            Op::Sub => Op::Rotate,
            Op::Rotate => Op::Div,
            Op::Div => Op::Hold,
            Op::Hold => Op::Rem,
            Op::Rem => Op::Add,
        }
    }

    fn from_index(i: usize) -> Op {
        match i & 7 {
            0 => Op::Add,
            1 => Op::Sub,
            2 => Op::Mul,
            3 => Op::Div,
            4 => Op::Rem,
            5 => Op::Xor,
            6 => Op::Rotate,
            _ => Op::Hold,
        }
    }
}

/// A coarse classification of a value or of a letter.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Grade {
    Low,
    Fair,
    Good,
    High,
    Peak,
}

impl Grade {
    fn raised(self) -> Grade {
        match self {
            Grade::Low => Grade::Fair,
            Grade::Fair => Grade::Good,
            Grade::Good => Grade::High,
            Grade::High | Grade::Peak => Grade::Peak,
        }
    }
}

/// One job of the ring: 48 bytes, aligned like a C struct holding a
/// pointer, so a record copy is a word-by-word copy.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Record {
    /// Index of the next record in the ring.
    link: u8,
    op: Op,
    grade: Grade,
    hits: i32,
    value: i32,
    label: [u8; LABEL],
}

/// A label: `text` NUL-padded to [`LABEL`] bytes.
const fn label(text: &[u8]) -> [u8; LABEL] {
    let mut out = [0u8; LABEL];
    let mut i = 0;
    while i < text.len() && i < LABEL - 1 {
        out[i] = text[i];
        i += 1;
    }
    out
}

/// The labels jobs are stamped with; the last character before the NUL is
/// replaced by a digit that changes every iteration.
static LABELS: [[u8; LABEL]; 4] = [
    label(b"PAGEWALK STAGE ONE, JOB RING #"),
    label(b"PAGEWALK STAGE TWO, JOB RING #"),
    label(b"PAGEWALK STAGE 3, JOB RING #"),
    label(b"PAGEWALK LAST STAGE, JOB RING #"),
];

/// The whole state the iterations work on.
struct State {
    ring: [Record; RING],
    head: usize,
    /// A copy of the last record processed.
    work: Record,
    reference: [u8; LABEL],
    stamp: [u8; LABEL],
    matched: bool,
    /// Highest letter of the letter scan (`'A'..='last_letter'`).
    last_letter: u8,
    histogram: [i32; 64],
    grid: [[i32; GRID]; GRID],
    checksum: u64,
}

/// `strcpy` into a label: copies up to the NUL; returns the length.
#[inline(never)]
fn copy_label(dst: &mut [u8; LABEL], src: &[u8; LABEL]) -> usize {
    let mut n = 0;
    while n < LABEL - 1 && src[n] != 0 {
        dst[n] = src[n];
        n += 1;
    }
    dst[n] = 0;
    n
}

/// `strcmp` of two labels: < 0, 0 or > 0.
#[inline(never)]
fn compare_labels(a: &[u8; LABEL], b: &[u8; LABEL]) -> i32 {
    let mut i = 0;
    loop {
        let (x, y) = (a[i], b[i]);
        if x != y {
            return x as i32 - y as i32;
        }
        if x == 0 || i == LABEL - 1 {
            return 0;
        }
        i += 1;
    }
}

/// Classify a value by magnitude.
#[inline(never)]
fn grade_of(value: i32) -> Grade {
    if value < 0 {
        Grade::Low
    } else if value < 16 {
        Grade::Fair
    } else if value < 256 {
        Grade::Good
    } else if value < 4096 {
        Grade::High
    } else {
        Grade::Peak
    }
}

/// Classify a letter against a pivot letter.
#[inline(never)]
fn letter_grade(c: u8, pivot: u8) -> Grade {
    if c == pivot {
        Grade::Peak
    } else if c < pivot {
        if c & 1 == 0 {
            Grade::Low
        } else {
            Grade::Fair
        }
    } else if c.is_multiple_of(3) {
        Grade::High
    } else {
        Grade::Good
    }
}

/// Apply `op` to `a` and `b`.
#[inline(never)]
fn apply(op: Op, a: i32, b: i32) -> i32 {
    match op {
        Op::Add => a.wrapping_add(b),
        Op::Sub => a.wrapping_sub(b),
        Op::Mul => a.wrapping_mul(b),
        Op::Div if b != 0 => a.wrapping_div(b),
        Op::Rem if b != 0 => a.wrapping_rem(b),
        Op::Div | Op::Rem => a,
        Op::Xor => a ^ b,
        Op::Rotate => a.rotate_left((b & 31) as u32),
        Op::Hold => a,
    }
}

/// Three-operand step of the inner loop.
#[inline(never)]
fn blend(a: i32, b: i32, c: i32) -> i32 {
    let t = a.wrapping_mul(3).wrapping_add(b);
    if t > c {
        t - c
    } else {
        c.wrapping_sub(t).wrapping_add(a)
    }
}

/// Add `by` to `*x`, folded back into `0..1 << 20`.
#[inline(never)]
fn bump(x: &mut i32, by: i32) {
    *x = x.wrapping_add(by) & ((1 << 20) - 1);
}

/// Scatter `v` into the histogram and the grid around row `r`, column `c`.
#[inline(never)]
fn scatter(histogram: &mut [i32; 64], grid: &mut [[i32; GRID]; GRID], r: usize, c: usize, v: i32) {
    let r = r % (GRID - 2);
    let c = c % (GRID - 2);
    histogram[r] = histogram[r].wrapping_add(1);
    histogram[c + 16] ^= v;
    grid[r][c] = grid[r][c].wrapping_add(v);
    grid[r + 1][c] = grid[r][c + 1].wrapping_sub(histogram[r]);
    grid[c][r + 1] = grid[r + 1][c] ^ (r as i32);
    grid[r + 2][c + 2] = histogram[c + 16];
}

/// Take the head record out of the ring, run its operation with `seed`,
/// reclassify it and put it back; the head moves to the next record, and
/// `st.work` keeps a copy of the record. Returns the record's new value.
#[inline(never)]
fn process(st: &mut State, seed: i32) -> i32 {
    let cur = st.head;
    let mut work = st.ring[cur];
    let next = work.link as usize;
    work.value = apply(work.op, work.value, seed);
    work.grade = grade_of(work.value);
    match work.grade {
        Grade::Low | Grade::Peak => {
            work.value &= 0xfff;
            work.op = work.op.successor();
        }
        Grade::High => {
            work.hits = work.hits.wrapping_add(2);
            work.value >>= 1;
        }
        Grade::Fair | Grade::Good => work.hits = work.hits.wrapping_add(1),
    }
    if work.hits & 7 == 0 {
        // Now and then a record passes its label on to the next one.
        copy_label(&mut st.ring[next].label, &work.label);
    }
    st.ring[cur] = work;
    st.work = work;
    st.head = next;
    work.value
}

/// Pick this iteration's last letter and reference flag.
#[inline(never)]
fn set_letter(st: &mut State, i: u64) {
    st.last_letter = b'A' + (i % 3) as u8 + 1;
    if st.matched {
        st.last_letter += 1;
    }
}

/// One iteration.
#[inline(never)]
fn iteration(st: &mut State, i: u64) {
    set_letter(st, i);

    // Stamp a label and compare it with the reference.
    let n = copy_label(&mut st.stamp, &LABELS[(i & 3) as usize]);
    st.stamp[n - 1] = b'0' + (i % 10) as u8;
    let order = compare_labels(&st.reference, &st.stamp);
    st.matched = order == 0;
    if order > 0 && i & 3 == 0 {
        copy_label(&mut st.ring[st.head].label, &st.stamp);
    }

    // Arithmetic loop with calls.
    let mut a = 2 + (i & 1) as i32;
    let b = 4 + (i % 3) as i32;
    let mut c = 0;
    while a < b {
        c = 5 * a - b;
        c = blend(a, c, b);
        a += 1;
    }

    scatter(
        &mut st.histogram,
        &mut st.grid,
        a as usize + (i & 15) as usize,
        c as usize,
        c,
    );
    let v = process(st, c.wrapping_add(order));

    // Letter scan.
    let mut g = Grade::Fair;
    let mut letter = b'A';
    while letter <= st.last_letter {
        if letter_grade(letter, b'C') >= g {
            g = g.raised();
            c += 1;
        }
        letter += 1;
    }

    // Arithmetic with a division and a remainder.
    let mut x = b.wrapping_mul(a).wrapping_add(v);
    let y = x.wrapping_div(c | 1);
    x = 7i32.wrapping_mul(x.wrapping_sub(c)).wrapping_sub(y);
    bump(&mut x, v % 13);

    st.checksum =
        st.checksum.rotate_left(5) ^ (x as u32 as u64) ^ ((v as u32 as u64) << 32) ^ (g as u64);
}

/// Run `iterations` iterations; returns the checksum of the final state.
pub fn run(iterations: u64) -> u64 {
    let blank = Record {
        link: 0,
        op: Op::Add,
        grade: Grade::Fair,
        hits: 0,
        value: 0,
        label: [0; LABEL],
    };
    let mut st = State {
        ring: [blank; RING],
        head: 0,
        work: blank,
        reference: LABELS[1],
        stamp: [0; LABEL],
        matched: false,
        last_letter: b'A',
        histogram: [0; 64],
        grid: [[0; GRID]; GRID],
        checksum: 0x7061_6765_7761_6c6b,
    };
    // The reference is stage two with digit 5, which iterations 5, 25, 45,
    // ... (i % 4 == 1 and i % 10 == 5) stamp exactly.
    st.reference[LABELS[1].iter().position(|&b| b == 0).unwrap() - 1] = b'5';
    for (k, r) in st.ring.iter_mut().enumerate() {
        r.link = ((k * 3 + 1) % RING) as u8;
        r.op = Op::from_index(k);
        r.value = (k as i32 + 1) * 37;
        r.label = LABELS[k & 3];
    }
    for i in 0..iterations {
        iteration(&mut st, i);
    }
    let mut sum = st.checksum ^ (st.work.value as u32 as u64) ^ ((st.work.hits as u64) << 32);
    for r in &st.ring {
        sum = sum.rotate_left(7) ^ (r.value as u32 as u64) ^ ((r.hits as u64) << 40);
        sum ^= r.op as u64 | (r.grade as u64) << 4;
        for &byte in &r.label {
            sum = sum.wrapping_mul(131).wrapping_add(byte as u64);
        }
    }
    for (k, h) in st.histogram.iter().enumerate() {
        sum = sum.wrapping_add((*h as u32 as u64).wrapping_mul(k as u64 + 1));
    }
    for row in &st.grid {
        for v in row {
            sum = sum.wrapping_mul(31).wrapping_add(*v as u32 as u64);
        }
    }
    sum
}
