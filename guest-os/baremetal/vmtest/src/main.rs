//! `vmtest`: end-to-end Sv39 scenarios from S and U mode (machinery in
//! `lib.rs`). Each scenario starts with `sfence.vma x0, x0` and uses its own
//! ASID (the scenario number unless noted); data pages are 4 KiB at
//! `DATA_VA + k * 4096` (page k) unless noted, and the routines' only data
//! accesses are the loads and stores listed here:
//!
//! | # | mode | ASID | accesses |
//! |---|------|------|----------|
//! | 1 scan | U | 1 | 6 pages x 3 loads, page by page (18) |
//! | 2 cyclic | S | 2 | 9 pages, 4 rounds of one load per page (36) |
//! | 3 conflict | U | 3, 31 | pages 0 and 8 (same set of an 8-set TLB) alternated 10 times (20), in ASID 3; then (after a full fence) pages 0 and 1 alternated 10 times (20) in ASID 31 |
//! | 4 ASIDs | U | 10, 11 | two roots, page 0 of each (different frames), 5 x (ASID 10 load, ASID 11 load), switched by `satp` writes only (10) |
//! | 5 global | U, S | 12 | page 0 global (loaded from U), page 1 not (loaded from S): load 0, load 1, `sfence.vma x0, 12`, load 0, load 1 (4) |
//! | 6 superpages | U | 6 | a 2 MiB leaf (VA 0x4060_0000 -> PA 0x8100_0000) and a 1 GiB leaf (VA 0xc000_0000 -> PA 0x8000_0000), 4 loads each (8) |
//! | 7 faults | U, S | 7 | U: load + faulting store to a read-only page (2), load of an S page (1), fetch from a non-executable page; S: load of a U page with SUM = 0 (1), fetch from a U page |
//!
//! One line per scenario with the checksum of the values read; scenario 7
//! prints its faults (cause, tval, epc). The driver recomputes every
//! checksum from physical memory and checks every fault; exit 0 when all
//! checks pass, else `10 * scenario + k` of the first failed check.
//!
//! `VMTEST_SELECT` (bit n = scenario n, default all) lets a host test run
//! a subset: pagewalk's tests patch it after loading the ELF.
#![no_std]
#![no_main]

use baremetal_rt::{entry, exit, println};
use core::ptr::{addr_of, read_volatile};
use vmtest::*;

/// Scenarios to run, bit n = scenario n.
#[no_mangle]
#[used]
static mut VMTEST_SELECT: u64 = u64::MAX;

const U: u64 = pte::U;
const RW: u64 = pte::R | pte::W;

fn page(k: u64) -> u64 {
    DATA_VA + k * PAGE
}

/// The checksum of loading `pas` in order.
fn expected(pas: impl Iterator<Item = u64>) -> u64 {
    pas.fold(0, |acc, pa| mix(acc, read64(pa)))
}

fn fail(check: u16, what: &str) -> ! {
    println!("FAIL check {check}: {what}");
    exit(check)
}

/// Check a scenario's checksum and that it took no trap.
fn check(n: u16, got: u64, want: u64) {
    let (faults, log) = faults();
    if faults != 0 {
        let f = log[0];
        println!(
            "  unexpected trap: cause {} tval {:#x} epc {:#x}",
            f.cause, f.tval, f.epc
        );
        fail(10 * n + 2, "unexpected trap");
    }
    if got != want {
        println!("  checksum {got:#018x}, expected {want:#018x}");
        fail(10 * n + 1, "checksum");
    }
}

fn scan() {
    let mut s = Space::new(1);
    for k in 0..6 {
        s.map(page(k), frame_pa(k as usize), 0, RW | U);
    }
    sfence_all();
    let got = enter(Mode::User, &s, Routine::Scan, [DATA_VA, 6, 3]);
    let want = expected((0..6).flat_map(|p| (0..3).map(move |j| frame_pa(p) + 8 * j as u64)));
    println!("S1 scan: 6 pages x 3 loads (U, asid 1): checksum {got:#018x}");
    check(1, got, want);
}

