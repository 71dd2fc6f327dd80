# ------------------------------------------------------------------------
# Interrupt test helpers. tests/isa/irq_*.S and wfi.S each carry an
# identical copy of this block (build.rs assembles every test as macros.S +
# the test alone, so it cannot be shared without touching macros.S).
#
# irq_mtrap / irq_strap log every interrupt into irq_log (one IRQ_LOG_SIZE
# entry: cause, epc, status (mstatus / sstatus at handler entry), aux = mtime
# read at handler entry), clear the interrupt's enable bit (mie / sie) so the
# handler returns with mret / sret to the interrupted instruction without
# re-taking it, and hand exceptions to the library handlers (trap_begin,
# run_in_mode keep working). s11 is the log pointer (owned by the handlers);
# t5, t6 are clobbered on every trap, as with the library handlers.

.equ IRQ_CLINT_MSIP,     0x02000000
.equ IRQ_CLINT_MTIMECMP, 0x02004000
.equ IRQ_CLINT_MTIME,    0x0200bff8

.equ IRQ_PLIC_PRIORITY,  0x0c000000     # + 4 * source
.equ IRQ_PLIC_PENDING,   0x0c001000
.equ IRQ_PLIC_ENABLE0,   0x0c002000     # context 0: hart 0 M-mode
.equ IRQ_PLIC_ENABLE1,   0x0c002080     # context 1: hart 0 S-mode
.equ IRQ_PLIC_THRESHOLD0, 0x0c200000
.equ IRQ_PLIC_CLAIM0,    0x0c200004
.equ IRQ_PLIC_THRESHOLD1, 0x0c201000
.equ IRQ_PLIC_CLAIM1,    0x0c201004
.equ IRQ_UART,           0x10000000     # RBR/THR +0, IER +1, IIR +2, LSR +5
.equ IRQ_UART_SOURCE,    10

.equ IRQ_SSIP, 1 << 1
.equ IRQ_MSIP, 1 << 3
.equ IRQ_STIP, 1 << 5
.equ IRQ_MTIP, 1 << 7
.equ IRQ_SEIP, 1 << 9
.equ IRQ_MEIP, 1 << 11
.equ IRQ_ALL, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP

.equ IRQ_INT, 0x8000000000000000
.equ IRQ_CAUSE_SSI, IRQ_INT | 1
.equ IRQ_CAUSE_MSI, IRQ_INT | 3
.equ IRQ_CAUSE_STI, IRQ_INT | 5
.equ IRQ_CAUSE_MTI, IRQ_INT | 7
.equ IRQ_CAUSE_SEI, IRQ_INT | 9
.equ IRQ_CAUSE_MEI, IRQ_INT | 11

.equ IRQ_MSTATUS_SPIE, 1 << 5
.equ IRQ_MSTATUS_MPIE, 1 << 7
.equ IRQ_MSTATUS_TW,   1 << 21
.equ IRQ_MENVCFG_STCE, 1 << 63

.equ IRQ_LOG_CAUSE,  0
.equ IRQ_LOG_EPC,    8
.equ IRQ_LOG_STATUS, 16
.equ IRQ_LOG_AUX,    24
.equ IRQ_LOG_SIZE,   32
.equ IRQ_LOG_ENTRIES, 16

# Quiet interrupt state: nothing enabled, delegated or software-pending,
# CLINT msip = 0, mtimecmp = -1, the logging handlers installed, empty log.
# Clobbers t0, t1.
.macro irq_reset
    csrw mie, zero
    csrw mideleg, zero
    li t0, MSTATUS_MIE | MSTATUS_SIE | IRQ_MSTATUS_MPIE | IRQ_MSTATUS_SPIE | IRQ_MSTATUS_TW
    csrc mstatus, t0
    csrw mip, zero
    li t0, IRQ_CLINT_MSIP
    sw zero, 0(t0)
    li t0, IRQ_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    la t0, irq_mtrap
    csrw mtvec, t0
    la t0, irq_strap
    csrw stvec, t0
    la s11, irq_log
.endm

# Fail unless the log holds exactly n entries.
.macro irq_check_count n
    la t0, irq_log
    sub t0, s11, t0
    check t0, (\n) * IRQ_LOG_SIZE
.endm

