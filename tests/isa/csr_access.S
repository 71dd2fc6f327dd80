# CSR access rights and WARL fields (Privileged ISA 20211203 §2.1, §2.3,
# §3.1; Zicsr, Unprivileged ISA 20191213 §9.1): M CSRs from S/U and S CSRs
# from U are illegal; writing a read-only CSR is illegal in every mode, also
# with a zero source register other than x0, while csrrs/csrrc with rs1 = x0
# (and csrrsi/csrrci with uimm = 0) only read; TVM, TSR, TW; mret/sret from
# lower modes; misa; WARL legalisation of mstatus.MPP, mtvec.MODE, medeleg
# bit 11, mepc bit 0. mtval = the instruction bits for every illegal CSR
# access.

rvtest_code_begin

    # M-mode CSRs from S and U
    test_illegal  2, PRV_S, csrr a0, mstatus
    test_illegal  3, PRV_S, csrw mepc, a0
    test_illegal  4, PRV_S, csrr a0, mtvec
    test_illegal  5, PRV_S, csrs mie, a0
    test_illegal  6, PRV_S, csrr a0, misa
    test_illegal  7, PRV_S, csrr a0, mhartid
    test_illegal  8, PRV_S, csrr a0, pmpcfg0
    test_illegal  9, PRV_S, csrr a0, mcycle
    test_illegal 10, PRV_S, csrrwi a0, mscratch, 5
    test_illegal 11, PRV_S, csrr a0, medeleg
    test_illegal 12, PRV_U, csrr a0, mstatus
    test_illegal 13, PRV_U, csrw mscratch, a0
    test_illegal 14, PRV_U, csrr a0, mepc
    test_illegal 15, PRV_U, csrr a0, mhartid
    # S-mode CSRs from U
    test_illegal 16, PRV_U, csrr a0, sstatus
    test_illegal 17, PRV_U, csrr a0, satp
    test_illegal 18, PRV_U, csrw stvec, a0
    test_illegal 19, PRV_U, csrr a0, sepc

    # read-only CSRs (address bits 11:10 = 3): any write is illegal, in M too
    test_illegal 20, PRV_M, csrw mhartid, zero
    test_illegal 21, PRV_M, csrrw a0, mvendorid, a1
    test_illegal 22, PRV_M, csrw cycle, a0
    test_illegal 23, PRV_M, csrwi instret, 0
    test_illegal 24, PRV_M, csrrsi a0, time, 1
    li a1, 0
    test_illegal 25, PRV_M, csrrwi a0, mimpid, 0        # csrrwi always writes
    test_illegal 26, PRV_S, csrw cycle, zero

    # ... but csrrs/csrrc with rs1 = x0, csrrsi/csrrci with uimm 0 are reads
    test_case 27
    csrrs a0, mhartid, zero
    check a0, 0
    csrrc a0, mhartid, zero
    check a0, 0
    csrrsi a0, mvendorid, 0
    csrrci a0, marchid, 0
    csrrs a0, cycle, zero
    csrrci a0, instret, 0
    csrrsi a0, time, 0

    # an unimplemented CSR number is illegal
    test_illegal 28, PRV_M, csrr a0, 0x013

    # S-mode may access its own CSRs; sstatus is a view of mstatus
    run_in_mode 29, PRV_S
    li a0, MSTATUS_SIE
    csrs sstatus, a0
    csrr a1, sstatus
    csrr a2, satp
    csrw sscratch, a0
    run_in_mode_end 29, PRV_S
    csrr a0, mstatus                 # SIE set through the view
    andi a0, a0, MSTATUS_SIE
    check a0, MSTATUS_SIE
    andi a1, a1, MSTATUS_SIE
    check a1, MSTATUS_SIE
    li a0, MSTATUS_MIE               # (mie = 0: no interrupt can be taken)
    csrs mstatus, a0
    csrr a1, sstatus                 # sstatus does not show MIE
    andi a1, a1, MSTATUS_MIE
    check a1, 0
    li a0, MSTATUS_SIE | MSTATUS_MIE
    csrs sstatus, a0                 # nor sets it
    csrc mstatus, a0
    csrs sstatus, a0
    csrr a1, mstatus
    andi a1, a1, MSTATUS_SIE | MSTATUS_MIE
    check a1, MSTATUS_SIE
    csrc mstatus, a0
    test_case 30
    csrr a0, sstatus                 # UXL = 2 (64-bit) visible in sstatus
    srli a0, a0, 32
    andi a0, a0, 3
    check a0, 2
    csrr a0, mstatus                 # SXL = UXL = 2
    srli a0, a0, 32
    andi a0, a0, 15
    check a0, 0xa

    # mstatus.TVM = 1: satp and sfence.vma are illegal in S (not in M)
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    test_illegal 31, PRV_S, csrr a0, satp
    test_illegal 32, PRV_S, csrw satp, zero
    test_illegal 33, PRV_S, sfence.vma
    test_illegal 34, PRV_S, sfence.vma a0, a1
    test_case 35
    csrr a0, satp                    # M is not affected
    sfence.vma
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    run_in_mode 36, PRV_S            # with TVM = 0, S may
    csrw satp, zero
    sfence.vma
    run_in_mode_end 36, PRV_S
    test_illegal 37, PRV_U, sfence.vma  # never in U

    # mstatus.TSR = 1: sret is illegal in S
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    test_illegal 38, PRV_S, sret
    li t0, MSTATUS_TSR
    csrc mstatus, t0
    run_in_mode 39, PRV_S            # TSR = 0: sret to S works
    la a0, 1f
    csrw sepc, a0
    li a0, MSTATUS_SPP
    csrs sstatus, a0
    sret
    j rvtest_fail