fn cyclic() {
    let mut s = Space::new(2);
    for k in 0..9 {
        s.map(page(k), frame_pa(k as usize), 0, RW);
    }
    sfence_all();
    let got = enter(Mode::Supervisor, &s, Routine::Cyclic, [DATA_VA, 9, 4]);
    let want = expected((0..4).flat_map(|r| (0..9).map(move |p| frame_pa(p) + 8 * r as u64)));
    println!("S2 cyclic: 9 pages x 4 rounds (S, asid 2): checksum {got:#018x}");
    check(2, got, want);
}

fn conflict() {
    let mut s = Space::new(3);
    s.map(page(0), frame_pa(0), 0, RW | U);
    s.map(page(1), frame_pa(1), 0, RW | U);
    s.map(page(8), frame_pa(2), 0, RW | U);
    sfence_all();
    let got = enter(Mode::User, &s, Routine::Pair, [page(0), page(8), 10]);
    let want = expected((0..10).flat_map(|_| [frame_pa(0), frame_pa(2)]));
    println!("S3 conflict: pages 0, 8 x 10 (U, asid 3): checksum {got:#018x}");
    check(3, got, want);
    let s = s.with_asid(31);
    sfence_all();
    let got = enter(Mode::User, &s, Routine::Pair, [page(0), page(1), 10]);
    let want = expected((0..10).flat_map(|_| [frame_pa(0), frame_pa(1)]));
    println!("S3 no conflict: pages 0, 1 x 10 (U, asid 31): checksum {got:#018x}");
    check(3, got, want);
}

fn asids() {
    let mut a = Space::new(10);
    let mut b = Space::new(11);
    a.map(DATA_VA, frame_pa(3), 0, RW | U);
    b.map(DATA_VA, frame_pa(4), 0, RW | U);
    sfence_all();
    let mut got = 0;
    for _ in 0..5 {
        got = mix(
            got,
            enter(Mode::User, &a, Routine::Strided, [DATA_VA, 1, 0]),
        );
        got = mix(
            got,
            enter(Mode::User, &b, Routine::Strided, [DATA_VA, 1, 0]),
        );
    }
    let want = expected((0..5).flat_map(|_| [frame_pa(3), frame_pa(4)]));
    println!("S4 asids: asid 10 / 11 alternated x 5, no fence (U): checksum {got:#018x}");
    check(4, got, want);
}

fn global() {
    let mut s = Space::new(12);
    s.map(page(0), frame_pa(5), 0, RW | U | pte::G);
    s.map(page(1), frame_pa(6), 0, RW);
    sfence_all();
    let mut got = 0;
    for phase in 0..2 {
        if phase == 1 {
            sfence_asid(12);
        }
        got = mix(
            got,
            enter(Mode::User, &s, Routine::Strided, [page(0), 1, 0]),
        );
        got = mix(
            got,
            enter(Mode::Supervisor, &s, Routine::Strided, [page(1), 1, 0]),
        );
    }
    let want = expected([5, 6, 5, 6].into_iter().map(frame_pa));
    println!("S5 global: G page (U) and non-G page (S) around sfence.vma x0, 12 (asid 12): checksum {got:#018x}");
    check(5, got, want);
}

const MEGA_VA: u64 = 0x4060_0000;
const MEGA_PA: u64 = 0x8100_0000;
const MEGA_FIRST: u64 = 0x10;
const MEGA_STRIDE: u64 = 0x7_1008;
const GIGA_VA: u64 = 0xc000_0000;
const GIGA_PA: u64 = 0x8000_0000;
const GIGA_FIRST: u64 = 0x0140_0000;
const GIGA_STRIDE: u64 = 0x0123_4568;