# Fail unless log entry i has this cause.
.macro irq_check_cause i, cause
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_CAUSE(t0)
    check t0, \cause
.endm

# Fail unless log entry i interrupted the instruction at label.
.macro irq_check_epc i, label
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_EPC(t0)
    check_addr t0, \label
.endm

# Fail unless log entry i was handled in M and came from privilege mode
# (mstatus.MPP at handler entry).
.macro irq_check_mpp i, mode
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_STATUS(t0)
    srli t0, t0, 11
    andi t0, t0, 3
    check t0, \mode
.endm

# Same for an S-handled entry (sstatus.SPP: 1 = S, 0 = U).
.macro irq_check_spp i, spp
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_STATUS(t0)
    srli t0, t0, 8
    andi t0, t0, 1
    check t0, \spp
.endm

# Fail unless (reg & mask) == val.
.macro irq_check_bits reg, mask, val
    li t0, \mask
    and t0, \reg, t0
    check t0, \val
.endm

# Fail unless reg1 >= reg2 (unsigned).
.macro irq_check_geu reg1, reg2
    bgeu \reg1, \reg2, .Lirq_geu_ok\@
    j rvtest_fail
.Lirq_geu_ok\@:
.endm

# Fail unless log entry i interrupted an instruction in [lo, hi] (labels):
# for interrupts whose arrival depends on the host's clock (QEMU).
.macro irq_check_epc_range i, lo, hi
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_EPC(t0)
    la t2, \lo
    bgeu t0, t2, .Lirq_lo_ok\@
    j rvtest_fail
.Lirq_lo_ok\@:
    la t2, \hi
    bgeu t2, t0, .Lirq_hi_ok\@
    j rvtest_fail
.Lirq_hi_ok\@:
.endm

# Fail unless log entry i recorded mtime >= reg (not taken too early).
.macro irq_check_aux_geu i, reg
    la t0, irq_log
    ld t0, (\i) * IRQ_LOG_SIZE + IRQ_LOG_AUX(t0)
    irq_check_geu t0, \reg
.endm

# reg = number of log entries.
.macro irq_log_count reg
    la \reg, irq_log
    sub \reg, s11, \reg
    srli \reg, \reg, 5
.endm

# WFI until the log holds n entries (WFI may wake early; the loop makes
# that harmless). Clobbers t0.
.macro irq_wait_count n
.Lirq_wait\@:
    la t0, irq_log
    sub t0, s11, t0
    addi t0, t0, -(\n) * IRQ_LOG_SIZE
    beqz t0, .Lirq_wait_done\@
    wfi
    j .Lirq_wait\@
.Lirq_wait_done\@:
.endm

# reg = CLINT mtime.
.macro irq_read_mtime reg
    li \reg, IRQ_CLINT_MTIME
    ld \reg, 0(\reg)
.endm

# CLINT mtimecmp = reg. Clobbers t0.
.macro irq_set_mtimecmp reg
    li t0, IRQ_CLINT_MTIMECMP
    sd \reg, 0(t0)
.endm

# Wait (bounded) until mip bit `bit` (1 = SSIP ... 11 = MEIP) is set; fail the test case after `limit`
# polls. Clobbers t0, t1.
.macro irq_poll_mip bit, limit=100000
    li t1, \limit
.Lpoll\@:
    csrr t0, mip
    srli t0, t0, \bit
    andi t0, t0, 1
    bnez t0, .Lpoll_done\@
    addi t1, t1, -1
    bnez t1, .Lpoll\@
    j rvtest_fail
.Lpoll_done\@:
.endm

# The handlers and the log; place after rvtest_code_end.
.macro irq_handlers
    .align 2
irq_mtrap:
    csrr t5, mcause
    bltz t5, 1f
    j rvtest_mtrap                  # exception: the library's handler
