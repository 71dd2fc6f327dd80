# The HTIF syscall proxy (Spike's fesvr, as riscv-tests' benchmarks use it
# for printf): magic_mem = {SYS_write = 64, fd, buf, len}; tohost = its
# address; the host writes the bytes to the console, puts the result in
# magic_mem[0] and sets fromhost. tests/isa.rs checks the console output.
# QEMU has no HTIF, so the finisher build skips the proxy calls.

    .pushsection .data
    .balign 64
htif_magic:
    .zero 64
htif_msg:
    .ascii "htif: hello through the fesvr write proxy\n"
    .equ htif_msg_len, . - htif_msg
    .popsection

rvtest_code_begin
.ifndef RVTEST_FINISHER
    test_case 2
    la a0, htif_msg
    li a1, htif_msg_len
    call htif_write
    check a0, htif_msg_len              # result: bytes written
    test_case 3
    la t0, fromhost
    ld t1, 0(t0)
    check t1, 0                         # the guest cleared it after the call
    test_case 4
    # An unsupported syscall returns -ENOSYS.
    la t0, htif_magic
    li t1, 12345
    sd t1, 0(t0)
    call htif_call
    check a0, -38
.endif
rvtest_code_end

# a0 = buffer, a1 = length; returns the proxy's result in a0.
htif_write:
    la t0, htif_magic
    li t1, 64                           # SYS_write
    sd t1, 0(t0)
    li t1, 1                            # fd 1
    sd t1, 8(t0)
    sd a0, 16(t0)
    sd a1, 24(t0)
# Send htif_magic to the host and wait for the answer.
htif_call:
    la t0, htif_magic
    fence
    la t1, tohost
    sd t0, 0(t1)
    la t1, fromhost
1:  ld t2, 0(t1)
    beqz t2, 1b
    sd zero, 0(t1)
    fence
    ld a0, 0(t0)
    ret

