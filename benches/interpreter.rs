//! Interpreter speed, the figures issue 5 holds us to. criterion
//! `Throughput::Elements` is retired guest instructions, so criterion
//! reports guest instructions per second.
//!
//! Two programs, each in three modes:
//!
//! - `intmix/*`: the long Dhrystone-class integer benchmark
//!   (guest-os/baremetal/intmix), patched to [`INTMIX_ITERATIONS`]
//!   iterations (about 51 million instructions; the built-in runs 610
//!   million). Compute-bound: calls, record copies, string copy/compare,
//!   branches, arithmetic.
//! - `random/*`: tlbwork's `random` kernel (the `tlb-compare` workload,
//!   set up by `compare::resolve_workloads`/`run_one`) over 3072 pages
//!   (12 MiB) for 128 passes: uniform random loads in S-mode under Sv39
//!   with 4 KiB pages, about 44 million instructions. Memory-heavy: a load
//!   every ~14 instructions, and the Rocket DTLB (32 entries) misses on 99%
//!   of them.
//!
//! The modes:
//!
//! 1. `functional`: no timing model (`--model none`, one cycle per
//!    instruction) and as little MMU modelling as the program allows:
//!    intmix runs untranslated in M-mode (`pagewalk run intmix`); the
//!    `random` kernel is translated by design, so it runs with the `ideal`
//!    TLB preset, which misses only on a page's first touch (`--tlb
//!    ideal`), like the software TLB of a functional emulator.
//! 2. `tlb-rocket`: translation through the Rocket TLB model, no timing
//!    model: intmix_vm (the same kernel in S-mode under Sv39, 4 KiB pages;
//!    `pagewalk run intmix_vm --tlb rocket`) and `random --tlb rocket`.
//! 3. `timing-rocket`: that plus the Rocket timing model charging every
//!    instruction (`--tlb rocket --model rocket`).
//!
//! `kernel/pagefault` is the cost of a guest page fault under the guest
//! kernel: `thrash 64 64 1` (one write to each page of a fresh 64 MiB
//! anonymous mapping) as PID 1, every write a minor fault that allocates
//! and zeroes a page. Throughput::Elements is the kernel's `pgfault`
//! count, so criterion's "elem/s" is page faults per second (its inverse
//! is the wall time per fault, boot and the rest of the run included:
//! they are about 2% of the instructions; the marginal cost is 2,316
//! guest instructions per fault).
//!
//! `cargo bench --bench interpreter` (or `make bench`); about 2 minutes.
//! `make bench-compare` times the full-length intmix against QEMU.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use pagewalk::compare::grid::TlbChoice;
use pagewalk::compare::{resolve_workloads, run_one, Workload};
use pagewalk::guest::{intmix_with, kernel, BAREMETAL_INTMIX, BAREMETAL_INTMIX_VM, USER_PROGRAMS};
use pagewalk::machine::{Config, Console, Machine, Outcome};
use pagewalk::mmu::tlb::TlbConfig;
use pagewalk::timing::TimingConfig;
use pagewalk::userland;
use std::time::Duration;

/// intmix iterations per run: about 51 million instructions.
const INTMIX_ITERATIONS: u64 = 50_000;
/// tlbwork `random`: region size in pages and passes.
const RANDOM_PAGES: u64 = 3072;
const RANDOM_REPS: u64 = 128;
/// `thrash MIB MIB 1`: MIB MiB touched once, a page fault per page.
const PAGEFAULT_MIB: u64 = 64;

/// A mode: (name, TLB preset, timing model).
const MODES: [(&str, &str, bool); 3] = [
    ("functional", "ideal", false),
    ("tlb-rocket", "rocket", false),
    ("timing-rocket", "rocket", true),
];

fn tlb(preset: &str) -> TlbConfig {
    TlbConfig::load::<&str>(preset, &[]).expect("TLB preset")
}

fn timing(on: bool) -> Option<TimingConfig> {
    on.then(|| {
        TimingConfig::load::<&str>("rocket", &[])
            .expect("timing preset")
            .expect("a model")
    })
}

