//! Interpreter speed: guest instructions per second on the compute-bound
//! bare-metal program, criterion `Throughput::Elements` = retired guest
//! instructions:
//! - `compute/untranslated`: guest-os/baremetal/compute in M-mode (no
//!   translation; the TLB model only counts untranslated accesses);
//! - `compute_vm/tlb-model`: the same kernels in S-mode under Sv39 with
//!   4 KiB pages, every access through the TLB model (Rocket preset);
//! - `compute_vm/timing-rocket`: that, with the Rocket timing model
//!   charging every instruction.
//!
//! `cargo bench --bench interpreter` (or `make bench`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pagewalk::guest::{BAREMETAL_COMPUTE, BAREMETAL_COMPUTE_VM};
use pagewalk::machine::{Config, Machine, Outcome};

fn run(elf: &[u8], timing: bool) -> u64 {
    let timing = timing.then(|| {
        pagewalk::timing::TimingConfig::load::<&str>("rocket", &[])
            .expect("preset")
            .expect("a model")
    });
    let mut m = Machine::new(Config {
        timing,
        ..Config::default()
    });
    m.load_elf(elf).expect("ELF loads");
    let outcome = m.run();
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    m.instret()
}

fn interpreter(c: &mut Criterion) {
    let mut group = c.benchmark_group("interpreter");
    group.sample_size(10);
    for (name, elf, timing) in [
        ("compute/untranslated", BAREMETAL_COMPUTE, false),
        ("compute_vm/tlb-model", BAREMETAL_COMPUTE_VM, false),
        ("compute_vm/timing-rocket", BAREMETAL_COMPUTE_VM, true),
    ] {
        group.throughput(Throughput::Elements(run(elf, timing)));
        group.bench_function(name, |b| b.iter(|| run(elf, timing)));
    }
    group.finish();
}

criterion_group!(benches, interpreter);
criterion_main!(benches);
