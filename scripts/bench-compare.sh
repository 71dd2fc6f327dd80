#!/usr/bin/env bash
# Run the built-in `compute` program (guest-os/baremetal/compute, ~68M
# instructions, exits through the SiFive test finisher) on pagewalk and on
# qemu-system-riscv64 -M virt, and print guest instructions per second for
# each and their ratio. The instruction count comes from pagewalk (the same
# ELF runs on both); times are wall-clock seconds, best of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
pagewalk=target/release/pagewalk
elf=guest-os/target/riscv64gc-unknown-none-elf/release/compute
[ -x "$pagewalk" ] && [ -f "$elf" ] || { echo "build first: cargo build --release" >&2; exit 2; }

instret=$(RUST_LOG=info "$pagewalk" run "$elf" 2>&1 >/dev/null | sed -n 's/.* after \([0-9]*\) instructions/\1/p')
best() { # best wall time of 3 runs of "$@", in seconds
    local b=
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
        b=$(echo "$t0 $t1 $b" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
    done
    echo "$b"
}
pw=$(best "$pagewalk" run "$elf")
printf "%-28s %12s instructions\n" "compute" "$instret"
printf "%-28s %8.3f s  %8.1f M instr/s\n" "pagewalk" "$pw" "$(echo "$instret $pw" | awk '{print $1/$2/1e6}')"
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
    qm=$(best qemu-system-riscv64 -M virt -bios none -nographic -monitor none -serial null -kernel "$elf")
    printf "%-28s %8.3f s  %8.1f M instr/s\n" "qemu-system-riscv64 (JIT)" "$qm" "$(echo "$instret $qm" | awk '{print $1/$2/1e6}')"
    printf "%-28s %8.2f\n" "pagewalk / QEMU speed" "$(echo "$qm $pw" | awk '{print $1/$2}')"
else
    echo "qemu-system-riscv64 not installed: no comparison"
fi
