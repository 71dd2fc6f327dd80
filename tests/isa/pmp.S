# Physical memory protection (Privileged ISA 20211203 §3.7): NAPOT, TOR and
# NA4 regions; R/W/X denial in S and U gives load/store/fetch access faults
# (causes 5/7/1) with mtval = the address; the lowest-numbered matching
# entry decides; an access only partly inside an entry fails; with no
# matching entry S/U accesses fail and M accesses succeed; M ignores
# unlocked entries but obeys locked ones (also through MPRV); locked entries
# ignore writes (pmp_lock.S); the reserved R=0 W=1 combination is not kept.
#
# Layout: entry 15 is a catch-all (NAPOT over everything, RWX) so that the
# test code, the trap record and the stack stay reachable from S and U;
# entries 0-7 (pmpcfg0) are the regions under test. Locking is permanent
# until reset, so the lock tests are in pmp_lock.S.

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

    # catch-all in entry 15, then entries 0-7 off
    li t0, -1
    csrw pmpaddr15, t0
    li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0
    csrw pmpcfg0, zero
    la s0, pmp_page0                # 4 KiB, code at +0, data at +0x100
    la s1, pmp_page1                # 4 KiB of data
    li a5, 0x1234
    sw a5, 0x100(s0)

    # --- NAPOT 4 KiB over page 0, read-only
    napot t0, s0, 4096
    csrw pmpaddr0, t0
    set_pmpcfg0 PMP_NAPOT | PMP_R
    test_case 2
    csrr a0, pmpaddr0
    napot t0, s0, 4096
    check_reg a0, t0
    csrr a0, pmpcfg0
    check a0, PMP_NAPOT | PMP_R
    run_in_mode 3, PRV_S             # S reads it
    lw a0, 0x100(s0)
    run_in_mode_end 3, PRV_S
    check a0, 0x1234
    run_in_mode 4, PRV_U
    lw a0, 0x104(s0)
    run_in_mode_end 4, PRV_U
    check a0, 0
    trap_begin 5, PRV_S              # S may not write: store access fault
    sw a5, 0x100(s0)
    trap_end_addr 5, CAUSE_STORE_ACCESS, pmp_page0 + 0x100
    addi a1, s0, 2047
    addi a1, a1, 1
    trap_begin 6, PRV_U
    sb a5, 2047(a1)
    trap_end_addr 6, CAUSE_STORE_ACCESS, pmp_page0 + 0xfff
    trap_begin 7, PRV_U              # AMOs need W (store/AMO access fault)
    amoadd.w a0, a5, (s0)
    trap_end_addr 7, CAUSE_STORE_ACCESS, pmp_page0
    # fetch needs X: the fault is at the jump target, mtval = the target
    trap_arm 8, PRV_S
    jalr s0
    trap_end_any 8, CAUSE_FETCH_ACCESS
    ld t0, REC_EPC(t1)
    check_addr t0, pmp_page0
    ld t0, REC_TVAL(t1)
    check_addr t0, pmp_page0
    # M is not bound by an unlocked entry
    test_case 9
    li a0, 0x5678
    sw a0, 0x100(s0)
    jalr s0                          # pmp_page0: a0 += 1
    check a0, 0x5679
    # nor is the neighbour of the region
    run_in_mode 10, PRV_S
    sw a5, -4(s0)
    lw a0, -4(s0)
    run_in_mode_end 10, PRV_S
    check a0, 0x1234

    # --- the same page execute-only, then read-write
    set_pmpcfg0 PMP_NAPOT | PMP_X
    run_in_mode 11, PRV_U
    li a0, 41
    jalr s0
    run_in_mode_end 11, PRV_U
    check a0, 42
    trap_begin 12, PRV_U
    lw a0, 0x200(s0)
    trap_end_addr 12, CAUSE_LOAD_ACCESS, pmp_page0 + 0x200
    trap_begin 13, PRV_S
    sd a0, 0x208(s0)
    trap_end_addr 13, CAUSE_STORE_ACCESS, pmp_page0 + 0x208
    set_pmpcfg0 PMP_NAPOT | PMP_R | PMP_W
    run_in_mode 14, PRV_U
    li a0, 99
    sd a0, 0x208(s0)
    ld a1, 0x208(s0)
    run_in_mode_end 14, PRV_U
    check a1, 99
    trap_arm 15, PRV_U
    jalr s0
    trap_end_any 15, CAUSE_FETCH_ACCESS
    ld t0, REC_TVAL(t1)
    check_addr t0, pmp_page0
    set_pmpcfg0 PMP_NAPOT            # no permission at all
    trap_begin 16, PRV_S
    lb a0, 0x7ff(s0)
    trap_end_addr 16, CAUSE_LOAD_ACCESS, pmp_page0 + 0x7ff

    # --- TOR: entry 1 covers [pmpaddr0, pmpaddr1) = page1[0x000, 0x800), R
    srli t0, s1, 2
    csrw pmpaddr0, t0
    addi t0, s1, 0x400
    addi t0, t0, 0x400
    srli t0, t0, 2
    csrw pmpaddr1, t0
    set_pmpcfg0 (PMP_TOR | PMP_R) << 8
    addi a2, s1, 8
    run_in_mode 17, PRV_S
    ld a0, 0(s1)
    ld a1, 0x7f8(s1)                 # last doubleword inside
    sd a5, 0x7f8(a2)                 # first doubleword above: catch-all
    run_in_mode_end 17, PRV_S
    trap_begin 18, PRV_S
    sw a5, 0x7fc(s1)
    trap_end_addr 18, CAUSE_STORE_ACCESS, pmp_page1 + 0x7fc
    trap_begin 19, PRV_U
    sh a5, 0(s1)
    trap_end_addr 19, CAUSE_STORE_ACCESS, pmp_page1
    test_case 20                     # M writes it anyway
    sw a5, 0x10(s1)
    lw a0, 0x10(s1)
    check a0, 0x1234

    # --- NA4: 4 bytes. Entry 2 at page1+0x900 RW, entry 3 at +0x910 none
    addi t0, s1, 0x700
    addi t0, t0, 0x200
    srli t0, t0, 2
    csrw pmpaddr2, t0
    addi t0, t0, 4
    csrw pmpaddr3, t0
    set_pmpcfg0 ((PMP_NA4 | PMP_R | PMP_W) << 16) | (PMP_NA4 << 24)
    addi s2, s1, 0x700
    addi s2, s2, 0x200               # s2 = page1 + 0x900
    run_in_mode 21, PRV_U
    sw a5, 0(s2)
    lw a0, 0(s2)
    lw a1, 4(s2)                     # catch-all
    lw a2, 0xc(s2)
    lw a3, 0x14(s2)
    run_in_mode_end 21, PRV_U
    check a0, 0x1234
    trap_begin 22, PRV_U
    lw a0, 0x10(s2)
    trap_end_addr 22, CAUSE_LOAD_ACCESS, pmp_page1 + 0x910
    trap_begin 23, PRV_S
    sb a0, 0x13(s2)
    trap_end_addr 23, CAUSE_STORE_ACCESS, pmp_page1 + 0x913
    # an access that is only partly inside an entry fails, even if the
    # entry and the catch-all would each allow their part
    trap_begin 24, PRV_S
    ld a0, 0(s2)
    trap_end_addr 24, CAUSE_LOAD_ACCESS, pmp_page1 + 0x900
    trap_begin 25, PRV_U
    sd a0, 0(s2)
    trap_end_addr 25, CAUSE_STORE_ACCESS, pmp_page1 + 0x900

    # --- priority: entry 4 (NA4 at +0xa00, RW) before entry 5 (NAPOT 16
    # bytes at +0xa00, none); entry 6 (NA4 at +0xa20, none) before entry 7
    # (NAPOT 16 bytes at +0xa20, RW)
    addi s3, s1, 0x500
    addi s3, s3, 0x500               # s3 = page1 + 0xa00
    srli t0, s3, 2
    csrw pmpaddr4, t0
    napot t0, s3, 16
    csrw pmpaddr5, t0
    addi t1, s3, 0x20
    srli t0, t1, 2
    csrw pmpaddr6, t0
    napot t0, t1, 16
    csrw pmpaddr7, t0
    set_pmpcfg0 ((PMP_NA4 | PMP_R | PMP_W) << 32) | (PMP_NAPOT << 40) | (PMP_NA4 << 48) | ((PMP_NAPOT | PMP_R | PMP_W) << 56)
    run_in_mode 26, PRV_S
    sw a5, 0(s3)                     # entry 4 allows
    lw a0, 0(s3)
    sw a5, 0x24(s3)                  # entry 7 allows
    lw a1, 0x2c(s3)
    run_in_mode_end 26, PRV_S
    check a0, 0x1234
    trap_begin 27, PRV_S
    lw a0, 4(s3)                     # entry 5 denies
    trap_end_addr 27, CAUSE_LOAD_ACCESS, pmp_page1 + 0xa04
    trap_begin 28, PRV_U
    lw a0, 0x20(s3)                  # entry 6 denies, though entry 7 allows
    trap_end_addr 28, CAUSE_LOAD_ACCESS, pmp_page1 + 0xa20
    trap_begin 29, PRV_U
    sw a0, 0x20(s3)
    trap_end_addr 29, CAUSE_STORE_ACCESS, pmp_page1 + 0xa20

    # --- M-mode with MPRV = 1 and MPP = S: loads and stores are checked
    # with S's permissions (§3.1.6.3)
    set_pmpcfg0 PMP_NA4 << 48        # entry 6 only: +0xa20 no access
    trap_arm 30, PRV_M
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (PRV_S << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    lw a0, 0x20(s3)
    trap_end_any 30, CAUSE_LOAD_ACCESS
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    ld t0, REC_TVAL(t1)
    check_addr t0, pmp_page1 + 0xa20
    test_case 31
    sw a5, 0x20(s3)                  # without MPRV, M passes
    lw a0, 0x20(s3)
    check a0, 0x1234

    # --- no matching entry: S/U fail, M succeeds. Entry 15 as TOR
    # [0, pmp_page2) leaves pmp_page2 and above unmatched.
    csrw pmpcfg0, zero
    la s4, pmp_page2
    csrw pmpaddr14, zero
    srli t0, s4, 2
    csrw pmpaddr15, t0
    li t0, (PMP_TOR | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0
    trap_begin 32, PRV_S
    lw a0, 0(s4)
    trap_end_addr 32, CAUSE_LOAD_ACCESS, pmp_page2
    trap_begin 33, PRV_U
    sd a0, 8(s4)
    trap_end_addr 33, CAUSE_STORE_ACCESS, pmp_page2 + 8
    trap_begin 34, PRV_S
    lw a0, -4(s4)                    # last word below: matched
    ld a0, -4(s4)                    # straddles the top of the TOR range
    trap_end_any 34, CAUSE_LOAD_ACCESS
    test_case 35
    sd a5, 8(s4)                     # M: no match is success
    ld a0, 8(s4)
    check a0, 0x1234
    # restore the catch-all
    li t0, -1
    csrw pmpaddr15, t0
    li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0

    # ------------------------------------------------------------------
    # QEMU 7.2 departs from the ISA in the remaining cases; they come last
    # so that QEMU checks everything above (it stops at the first of these).

    # R = 0, W = 1 is reserved (§3.7.1) and pmpcfg is WARL, so it must not
    # read back; pagewalk drops W as Spike does (riscv-isa-sim
    # riscv/csrs.cc pmpcfg_csr_t::unlogged_write: "Drop R=0 W=1 when
    # MML = 0").
    # QEMU 7.2 keeps W.
    test_case 36
    li t0, PMP_NAPOT | PMP_W | PMP_X
    csrw pmpcfg0, t0
    csrr a0, pmpcfg0
    check a0, PMP_NAPOT | PMP_X
    csrw pmpcfg0, zero

    # Every entry off: "if no PMP entry matches an S-mode or U-mode access,
    # but at least one PMP entry is implemented, the access fails" (§3.7.1),
    # so even S's first instruction fetch fails. QEMU 7.2 lets it through.
    csrw pmpcfg0, zero
    csrw pmpcfg2, zero
    trap_begin 37, PRV_S
    nop
    trap_end_addr 37, CAUSE_FETCH_ACCESS, .Ltrap_epc_37
    trap_begin 38, PRV_U
    nop
    trap_end_addr 38, CAUSE_FETCH_ACCESS, .Ltrap_epc_38
rvtest_code_end

    .section .text
    .align 12
pmp_page0:
    addi a0, a0, 1
    ret
    .zero 4096 - 8                   # data (zeros) to the end of the page
    .data
    .align 12
pmp_page1:
    .zero 4096
pmp_page2:
    .zero 64
