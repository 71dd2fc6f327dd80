# Floating-point state control (Privileged ISA 20211203 §3.1.6.6; Unprivileged
# ISA 20191213 §11.2): with mstatus.FS = Off every F/D instruction and every
# access to fflags/frm/fcsr is an illegal instruction (mtval = the bits);
# writing FP state sets FS to Dirty and mstatus.SD; reserved rounding modes
# (static rm 5/6, or frm 5/6/7 with rm = dyn) are illegal instructions.

# Illegal 16-bit instruction (C extension): tval = the 16 bits.
.macro trap_end_cinsn n
    trap_end_common \n, CAUSE_ILLEGAL_INSTRUCTION, PRV_M
    ld t0, REC_TVAL(t1)
    la t2, .Ltrap_epc_\n
    lhu t2, 0(t2)
    check_reg t0, t2
.endm

# Check mstatus.FS == fs and mstatus.SD == (fs == Dirty), also via sstatus.
.macro check_fs fs
    csrr a4, mstatus
    li t0, MSTATUS_FS
    and a5, a4, t0
    check a5, (\fs) << 13
    srli a5, a4, 63
    check_sd \fs
    csrr a4, sstatus
    and a5, a4, t0
    check a5, (\fs) << 13
    srli a5, a4, 63
    check_sd \fs
.endm
.macro check_sd fs
.if (\fs) == 3
    check a5, 1
.else
    check a5, 0
.endif
.endm

