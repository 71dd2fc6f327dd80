# TLB events through the hardware performance counters (pagewalk's
# mhpmevent numbers, emulator/src/cpu/csr.rs `hpm_event`): 1 = ITLB misses,
# 2 = DTLB misses, 3 = L2 TLB misses, 4 = page walks.
#
# Sv39 with two 1 GiB leaves: VA 0x8000_0000 and VA 0xC000_0000 both map
# PA 0x8000_0000 (identity for code, an alias for data). In S-mode:
#   ld (alias), ld (alias + 8), sfence.vma, ld (alias)
# Each of the two S-mode entries into the page (after mret, and after the
# fence) misses the ITLB once; the first load and the load after the fence
# miss the DTLB; every miss walks. The default model (Rocket) has no L2 TLB.
# QEMU implements no such events (known divergence from case 3 on).

rvtest_code_begin
    la t0, hpm_root
    li t1, ((0x80000000 >> 12) << 10) | 0xcf     # V R W X A D, 1 GiB
    sd t1, 16(t0)                                 # VPN[2] = 2: 0x8000_0000
    li t1, ((0x80000000 >> 12) << 10) | 0xc7     # V R W A D, 1 GiB
    sd t1, 24(t0)                                 # VPN[2] = 3: 0xC000_0000
    li t0, 2
    csrw mhpmevent3, t0
    li t0, 4
    csrw mhpmevent4, t0
    li t0, 1
    csrw mhpmevent5, t0
    li t0, 3
    csrw mhpmevent6, t0
    la t0, hpm_root
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    csrr s2, mhpmcounter3
    csrr s3, mhpmcounter4
    csrr s4, mhpmcounter5
    csrr s5, mhpmcounter6

    run_in_mode 2, PRV_S
    la t1, hpm_data
    li t2, 0x40000000
    add t0, t1, t2
    ld a0, 0(t0)
    ld a1, 8(t0)
    sfence.vma
    ld a2, 0(t0)
    run_in_mode_end 2, PRV_S, PRV_M

    csrw satp, zero
    test_case 3
    csrr t0, mhpmcounter3
    sub t0, t0, s2
    check t0, 2                                   # DTLB misses
    test_case 4
    csrr t0, mhpmcounter4
    sub t0, t0, s3
    check t0, 4                                   # walks
    test_case 5
    csrr t0, mhpmcounter5
    sub t0, t0, s4
    check t0, 2                                   # ITLB misses
    test_case 6
    csrr t0, mhpmcounter6
    sub t0, t0, s5
    check t0, 0                                   # no L2 TLB
    test_case 7
    # Writing a counter sets its value; it then counts on from there.
    li t0, 1000
    csrw mhpmcounter3, t0
    csrr t1, mhpmcounter3
    check t1, 1000
    test_case 8
    # Selecting another event keeps the counter's value.
    li t0, 1
    csrw mhpmevent3, t0
    csrr t1, mhpmcounter3
    check t1, 1000
    test_case 9
    # The loads read the data through the alias.
    check a0, 0x1122334455667788
    check a1, 0x0102030405060708
    check a2, 0x1122334455667788
rvtest_code_end

    .data
    .balign 4096
hpm_root:
    .zero 4096
hpm_data:
    .dword 0x1122334455667788
    .dword 0x0102030405060708
