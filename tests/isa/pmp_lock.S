# Locked PMP entries (Privileged ISA 20211203 §3.7.1.2): a locked entry
# binds M-mode too; writes to a locked entry's pmpcfg byte and pmpaddr are
# ignored, and a locked TOR entry i also locks pmpaddr[i-1]; unlocked
# entries stay writable. (Locks last until reset: a file of their own.)
# Entry 15 is a catch-all (NAPOT over everything, RWX), as in pmp.S.

.equ PMP_R, 0x01
.equ PMP_W, 0x02
.equ PMP_X, 0x04
.equ PMP_TOR, 0x08
.equ PMP_NA4, 0x10
.equ PMP_NAPOT, 0x18
.equ PMP_L, 0x80

# pmpaddr value of a NAPOT region of `size` bytes (a power of two >= 8) at
# the address in register `base`, into register rd.
.macro napot rd, base, size
    srli \rd, \base, 2
    ori \rd, \rd, ((\size) / 8) - 1
.endm

# pmpcfg0 = the constant cfg (entries 0-7).
.macro set_pmpcfg0 cfg
    li t0, \cfg
    csrw pmpcfg0, t0
.endm

rvtest_code_begin

    li t0, -1
    csrw pmpaddr15, t0
    li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0
    csrw pmpcfg0, zero
    la s1, pmp_page1
    li a5, 0x1234

    # Entry 8: NA4 at page1+0xc00, L|R:
    # M may read but not write it.
    addi s5, s1, 0x600
    addi s5, s5, 0x600               # s5 = page1 + 0xc00
    sw a5, 0(s5)
    srli t0, s5, 2
    csrw pmpaddr8, t0
    li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56) | PMP_L | PMP_NA4 | PMP_R
    csrw pmpcfg2, t0
    test_case 2
    lw a0, 0(s5)
    check a0, 0x1234
    trap_begin 3, PRV_M
    sw a0, 0(s5)
    trap_end_addr 3, CAUSE_STORE_ACCESS, pmp_page1 + 0xc00
    trap_begin 4, PRV_S
    sw a0, 0(s5)
    trap_end_addr 4, CAUSE_STORE_ACCESS, pmp_page1 + 0xc00
    # writes to a locked entry's cfg and address are ignored
    test_case 5
    li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56) | PMP_NA4 | PMP_R | PMP_W
    csrw pmpcfg2, t0
    csrr a0, pmpcfg2
    li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56) | PMP_L | PMP_NA4 | PMP_R
    check_reg a0, t0
    csrw pmpaddr8, zero
    csrr a0, pmpaddr8
    srli t0, s5, 2
    check_reg a0, t0
    trap_begin 6, PRV_M             # and the lock still holds
    sh a0, 2(s5)
    trap_end_addr 6, CAUSE_STORE_ACCESS, pmp_page1 + 0xc02
    # a locked TOR entry 10 also locks pmpaddr9, its lower bound
    addi s6, s5, 0x100               # page1 + 0xd00
    srli t0, s6, 2
    csrw pmpaddr9, t0
    addi t0, t0, 4                   # [+0xd00, +0xd10)
    csrw pmpaddr10, t0
    li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56) | ((PMP_L | PMP_TOR | PMP_R) << 16) | PMP_L | PMP_NA4 | PMP_R
    csrw pmpcfg2, t0
    test_case 7
    csrw pmpaddr9, zero
    csrr a0, pmpaddr9
    srli t0, s6, 2
    check_reg a0, t0
    lw a0, 0xc(s6)                   # M reads
    trap_begin 8, PRV_M
    sw a0, 0xc(s6)                   # but may not write
    trap_end_addr 8, CAUSE_STORE_ACCESS, pmp_page1 + 0xd0c
    test_case 9
    sw a0, 0x10(s6)                  # just above the range
    # unlocked entries can still change
    test_case 10
    li t0, 0x1234
    csrw pmpaddr11, t0
    csrr a0, pmpaddr11
    check a0, 0x1234

rvtest_code_end

    .data
    .align 12
pmp_page1:
    .zero 4096