fn superpages() {
    let mut s = Space::new(6);
    s.map(MEGA_VA, MEGA_PA, 1, pte::R | U);
    s.map(GIGA_VA, GIGA_PA, 2, pte::R | U);
    let mega = (0..4).map(|i| MEGA_PA + MEGA_FIRST + i * MEGA_STRIDE);
    let giga = (0..4).map(|i| GIGA_PA + GIGA_FIRST + i * GIGA_STRIDE);
    for pa in mega.clone().chain(giga.clone()) {
        write64(pa, pa.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5a5a);
    }
    sfence_all();
    let got_mega = enter(
        Mode::User,
        &s,
        Routine::Strided,
        [MEGA_VA + MEGA_FIRST, 4, MEGA_STRIDE],
    );
    let got_giga = enter(
        Mode::User,
        &s,
        Routine::Strided,
        [GIGA_VA + GIGA_FIRST, 4, GIGA_STRIDE],
    );
    let got = mix(got_mega, got_giga);
    let want = mix(expected(mega), expected(giga));
    println!("S6 superpages: 2M and 1G leaves x 4 loads (U, asid 6): checksum {got:#018x}");
    check(6, got, want);
}

fn faults_scenario() {
    let mut s = Space::new(7);
    let ro = page(0);
    let sup = page(1);
    let nx = page(2);
    s.map(ro, frame_pa(7), 0, pte::R | U);
    s.map(sup, frame_pa(8), 0, RW);
    s.map(nx, frame_pa(9), 0, RW | U);
    sfence_all();
    let (u, su) = (Mode::User, Mode::Supervisor);
    // (mode, routine, va, return value, expected cause, tval, epc)
    let cases = [
        (
            u,
            Routine::FaultStore,
            ro,
            read64(frame_pa(7)),
            15,
            ro,
            Label::FaultStore.va(u),
        ),
        (
            u,
            Routine::FaultLoad,
            sup,
            0x5a,
            13,
            sup,
            Label::FaultLoad.va(u),
        ),
        (u, Routine::FaultFetch, nx, 0x77, 12, nx, nx),
        (
            su,
            Routine::FaultLoad,
            ro,
            0x5a,
            13,
            ro,
            Label::FaultLoad.va(su),
        ),
        (
            su,
            Routine::FaultFetch,
            CODE_U_VA,
            0x77,
            12,
            CODE_U_VA,
            CODE_U_VA,
        ),
    ];
    let mut sum = 0;
    for (i, &(mode, routine, va, ret, cause, tval, epc)) in cases.iter().enumerate() {
        clear_faults();
        let got = enter(mode, &s, routine, [va, 0, 0]);
        sum = mix(sum, got);
        let (n, log) = faults();
        let f = log[0];
        println!(
            "S7 fault {}: {:?} {:#x} ({}): cause {} tval {:#x} epc {:#x}",
            i + 1,
            routine,
            va,
            mode.letter(),
            f.cause,
            f.tval,
            f.epc
        );
        let k = 71 + i as u16;
        if n != 1 || got != ret || f.cause != cause || f.tval != tval || f.epc != epc {
            println!(
                "  expected one fault: cause {cause} tval {tval:#x} epc {epc:#x}, return {ret:#x} (got {n} faults, return {got:#x})"
            );
            fail(k, "page fault");
        }
    }
    clear_faults();
    if read64(frame_pa(7)) != ((7 + 1) << 48 | 0x5a) {
        fail(76, "the faulting store wrote memory");
    }
    println!("S7 faults: 5 page faults (U, S, asid 7): checksum {sum:#018x}");
}

fn main(_hartid: usize) -> ! {
    init();
    for i in 0..FRAMES {
        fill_frame(i);
    }
    // SAFETY: read once; the host may have patched it before the run.
    let select = unsafe { read_volatile(addr_of!(VMTEST_SELECT)) };
    println!("vmtest: Sv39 scenarios");
    let scenarios: [fn(); 7] = [
        scan,
        cyclic,
        conflict,
        asids,
        global,
        superpages,
        faults_scenario,
    ];
    for (i, run) in scenarios.iter().enumerate() {
        if select & (1 << (i + 1)) != 0 {
            run();
        }
    }
    println!("vmtest: all checks passed");
    exit(0)
}

entry!(main);
