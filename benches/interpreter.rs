//! Interpreter speed: guest instructions per second on the compute-bound
//! bare-metal program, criterion `Throughput::Elements` = retired guest
//! instructions:
//! - `compute/untranslated`: guest-os/baremetal/compute in M-mode (no
//!   translation; the TLB model only counts untranslated accesses);
//! - `compute_vm/tlb-model`: the same kernels in S-mode under Sv39 with
//!   4 KiB pages, every access through the TLB model (Rocket preset).
//!
//! `cargo bench --bench interpreter` (or `make bench`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pagewalk::guest::{BAREMETAL_COMPUTE, BAREMETAL_COMPUTE_VM};
use pagewalk::machine::{Config, Machine, Outcome};

fn run(elf: &[u8]) -> u64 {
    let mut m = Machine::new(Config::default());
    m.load_elf(elf).expect("ELF loads");
    let outcome = m.run();
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    m.instret()
}

fn interpreter(c: &mut Criterion) {
    let mut group = c.benchmark_group("interpreter");
    group.sample_size(10);
    for (name, elf) in [
        ("compute/untranslated", BAREMETAL_COMPUTE),
        ("compute_vm/tlb-model", BAREMETAL_COMPUTE_VM),
    ] {
        group.throughput(Throughput::Elements(run(elf)));
        group.bench_function(name, |b| b.iter(|| run(elf)));
    }
    group.finish();
}

criterion_group!(benches, interpreter);
criterion_main!(benches);