rvtest_code_begin

    la s0, fp_data

    # FS = Off: mstatus.SD = 0, every FP instruction and FP CSR is illegal
    set_fs 0
    test_case 2
    check_fs 0

    test_illegal  3, PRV_M, flw fa0, 0(s0)
    test_illegal  4, PRV_M, fsw fa0, 0(s0)
    test_illegal  5, PRV_M, fld fa0, 0(s0)
    test_illegal  6, PRV_M, fsd fa0, 0(s0)
    test_illegal  7, PRV_M, fadd.s fa0, fa1, fa2
    test_illegal  8, PRV_M, fsub.d fa0, fa1, fa2, rtz
    test_illegal  9, PRV_M, fmul.s fa0, fa1, fa2
    test_illegal 10, PRV_M, fdiv.d fa0, fa1, fa2
    test_illegal 11, PRV_M, fsqrt.s fa0, fa1
    test_illegal 12, PRV_M, fmadd.d fa0, fa1, fa2, fa3
    test_illegal 13, PRV_M, fnmsub.s fa0, fa1, fa2, fa3
    test_illegal 14, PRV_M, fsgnj.d fa0, fa1, fa2
    test_illegal 15, PRV_M, fmin.s fa0, fa1, fa2
    test_illegal 16, PRV_M, fmax.d fa0, fa1, fa2
    test_illegal 17, PRV_M, feq.s a0, fa1, fa2
    test_illegal 18, PRV_M, flt.d a0, fa1, fa2
    test_illegal 19, PRV_M, fclass.s a0, fa1
    test_illegal 20, PRV_M, fcvt.w.s a0, fa1
    test_illegal 21, PRV_M, fcvt.lu.d a0, fa1
    test_illegal 22, PRV_M, fcvt.s.l fa0, a1
    test_illegal 23, PRV_M, fcvt.d.wu fa0, a1
    test_illegal 24, PRV_M, fcvt.s.d fa0, fa1
    test_illegal 25, PRV_M, fcvt.d.s fa0, fa1
    test_illegal 26, PRV_M, fmv.x.w a0, fa1
    test_illegal 27, PRV_M, fmv.w.x fa0, a1
    test_illegal 28, PRV_M, fmv.x.d a0, fa1
    test_illegal 29, PRV_M, fmv.d.x fa0, a1
    test_illegal 30, PRV_M, csrr a0, fflags
    test_illegal 31, PRV_M, csrr a0, frm
    test_illegal 32, PRV_M, csrr a0, fcsr
    test_illegal 33, PRV_M, csrwi fflags, 0
    test_illegal 34, PRV_M, csrw frm, zero
    test_illegal 35, PRV_M, csrs fcsr, a1
    test_illegal 36, PRV_M, frflags a0
    test_illegal 37, PRV_S, fadd.d fa0, fa1, fa2
    test_illegal 38, PRV_S, csrr a0, fcsr
    test_illegal 39, PRV_U, fmv.d.x fa0, a1
    test_illegal 40, PRV_U, fsflags a0, a1

    # compressed FP loads/stores: tval = the 16-bit encoding
    trap_begin 41, PRV_M
    .option push
    .option rvc
    c.fld fa0, 0(s0)
    .option pop
    trap_end_cinsn 41
    trap_begin 42, PRV_M
    .option push
    .option rvc
    c.fsd fa0, 8(s0)
    .option pop
    trap_end_cinsn 42
    trap_begin 43, PRV_M
    .option push
    .option rvc
    c.fldsp fa0, 0(sp)
    .option pop
    trap_end_cinsn 43
    trap_begin 44, PRV_M
    .option push
    .option rvc
    c.fsdsp fa0, 0(sp)
    .option pop
    trap_end_cinsn 44

    # the traps left FS alone; integer code still runs
    test_case 45
    check_fs 0

    # Initial -> Dirty by an FP register write; SD follows FS == Dirty
    set_fs 1
    test_case 46
    check_fs 1
    li a1, 0x3f800000
    fmv.w.x fa0, a1
    check_fs 3

    # Clean -> Dirty by an FP arithmetic result
    set_fs 2
    test_case 47
    check_fs 2
    fadd.s fa1, fa0, fa0
    check_fs 3
    fmv.x.w a1, fa1
    check a1, 0x40000000

    # Clean -> Dirty by a load into an FP register
    set_fs 2
    test_case 48
    fld fa2, 0(s0)
    check_fs 3

    # Clean -> Dirty by writes of fflags, frm, fcsr
    set_fs 2
    test_case 49
    csrwi fflags, 0
    check_fs 3
    set_fs 2
    test_case 50
    csrwi frm, 0
    check_fs 3
    set_fs 1
    test_case 51
    csrw fcsr, zero
    check_fs 3

    # S-mode sees and changes FS through sstatus; an FP write in S dirties it
    set_fs 1
    run_in_mode 52, PRV_S
    csrr a3, sstatus
    li a1, 0x40400000
    fmv.w.x fa0, a1
    csrr a4, sstatus
    run_in_mode_end 52, PRV_S
    li t0, MSTATUS_FS
    and a3, a3, t0
    check a3, 1 << 13
    srli a4, a4, 63
    check a4, 1
    check_fs 3

    run_in_mode 53, PRV_S
    li a1, MSTATUS_FS
    csrc sstatus, a1                # S turns the FPU off
    run_in_mode_end 53, PRV_S
    check_fs 0
    test_illegal 54, PRV_U, fmv.x.w a0, fa0
    set_fs 3

    # frm reserved values 5, 6, 7: dynamic-rm instructions are illegal,
    # instructions without a rounding mode still execute (§11.2)
    csrwi frm, 5
    test_case 55
    csrr a1, frm                    # frm is 3 bits: 5 reads back
    check a1, 5
    test_illegal 56, PRV_M, fadd.s fa0, fa1, fa2
    test_illegal 57, PRV_M, fmadd.d fa0, fa1, fa2, fa3
    test_illegal 58, PRV_M, fcvt.w.s a0, fa1
    test_illegal 59, PRV_M, fsqrt.d fa0, fa1
    test_illegal 60, PRV_S, fcvt.s.l fa0, a1
    csrwi frm, 6
    test_illegal 61, PRV_M, fdiv.s fa0, fa1, fa2
    test_illegal 62, PRV_U, fmsub.s fa0, fa1, fa2, fa3
    csrwi frm, 7
    test_illegal 63, PRV_M, fmul.d fa0, fa1, fa2
    test_illegal 64, PRV_M, fcvt.lu.d a0, fa1
    # a static rm is fine with a reserved frm
    test_case 65
    li a1, 0x3f800000
    fmv.w.x fa1, a1
    fadd.s fa0, fa1, fa1, rne
    fmv.x.w a2, fa0
    check a2, 0x40000000
    # no-rm instructions are fine too
    fsgnjn.s fa0, fa1, fa1
    fmv.x.w a2, fa0
    check a2, 0xffffffffbf800000
    feq.s a2, fa1, fa1
    check a2, 1
    fmin.s fa0, fa1, fa0
    fmv.x.w a2, fa0
    check a2, 0xffffffffbf800000
    csrwi frm, 0

    # static rm = 5 or 6 in the instruction is reserved: illegal
    test_illegal 66, PRV_M, .word 0x00b556d3        # fadd.s fa3, fa0, fa1, rm=5
    test_illegal 67, PRV_M, .word 0x00b566d3        # fadd.s fa3, fa0, fa1, rm=6
    test_illegal 68, PRV_M, .word 0x02b556d3        # fadd.d fa3, fa0, fa1, rm=5
    test_illegal 69, PRV_M, .word 0x580566d3        # fsqrt.s fa3, fa0, rm=6
    test_illegal 70, PRV_M, .word 0xc0055753        # fcvt.w.s a4, fa0, rm=5
    test_illegal 71, PRV_M, .word 0x60b556c3        # fmadd.s fa3, fa0, fa1, fa2, rm=5
    test_illegal 72, PRV_S, .word 0xd005e6d3        # fcvt.s.w fa3, a1, rm=6

    # fcsr: frm in bits 7:5, fflags in 4:0, both views agree
    test_case 73
    li a1, (4 << 5) | FF_OF | FF_NX
    csrw fcsr, a1
    csrr a2, frm
    check a2, 4
    csrr a2, fflags
    check a2, FF_OF | FF_NX
    csrwi frm, 1
    csrr a2, fcsr
    check a2, (1 << 5) | FF_OF | FF_NX
    csrwi fcsr, 0

    # Initial -> Dirty by an instruction that only raises a flag: fflags is FP
    # state (§3.1.6.6). Last case: QEMU 7.2 leaves FS unchanged here.
    set_fs 1
    test_case 74
    csrwi fflags, 0
    set_fs 1
    li a1, 0x7f800001               # signalling NaN
    fmv.w.x fa0, a1
    set_fs 1
    feq.s a2, fa0, fa0              # writes only fflags (NV)
    check a2, 0
    check_fs 3
    csrr a2, fflags
    check a2, FF_NV
    csrwi fflags, 0

rvtest_code_end

    .data
    .align 3
fp_data:
    .dword 0x4000000000000000, 0
