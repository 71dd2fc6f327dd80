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
# (default 3). Every run's checksum line is checked against pagewalk's.
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

# best NAME CMD...: run CMD $runs times (stdout to $tmp/NAME.out, stderr to
# $tmp/NAME.err, both from the last run); print the best wall time in s.
best() {
    local name=$1 b= t0 t1
    shift
    for _ in $(seq "$runs"); do
        t0=$(date +%s.%N)
        "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null || true
        t1=$(date +%s.%N)
        b=$(awk -v a="$t0" -v z="$t1" -v b="$b" 'BEGIN { d = z - a; print (b == "" || d < b) ? d : b }')
    done
    echo "$b"
}
instret() { sed -n 's/.* after \([0-9]*\) instructions$/\1/p' "$tmp/$1.err"; }
checksum() { sed -n 's/.*checksum \(0x[0-9a-f]*\)$/\1/p' "$tmp/$1.out"; }

echo "intmix on pagewalk and the reference emulators: best of $runs, wall clock;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(nproc) cores"

# name|label|ELF|command...
rows=()
t=$(best pw-functional env RUST_LOG=info "$pagewalk" run "$dir/intmix")
rows+=("pw-functional|pagewalk functional (intmix)|$(instret pw-functional)|$t")
t=$(best pw-tlb env RUST_LOG=info "$pagewalk" run "$dir/intmix_vm" --tlb rocket)
rows+=("pw-tlb|pagewalk --tlb rocket (intmix_vm)|$(instret pw-tlb)|$t")
t=$(best pw-timing env RUST_LOG=info "$pagewalk" run "$dir/intmix_vm" --tlb rocket --model rocket)
rows+=("pw-timing|pagewalk --model rocket (intmix_vm)|$(instret pw-timing)|$t")
n_m=$(instret pw-functional)
n_s=$(instret pw-tlb)
expected=$(checksum pw-functional)
[ -n "$n_m" ] && [ -n "$n_s" ] && [ -n "$expected" ] || {
    echo "pagewalk did not run intmix:" >&2
    cat "$tmp/pw-functional.out" "$tmp/pw-functional.err" >&2
    exit 1
}

qemu() {
    qemu-system-riscv64 -M virt -bios none -nographic -monitor none -serial stdio -kernel "$1"
}
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
    t=$(best qemu qemu "$dir/intmix")
    rows+=("qemu|qemu-system-riscv64 (intmix)|$n_m|$t")
    t=$(best qemu-vm qemu "$dir/intmix_vm")
    rows+=("qemu-vm|qemu-system-riscv64 (intmix_vm)|$n_s|$t")
    qemu_line="qemu"
else
    qemu_line=
    echo "qemu-system-riscv64 not installed (Debian: qemu-system-misc): no QEMU comparison"
fi

spike_line=
if [ -n "${SPIKE:-}" ]; then
    if [ -x "$SPIKE" ] || command -v "$SPIKE" >/dev/null 2>&1; then
        # The instruction count of the HTIF variant (one run).
        RUST_LOG=info "$pagewalk" run "$dir/intmix_htif" >"$tmp/pw-htif.out" 2>"$tmp/pw-htif.err" || true
        t=$(best spike "$SPIKE" --isa=rv64gc "$dir/intmix_htif")
        if [ "$(checksum spike)" = "$expected" ]; then
            rows+=("spike|spike (intmix_htif)|$(instret pw-htif)|$t")
            spike_line="spike"
        else
            echo "spike: skipped, intmix_htif did not print the checksum; its output:"
            sed 's/^/  /' "$tmp/spike.out" "$tmp/spike.err" | head -5
        fi
    else
        echo "spike: skipped, SPIKE=$SPIKE is not an executable"
    fi
else
    echo "spike: not run (set SPIKE=/path/to/spike to add it)"
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