/// Run a bare-metal ELF to its finisher exit; returns instret.
fn run_baremetal(elf: &[u8], tlb: &TlbConfig, timing: &Option<TimingConfig>) -> u64 {
    let mut m = Machine::new(Config {
        tlb: tlb.clone(),
        timing: timing.clone(),
        console: Console::Capture { input: Vec::new() },
        ..Config::default()
    });
    m.load_elf(elf).expect("ELF loads");
    assert_eq!(m.run(), Outcome::Finisher { code: 0 });
    m.instret()
}

/// Run tlbwork `random` under `tlb`; returns instret.
fn run_random(w: &Workload, tlb: &TlbChoice, timing: &Option<TimingConfig>) -> u64 {
    let (outcome, stats) = run_one(w, tlb, timing).expect("tlbwork runs");
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    stats["instret"].as_u64().expect("instret")
}

fn interpreter(c: &mut Criterion) {
    let mut group = c.benchmark_group("interpreter");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    let m_mode = intmix_with(BAREMETAL_INTMIX, INTMIX_ITERATIONS);
    let s_mode = intmix_with(BAREMETAL_INTMIX_VM, INTMIX_ITERATIONS);
    for (mode, preset, model) in MODES {
        // Functional intmix is the untranslated M-mode program (the TLB
        // preset does not matter there); the others translate.
        let elf = if mode == "functional" {
            &m_mode
        } else {
            &s_mode
        };
        let (tlb, timing) = (tlb(preset), timing(model));
        group.throughput(Throughput::Elements(run_baremetal(elf, &tlb, &timing)));
        group.bench_function(format!("intmix/{mode}"), |b| {
            b.iter(|| run_baremetal(elf, &tlb, &timing))
        });
    }
    let random = resolve_workloads(&["random".into()], Some(RANDOM_PAGES), Some(RANDOM_REPS))
        .expect("tlbwork random")
        .remove(0);
    for (mode, preset, model) in MODES {
        let choice = TlbChoice {
            base: preset.into(),
            overrides: Vec::new(),
            config: tlb(preset),
        };
        let timing = timing(model);
        group.throughput(Throughput::Elements(run_random(&random, &choice, &timing)));
        group.bench_function(format!("random/{mode}"), |b| {
            b.iter(|| run_random(&random, &choice, &timing))
        });
    }
    group.finish();
}

/// Boot the kernel with `root` as the root image; returns (instret,
/// pgfault).
fn run_kernel(kernel_elf: &[u8], stats_at: u64, root: &[u8]) -> (u64, u64) {
    let disk = userland::image_disk(root, userland::ROOT_SERIAL).expect("root disk");
    let mut m = Machine::new(Config {
        console: Console::Capture { input: Vec::new() },
        disks: vec![disk],
        ..Config::default()
    });
    m.load_elf(kernel_elf).expect("kernel loads");
    assert_eq!(m.run(), Outcome::Finisher { code: 0 });
    let stats = userland::read_kernel_stats(&m.bus, stats_at).expect("kernel counters");
    let pgfault = stats
        .iter()
        .find(|(n, _)| *n == "pgfault")
        .expect("pgfault")
        .1;
    (m.instret(), pgfault)
}

fn pagefault(c: &mut Criterion) {
    let kernel_elf = kernel().expect("the guest kernel is built in");
    let stats_at = userland::kernel_stats_address(kernel_elf).expect("PAGEWALK_KERNEL_STATS");
    let mib = PAGEFAULT_MIB.to_string();
    let argv: Vec<String> = vec!["/bin/thrash".into(), mib.clone(), mib, "1".into()];
    let root = userland::root_image(USER_PROGRAMS, "", &argv);
    let (instret, faults) = run_kernel(kernel_elf, stats_at, &root);
    eprintln!(
        "kernel/pagefault: thrash {PAGEFAULT_MIB} {PAGEFAULT_MIB} 1: {faults} page faults, \
         {instret} guest instructions ({} per fault, everything included)",
        instret / faults
    );
    let mut group = c.benchmark_group("kernel");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(faults));
    group.bench_function("pagefault", |b| {
        b.iter(|| run_kernel(kernel_elf, stats_at, &root))
    });
    group.finish();
}

criterion_group!(benches, interpreter, pagefault);
criterion_main!(benches);