1:  csrr a1, sstatus                 # sret set SPP to U
    run_in_mode_end 39, PRV_S
    andi a1, a1, MSTATUS_SPP
    check a1, 0

    # mstatus.TW = 1: wfi is illegal in S; wfi is always illegal in U
    li t0, MSTATUS_TW
    csrs mstatus, t0
    test_illegal 40, PRV_S, wfi
    test_illegal 41, PRV_U, wfi
    li t0, MSTATUS_TW
    csrc mstatus, t0
    test_illegal 42, PRV_U, wfi

    # mret from S and U
    test_illegal 43, PRV_S, mret
    test_illegal 44, PRV_U, mret
    test_illegal 45, PRV_U, sret

    # misa: MXL = 2 (64-bit), I M A F D C S U present
    test_case 46
    csrr a0, misa
    srli a1, a0, 62
    check a1, 2
    li a2, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
    and a1, a0, a2
    check_reg a1, a2
    li a2, (1 << 4) | (1 << 6) | (1 << 16)   # not E, G (reserved) or Q
    and a1, a0, a2
    check a1, 0

    # mtvec: MODE 0 (direct) and 1 (vectored) stick; a reserved MODE (2, 3)
    # is never read back
    test_case 47
    la a0, rvtest_mtrap
    ori a1, a0, 1
    csrw mtvec, a1
    csrr a2, mtvec
    check_reg a2, a1
    ori a1, a0, 2
    csrw mtvec, a1
    csrr a2, mtvec
    andi a2, a2, 3
    sltiu a2, a2, 2
    check a2, 1
    ori a1, a0, 3
    csrw mtvec, a1
    csrr a2, mtvec
    andi a2, a2, 3
    sltiu a2, a2, 2
    check a2, 1
    csrw mtvec, a0
    csrr a2, mtvec
    check_reg a2, a0

    # medeleg: the exceptions S-mode can handle are delegable
    test_case 48
    li a0, -1
    csrw medeleg, a0
    csrr a1, medeleg
    csrw medeleg, zero
    li a2, 0xb1ff                    # causes 0-8, 12, 13, 15
    and a3, a1, a2
    check_reg a3, a2

    # mscratch holds all 64 bits, mcause/mtval are writable
    test_case 49
    li a0, 0xfedcba9876543210
    csrw mscratch, a0
    csrr a1, mscratch
    check_reg a1, a0
    csrw mscratch, zero
    csrw mtval, a0
    csrr a1, mtval
    check_reg a1, a0

    # mstatus.MPP is WARL over the supported modes: 0, 1 and 3 stick
    test_case 50
    .irp m, 0, 1, 3
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, \m << 11
    csrs mstatus, t0
    csrr a0, mstatus
    srli a0, a0, 11
    andi a0, a0, 3
    check a0, \m
    .endr

    # ------------------------------------------------------------------
    # The remaining cases are where QEMU 7.2 departs from the ISA; they come
    # last so that QEMU checks everything before them (it stops at the
    # first failure: the first of these).

    # csrrs/csrrc with rs1 != x0 write the CSR even when the register holds
    # 0 (Unprivileged ISA §9.1, Table 9.1), so on a read-only CSR they are
    # illegal. QEMU 7.2 only checks the value.
    li a1, 0
    test_illegal 51, PRV_M, csrrs a0, mhartid, a1
    test_illegal 52, PRV_M, csrrc a0, marchid, a1

    # medeleg bit 11 (ecall from M) is hardwired to zero (Privileged
    # §3.1.8). QEMU 7.2 lets it be set.
    test_case 53
    li a0, 1 << 11
    csrw medeleg, a0
    csrr a1, medeleg
    csrw medeleg, zero
    check a1, 0

    # mepc/sepc bit 0 always reads 0 (IALIGN = 16; Privileged §3.1.14,
    # §4.1.7). QEMU 7.2 keeps the bit.
    test_case 54
    li a0, 0x80001233
    csrw mepc, a0
    csrr a1, mepc
    check a1, 0x80001232
    csrw sepc, a0
    csrr a1, sepc
    check a1, 0x80001232

    # MPP = 2 (reserved) must not read back; pagewalk legalises it to U as
    # Spike does (riscv-isa-sim processor.cc legalize_privilege: PRV_HS ->
    # PRV_U). QEMU 7.2 reads back the 2.
    test_case 55
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, 2 << 11
    csrs mstatus, t0
    csrr a0, mstatus
    srli a0, a0, 11
    andi a0, a0, 3
    check a0, PRV_U

rvtest_code_end