1:  la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail                   # log full: an interrupt storm
2:  sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, mepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, mstatus
    sd t6, IRQ_LOG_STATUS(s11)
    li t6, IRQ_CLINT_MTIME
    ld t6, 0(t6)
    sd t6, IRQ_LOG_AUX(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5                  # 1 << (cause & 63)
    csrc mie, t6
    mret

    .align 2
irq_strap:
    csrr t5, scause
    bltz t5, 1f
    j rvtest_strap
1:  la t6, irq_log_end
    bltu s11, t6, 2f
    j rvtest_fail
2:  sd t5, IRQ_LOG_CAUSE(s11)
    csrr t6, sepc
    sd t6, IRQ_LOG_EPC(s11)
    csrr t6, sstatus
    sd t6, IRQ_LOG_STATUS(s11)
    li t6, IRQ_CLINT_MTIME
    ld t6, 0(t6)
    sd t6, IRQ_LOG_AUX(s11)
    addi s11, s11, IRQ_LOG_SIZE
    li t6, 1
    sll t6, t6, t5
    csrc sie, t6
    sret

    .pushsection .data, "aw", @progbits
    .align 3
irq_log: .zero IRQ_LOG_ENTRIES * IRQ_LOG_SIZE
irq_log_end:
    .popsection
.endm
# ------------------------------------------------------------------------
# Software interrupts (Privileged ISA 20211203 §3.1.9 mip/mie, §4.1.3
# sip/sie; ACLINT MSWI): MSIP through the CLINT msip register (cause 3),
# SSIP written through mip / sip (cause 1), delegated and not, and the
# sip/sie views of mip/mie (only delegated bits visible).

rvtest_code_begin
    irq_reset

    # ---- MSIP through the CLINT ---------------------------------------
    # msip = 1 raises mip.MSIP; with MSIE = 1 and MIE = 0 nothing is taken
    test_case 2
    li t0, IRQ_MSIP
    csrs mie, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    lw a0, 0(a1)
    check a0, 1
    li a0, 100
1:  addi a0, a0, -1
    bnez a0, 1b
    irq_check_count 0
    # setting MIE takes it at once: mcause 3, mepc = the next instruction
    test_case 3
    csrsi mstatus, MSTATUS_MIE
irq_t3_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MSI
    irq_check_epc 0, irq_t3_epc
    irq_check_mpp 0, PRV_M
    # still pending until software clears msip
    test_case 4
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, IRQ_MSIP
    li a1, IRQ_CLINT_MSIP
    sw zero, 0(a1)
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0
    lw a0, 0(a1)
    check a0, 0
    # only bit 0 of msip is implemented
    test_case 5
    li a0, -2
    sw a0, 0(a1)
    lw a0, 0(a1)
    check a0, 0
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0
    # mip.MSIP is read-only: a CSR write does not set it
    test_case 6
    li t0, IRQ_MSIP
    csrs mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_MSIP, 0

    # MSI from U-mode with MIE = 0: taken at the first U instruction
    irq_reset
    li t0, IRQ_MSIP
    csrs mie, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    li a0, 6
    run_in_mode 7, PRV_U
irq_t7_u:
    addi a0, a0, 1
    run_in_mode_end 7, PRV_U
    check a0, 7
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_MSI
    irq_check_epc 0, irq_t7_u
    irq_check_mpp 0, PRV_U
    irq_reset

    # ---- SSIP ------------------------------------------------------------
    # not delegated: M sets mip.SSIP, taken in M (cause 1) once MIE is set
    test_case 8
    li t0, IRQ_SSIP
    csrs mie, t0
    csrs mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, IRQ_SSIP
    irq_check_count 0
    csrsi mstatus, MSTATUS_MIE
irq_t8_epc:
    csrci mstatus, MSTATUS_MIE
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SSI
    irq_check_epc 0, irq_t8_epc
    irq_check_mpp 0, PRV_M
    test_case 9
    li t0, IRQ_SSIP
    csrc mip, t0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, 0
    # not delegated, S cannot see or set it through sip
    li t0, IRQ_SSIP
    csrs mie, t0
    run_in_mode 10, PRV_S
    csrr a2, sip
    csrr a3, sie
    li t0, IRQ_SSIP
    csrs sip, t0
    run_in_mode_end 10, PRV_S
    check a2, 0
    check a3, 0
    csrr a0, mip
    irq_check_bits a0, IRQ_SSIP, 0
    irq_check_count 1
    csrw mie, zero

    # delegated: S sets sip.SSIP with SIE = 1 and takes it at once in S
    # (scause 1, sepc = the next instruction, SPP = S)
    irq_reset
    li t0, IRQ_SSIP
    csrw mideleg, t0
    li a1, IRQ_SSIP
    run_in_mode 11, PRV_S
    csrs sie, a1
    csrr a2, sie
    csrsi sstatus, MSTATUS_SIE
    csrs sip, a1
irq_t11_epc:
    csrr a3, sip
    csrc sip, a1
    csrr a4, sip
    csrci sstatus, MSTATUS_SIE
    run_in_mode_end 11, PRV_S
    check a2, IRQ_SSIP
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SSI
    irq_check_epc 0, irq_t11_epc
    irq_check_spp 0, 1
    test_case 12
    check a3, IRQ_SSIP                # pending until cleared (S cleared SSIE)
    check a4, 0
    csrr a0, mie
    check a0, 0                       # the handler cleared sie.SSIE = mie.SSIE

    # delegated SSI pending in M-mode with MIE and SIE set: not taken in M;
    # S-mode with SIE = 0: not taken; U-mode: taken in S, SPP = U
    test_case 13
    li t0, IRQ_SSIP
    csrs mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    nop
    csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
    irq_check_count 1
    run_in_mode 14, PRV_S
    nop
    run_in_mode_end 14, PRV_S
    irq_check_count 1
    run_in_mode 15, PRV_U
irq_t15_u:
    nop
    run_in_mode_end 15, PRV_U
    irq_check_count 2
    irq_check_cause 1, IRQ_CAUSE_SSI
    irq_check_epc 1, irq_t15_u
    irq_check_spp 1, 0
    csrw mip, zero

    # ---- sip / sie views ------------------------------------------------
    # mideleg = STI only: sie shows only STIE, sip only STIP
    test_case 16
    irq_reset
    li t0, IRQ_STIP
    csrw mideleg, t0
    li t0, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP
    csrw mie, t0
    csrr a0, mie
    check a0, IRQ_SSIP | IRQ_MSIP | IRQ_STIP | IRQ_MTIP | IRQ_SEIP | IRQ_MEIP
    csrr a0, sie
    check a0, IRQ_STIP
    li t0, IRQ_SSIP | IRQ_STIP
    csrw mip, t0
    li a1, IRQ_CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    irq_poll_mip 3
    csrr a0, sip
    check a0, IRQ_STIP
    test_case 17
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrw mideleg, t0
    csrr a0, mideleg                  # (QEMU has H: VS bits read-only 1)
    irq_check_bits a0, IRQ_ALL, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrr a0, sie
    check a0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrr a0, sip
    check a0, IRQ_SSIP | IRQ_STIP
    li a1, IRQ_CLINT_MSIP
    sw zero, 0(a1)
    # sie writes change only delegated bits of mie
    test_case 18
    li t0, IRQ_STIP
    csrw mideleg, t0
    csrw mie, zero
    li t0, -1
    csrw sie, t0
    csrr a0, mie
    check a0, IRQ_STIP
    li t0, IRQ_MTIP | IRQ_SSIP
    csrw mie, t0
    csrw sie, zero
    csrr a0, mie
    check a0, IRQ_MTIP | IRQ_SSIP
    # sip writes change only SSIP, and only when delegated
    test_case 19
    csrw mie, zero
    csrw mip, zero
    li t0, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    csrw mideleg, t0
    li t0, -1
    csrw sip, t0
    csrr a0, mip
    check a0, IRQ_SSIP
    csrw sip, zero
    csrr a0, mip
    check a0, 0
    # mideleg holds only the S-level interrupts of the six
    test_case 20
    li t0, -1
    csrw mideleg, t0
    csrr a0, mideleg
    irq_check_bits a0, IRQ_ALL, IRQ_SSIP | IRQ_STIP | IRQ_SEIP
    irq_reset

    # mip.SEIP is writable by M-mode software (§3.1.9), visible in sip when
    # delegated, and taken as an S external interrupt
    test_case 21
    li t0, IRQ_SEIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    csrr a0, mip
    check a0, IRQ_SEIP
    csrr a0, sip
    check a0, IRQ_SEIP
    run_in_mode 22, PRV_U
irq_t22_u:
    nop
    run_in_mode_end 22, PRV_U
    irq_check_count 1
    irq_check_cause 0, IRQ_CAUSE_SEI
    irq_check_epc 0, irq_t22_u
    test_case 23
    li t0, IRQ_SEIP
    csrc mip, t0
    csrr a0, mip
    check a0, 0
    irq_reset

rvtest_code_end
    irq_handlers
