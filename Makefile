# pagewalk — convenience targets. Everything is plain cargo underneath.
CARGO ?= cargo
PAGEWALK := target/release/pagewalk
# Where a built riscv-tests tree lives (see README "Running riscv-tests").
RISCV_TESTS ?= $(HOME)/riscv-tests
ISA_DIR := $(RISCV_TESTS)/isa
GROUPS := rv64ui rv64um rv64ua rv64uc rv64uf rv64ud rv64si rv64mi
ISA_TESTS = $(filter-out %.dump,$(foreach g,$(GROUPS),$(wildcard $(ISA_DIR)/$(g)-p-* $(ISA_DIR)/$(g)-v-*)))

.PHONY: all build test lint run bench bench-interpreter bench-compare conformance qemu-check clean

all: build

build:
	$(CARGO) build --release

# The test command (README, .ci/run): formatting, lints, then every test.
test: lint
	$(CARGO) test --release

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --all-targets -- -D warnings

# The demo: a bare-metal program, then user programs under the guest kernel
# (demand paging, a segfault that kills only its process, swapping 48 MiB
# through 16 MiB of RAM with every page verified, then vmstat).
run: build
	$(PAGEWALK) run hello-baremetal
	$(PAGEWALK) run --memory 16M --swap 64M --stats init memtouch 8 random --- forktest 8 --- systest forkcost 6 --- swaptest 48 --- segv --- free --- vmstat

# criterion (benches/): interpreter speed in guest instructions/s (intmix and
# tlbwork random, each functional / TLB model / timing model), the cost of a
# guest page fault under the kernel, TLB model lookups, the timing model.
bench:
	$(CARGO) bench

# The interpreter speed and page-fault benches alone (about 2 minutes).
bench-interpreter:
	$(CARGO) bench --bench interpreter

# The long Dhrystone-class intmix (~610M instructions) on pagewalk in its
# three modes and on qemu-system-riscv64 side by side, with Spike too when
# SPIKE=/path/to/spike: M instr/s and ratios. RUNS=N: best of N rounds
# (default 3), every program once per round, in turn.
bench-compare: build
	scripts/bench-compare.sh

# riscv-tests conformance: rv64{ui,um,ua,uc,uf,ud,si,mi}, -p- and -v-.
conformance: build
	@test -n "$(ISA_TESTS)" || { echo "no riscv-tests binaries under $(ISA_DIR); set RISCV_TESTS=/path/to/riscv-tests (see README)"; exit 2; }
	@echo "pagewalk riscv-tests: $(words $(ISA_TESTS)) tests from $(ISA_DIR)"
	@$(PAGEWALK) riscv-tests $(ISA_TESTS)

# The QEMU cross-check tests alone (they skip when qemu-system-riscv64 is absent).
qemu-check:
	$(CARGO) test --release --test baremetal

clean:
	$(CARGO) clean
	rm -rf guest-os/target
