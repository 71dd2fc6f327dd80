#!/usr/bin/env bash
# `make bench-compare`: the long Dhrystone-class benchmark intmix
# (guest-os/baremetal/intmix, ~610M instructions, checksum on the UART,
# SiFive test finisher exit) on pagewalk in three modes and on
# qemu-system-riscv64 -M virt side by side; also on Spike when SPIKE names a
# spike binary (Spike has no finisher, so it runs intmix_htif, which prints
# and exits through HTIF).
#
#   pagewalk functional     pagewalk run intmix: M-mode, untranslated, no
#                           timing model
#   pagewalk --tlb rocket   pagewalk run intmix_vm --tlb rocket: the same
#                           kernel in S-mode under Sv39 (4 KiB pages), every
#                           access through the Rocket TLB model
#   pagewalk --model rocket pagewalk run intmix_vm --tlb rocket --model
#                           rocket: plus the Rocket timing model
#   QEMU                    intmix and intmix_vm (TCG, a JIT)
#   Spike                   intmix_htif (an interpreter, like pagewalk)
#
# Instruction counts come from pagewalk (the same ELF runs everywhere).
# Times are wall clock, start-up included (QEMU's is ~25 ms), best of RUNS
# rounds (default 3), each round running every program once in turn. Every run's checksum line is checked against pagewalk's.
# Issue 5's targets: --tlb rocket at least Spike's rate, --model rocket at
# least half of it.
set -euo pipefail
cd "$(dirname "$0")/.."
pagewalk=target/release/pagewalk
dir=guest-os/target/riscv64gc-unknown-none-elf/release
runs=${RUNS:-3}
for f in "$pagewalk" "$dir/intmix" "$dir/intmix_vm" "$dir/intmix_htif"; do
    [ -f "$f" ] || { echo "missing $f: build first (cargo build --release)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The runs, each a shell function run_NAME; every round runs each once, in
# turn, so that a slower phase of a shared machine falls on all of them
# alike (its speed drifts by 10-25% over minutes); best of the rounds.
run_pw-functional() { RUST_LOG=info "$pagewalk" run "$dir/intmix"; }
run_pw-tlb() { RUST_LOG=info "$pagewalk" run "$dir/intmix_vm" --tlb rocket; }
run_pw-timing() { RUST_LOG=info "$pagewalk" run "$dir/intmix_vm" --tlb rocket --model rocket; }
qemu() {
    qemu-system-riscv64 -M virt -bios none -nographic -monitor none -serial stdio -kernel "$1"
}
run_qemu() { qemu "$dir/intmix"; }
run_qemu-vm() { qemu "$dir/intmix_vm"; }
run_spike() { "$SPIKE" --isa=rv64gc "$dir/intmix_htif"; }

names=(pw-functional pw-tlb pw-timing)
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
    names+=(qemu qemu-vm)
else
    echo "qemu-system-riscv64 not installed (Debian: qemu-system-misc): no QEMU comparison"
fi
if [ -n "${SPIKE:-}" ]; then
    if [ -x "$SPIKE" ] || command -v "$SPIKE" >/dev/null 2>&1; then
        # The instruction count of the HTIF variant (one run).
        RUST_LOG=info "$pagewalk" run "$dir/intmix_htif" >"$tmp/pw-htif.out" 2>"$tmp/pw-htif.err" || true
        names+=(spike)
    else
        echo "spike: skipped, SPIKE=$SPIKE is not an executable"
    fi
else
    echo "spike: not run (set SPIKE=/path/to/spike to add it)"
fi

# Each run's stdout goes to $tmp/NAME.out and stderr to $tmp/NAME.err (the
# last round's); its best wall time in s to $tmp/NAME.t.
for _ in $(seq "$runs"); do
    for name in "${names[@]}"; do
        t0=$(date +%s.%N)
        "run_$name" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null || true
        t1=$(date +%s.%N)
        b=$(cat "$tmp/$name.t" 2>/dev/null || true)
        awk -v a="$t0" -v z="$t1" -v b="$b" 'BEGIN { d = z - a; print (b == "" || d < b) ? d : b }' >"$tmp/$name.t"
    done
done
instret() { sed -n 's/.* after \([0-9]*\) instructions$/\1/p' "$tmp/$1.err"; }
checksum() { sed -n 's/.*checksum \(0x[0-9a-f]*\)$/\1/p' "$tmp/$1.out"; }

echo "intmix on pagewalk and the reference emulators: best of $runs rounds, wall clock;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(nproc) cores"

n_m=$(instret pw-functional)
n_s=$(instret pw-tlb)
expected=$(checksum pw-functional)
[ -n "$n_m" ] && [ -n "$n_s" ] && [ -n "$expected" ] || {
    echo "pagewalk did not run intmix:" >&2
    cat "$tmp/pw-functional.out" "$tmp/pw-functional.err" >&2
    exit 1
}

# name|label|instructions|time
rows=()
rows+=("pw-functional|pagewalk functional (intmix)|$n_m|$(cat "$tmp/pw-functional.t")")
rows+=("pw-tlb|pagewalk --tlb rocket (intmix_vm)|$n_s|$(cat "$tmp/pw-tlb.t")")
rows+=("pw-timing|pagewalk --model rocket (intmix_vm)|$(instret pw-timing)|$(cat "$tmp/pw-timing.t")")
qemu_line=
if [ -f "$tmp/qemu.t" ]; then
    rows+=("qemu|qemu-system-riscv64 (intmix)|$n_m|$(cat "$tmp/qemu.t")")
    rows+=("qemu-vm|qemu-system-riscv64 (intmix_vm)|$n_s|$(cat "$tmp/qemu-vm.t")")
    qemu_line="qemu"
fi
spike_line=
if [ -f "$tmp/spike.t" ]; then
    if [ "$(checksum spike)" = "$expected" ]; then
        rows+=("spike|spike (intmix_htif)|$(instret pw-htif)|$(cat "$tmp/spike.t")")
        spike_line="spike"
    else
        echo "spike: skipped, intmix_htif did not print the checksum; its output:"
        sed 's/^/  /' "$tmp/spike.out" "$tmp/spike.err" | head -5
    fi
fi

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t / 1e6 }'; }
ref_rate() { # the M instr/s of row NAME, or empty
    local r
    for r in "${rows[@]}"; do
        IFS='|' read -r name _ n t <<<"$r"
        [ "$name" = "$1" ] && rate "$n" "$t"
    done
    return 0
}
qemu_rate=${qemu_line:+$(ref_rate qemu)}
spike_rate=${spike_line:+$(ref_rate spike)}

echo
printf "%-38s %13s %9s %11s %9s %9s\n" "run" "instructions" "time (s)" "M instr/s" "vs QEMU" "vs Spike"
for r in "${rows[@]}"; do
    IFS='|' read -r name label n t <<<"$r"
    ok=
    [ "$(checksum "$name")" = "$expected" ] || ok="  (wrong output: $(head -c 80 "$tmp/$name.out"))"
    m=$(rate "$n" "$t")
    vq=${qemu_rate:+$(awk -v a="$m" -v b="$qemu_rate" 'BEGIN { printf "%.3f", a / b }')}
    vs=${spike_rate:+$(awk -v a="$m" -v b="$spike_rate" 'BEGIN { printf "%.2f", a / b }')}
    printf "%-38s %13s %9.3f %11s %9s %9s%s\n" "$label" "$n" "$t" "$m" "${vq:--}" "${vs:--}" "$ok"
done
echo
echo "checksum $expected on every run; ratios are M instr/s against qemu-system-riscv64 (intmix) and Spike"
