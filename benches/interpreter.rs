//! Interpreter speed: guest instructions per second on the compute-bound
//! bare-metal program (guest-os/baremetal/compute), functional mode.
//!
//! `cargo bench --bench interpreter`; criterion reports the throughput in
//! elements (= retired guest instructions) per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pagewalk::guest::BAREMETAL_COMPUTE;
use pagewalk::machine::{Config, Machine, Outcome};

fn run_compute() -> u64 {
    let mut m = Machine::new(Config::default());
    m.load_elf(BAREMETAL_COMPUTE).expect("compute ELF loads");
    let outcome = m.run();
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    m.instret()
}

fn interpreter(c: &mut Criterion) {
    let instret = run_compute();
    let mut group = c.benchmark_group("interpreter");
    group.throughput(Throughput::Elements(instret));
    group.sample_size(10);
    group.bench_function("compute/functional", |b| b.iter(run_compute));
    group.finish();
}

criterion_group!(benches, interpreter);
criterion_main!(benches);
