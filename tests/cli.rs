//! The `pagewalk` command line: exit statuses and one-line errors for bad
//! input (never a panic), and guest exits mapped to the process status.

mod common;

use common::{code, elf64, finisher_exit, rv};
use std::path::PathBuf;
use std::process::{Command, Output};

const DRAM: u64 = 0x8000_0000;

fn pagewalk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pagewalk"))
        .args(args)
        .output()
        .expect("run pagewalk")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pagewalk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Asserts exit status 2 and a single stderr line containing `needle`,
/// with no panic message.
fn assert_user_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(stderr.contains(needle), "expected '{needle}' in: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn missing_file() {
    let out = pagewalk(&["run", "/nonexistent/guest.elf"]);
    assert_user_error(&out, "No such file");
}

#[test]
fn not_an_elf() {
    let p = temp_file("text.elf", b"this is not an executable\n");
    assert_user_error(&pagewalk(&["run", p.to_str().unwrap()]), "not an ELF file");
}

#[test]
fn foreign_machine() {
    // x86-64 (62) instead of RISC-V (243).
    let p = temp_file("x86.elf", &elf64(62, DRAM, &[(DRAM, &code(&[rv::SPIN]))]));
    assert_user_error(&pagewalk(&["run", p.to_str().unwrap()]), "expected RISC-V");
}

#[test]
fn elf32_is_rejected() {
    let mut bytes = elf64(243, DRAM, &[(DRAM, &code(&[rv::SPIN]))]);
    bytes[4] = 1; // ELFCLASS32
    let p = temp_file("elf32.elf", &bytes);
    assert_user_error(&pagewalk(&["run", p.to_str().unwrap()]), "expected ELF64");
}

#[test]
fn truncated_elf() {
    let bytes = elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(0)))]);
    for len in [20, 70, bytes.len() - 4] {
        let p = temp_file(&format!("trunc{len}.elf"), &bytes[..len]);
        let out = pagewalk(&["run", p.to_str().unwrap()]);
        assert_user_error(&out, "truncated or malformed");
    }
}

#[test]
fn segment_outside_dram() {
    // A segment straddling the start of DRAM (an image entirely below DRAM
    // is a user program, for the guest kernel).
    let low = DRAM - 8;
    let spins = code(&[rv::SPIN; 4]);
    let p = temp_file("low.elf", &elf64(243, low, &[(low, &spins)]));
    assert_user_error(&pagewalk(&["run", p.to_str().unwrap()]), "outside DRAM");
    // Fits in 128 MiB but not in 4 MiB.
    let high = DRAM + (8 << 20);
    let p = temp_file("high.elf", &elf64(243, high, &[(high, &code(&[rv::SPIN]))]));
    let out = pagewalk(&["run", "--memory", "4M", p.to_str().unwrap()]);
    assert_user_error(&out, "outside DRAM");
}

#[test]
fn bad_memory_sizes() {
    let p = temp_file(
        "ok.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(0)))]),
    );
    for bad in ["abc", "0", "1000", "12X", "1T", "99999999999999999999G"] {
        let out = pagewalk(&["run", "--memory", bad, p.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--memory {bad}: {stderr}");
        assert!(stderr.contains("--memory"), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = pagewalk(&["run", "--frobnicate", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn finisher_exit_codes_become_the_status() {
    let pass = temp_file(
        "pass.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(0)))]),
    );
    assert_eq!(
        pagewalk(&["run", pass.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let fail = temp_file(
        "fail.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(7)))]),
    );
    assert_eq!(
        pagewalk(&["run", fail.to_str().unwrap()]).status.code(),
        Some(7)
    );
}

#[test]
fn jump_into_nowhere_is_a_trap_loop() {
    // jalr x0, 0(x0): jump to address 0, where there is no memory, with no
    // trap handler (mtvec = 0): instruction access faults forever.
    let p = temp_file(
        "nowhere.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&[rv::jalr(0, 0, 0)]))]),
    );
    let out = pagewalk(&["run", p.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("trap loop"), "{stderr}");
    assert!(stderr.contains("instruction access fault"), "{stderr}");
}

#[test]
fn garbage_is_an_illegal_instruction_then_a_trap_loop() {
    let p = temp_file("garbage.elf", &elf64(243, DRAM, &[(DRAM, &[0xff; 16])]));
    let out = pagewalk(&["run", p.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("trap loop"), "{stderr}");
}

#[test]
fn instruction_limit() {
    let p = temp_file("spin.elf", &elf64(243, DRAM, &[(DRAM, &code(&[rv::SPIN]))]));
    let out = pagewalk(&["run", "--max-instructions", "1000", p.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(124), "{stderr}");
    assert!(
        stderr.contains("instruction limit reached after 1000 instructions"),
        "{stderr}"
    );
}

#[test]
fn wfi_with_nothing_to_wake_it_is_a_deadlock() {
    let p = temp_file(
        "wfi.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&[rv::WFI, rv::SPIN]))]),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_pagewalk"))
        .args(["run", p.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("deadlock"), "{stderr}");
}

#[test]
fn trace_is_in_spike_commit_log_format() {
    let p = temp_file(
        "trace.elf",
        &elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(0)))]),
    );
    let log = std::env::temp_dir().join(format!("pagewalk-trace-{}.log", std::process::id()));
    let out = pagewalk(&["run", "--trace", log.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // lui t0, 0x100 ; lui t1, 5 ; addi t1, t1, 0x555 ; sw t1, 0(t0)
    assert_eq!(
        lines[0],
        "core   0: 3 0x0000000080000000 (0x001002b7) x5  0x0000000000100000"
    );
    assert_eq!(
        lines[1],
        "core   0: 3 0x0000000080000004 (0x00005337) x6  0x0000000000005000"
    );
    assert_eq!(
        lines[2],
        "core   0: 3 0x0000000080000008 (0x55530313) x6  0x0000000000005555"
    );
    assert_eq!(
        lines[3],
        "core   0: 3 0x000000008000000c (0x0062a023) mem 0x0000000000100000 0x00005555"
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn riscv_tests_runner_reports_and_fails() {
    let dir = std::env::temp_dir().join(format!("pagewalk-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("good"),
        elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(0)))]),
    )
    .unwrap();
    std::fs::write(
        dir.join("bad"),
        elf64(243, DRAM, &[(DRAM, &code(&finisher_exit(3)))]),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a test").unwrap();
    let out = pagewalk(&["riscv-tests", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("bad") && lines[0].contains("FAIL"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("good") && lines[1].contains("PASS"),
        "{stdout}"
    );
    assert_eq!(lines[2], "1 passed, 1 failed");
}

#[test]
fn trace_orders_items_like_spike() {
    use rv::*;
    // csrs mstatus, t0 (FS = Dirty); csrwi fcsr, 1; fmv.w.x ft0, t0; then exit.
    let csrs_mstatus_t0 = 0x3002_a073;
    let csrwi_fcsr_1 = 0x0030_d073;
    let fmv_w_x_ft0_t0 = 0xf002_8053;
    let mut words = vec![lui(5, 0x6), csrs_mstatus_t0, csrwi_fcsr_1, fmv_w_x_ft0_t0];
    words.extend(finisher_exit(0));
    let p = temp_file("trace2.elf", &elf64(243, DRAM, &[(DRAM, &code(&words))]));
    let log = std::env::temp_dir().join(format!("pagewalk-trace2-{}.log", std::process::id()));
    let out = pagewalk(&["run", "--trace", log.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The CSR write reads back the legalised value with SD set.
    assert_eq!(
        lines[1],
        "core   0: 3 0x0000000080000004 (0x3002a073) c768_mstatus 0x8000000a00006000"
    );
    // fcsr is logged as its two fields, in key order.
    assert_eq!(
        lines[2],
        "core   0: 3 0x0000000080000008 (0x0030d073) c1_fflags 0x0000000000000001 c2_frm 0x0000000000000000"
    );
    // A single is NaN-boxed in the 64-bit f register.
    assert_eq!(
        lines[3],
        "core   0: 3 0x000000008000000c (0xf0028053) f0  0xffffffff00006000"
    );
}

#[test]
fn builtin_programs_run_by_name() {
    let out = pagewalk(&["run", "hello-baremetal"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Hello from pagewalk"));
    // An unknown name is still a missing file.
    assert_user_error(&pagewalk(&["run", "no-such-program"]), "No such file");
}

#[test]
fn mtime_read_over_mmio_matches_virtual_time() {
    use rv::*;
    // Spin 1000 instructions, then read CLINT mtime (0x200bff8) and exit with
    // it as the finisher code: 1000+ instructions at 100 cycles per tick.
    let ld_mtime = |rd: u32, rs1: u32, imm: i32| -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x03
    };
    let bne = 0xfe02_9ee3u32; // bne t0, zero, -4 (after an addi t0,t0,-1 at -4)
    let mut words = vec![
        addi(5, 0, 500),    // t0 = 500
        addi(5, 5, -1),     // loop: t0 -= 1
        bne,                // bnez t0, loop
        lui(6, 0x200c),     // t1 = 0x200c000
        ld_mtime(7, 6, -8), // t2 = mtime (0x200bff8)
        lui(5, 0x100),      // t0 = finisher
        // value = (t2 << 16) | 0x3333
        0x0103_9393, // slli t2, t2, 16
        lui(28, 3),  // t3 = 0x3000
        addi(28, 28, 0x333),
        0x01c3_e3b3, // or t2, t2, t3
        sw(7, 5, 0),
        SPIN,
    ];
    words.truncate(12);
    let p = temp_file("mtime.elf", &elf64(243, DRAM, &[(DRAM, &code(&words))]));
    let out = pagewalk(&["run", p.to_str().unwrap()]);
    // 1 + 2*500 + 2 = 1003 instructions before the load: 10 whole ticks.
    assert_eq!(out.status.code(), Some(10));
}

#[test]
fn memory_the_host_cannot_provide_is_a_clean_error() {
    // 64 GiB is accepted by the parser but more than a test machine can
    // allocate (24 GiB here); it must fail with a message, not abort.
    let out = pagewalk(&["run", "--memory", "64G", "hello-baremetal"]);
    if out.status.code() == Some(0) {
        eprintln!("skipped: this host could allocate 64 GiB");
        return;
    }
    assert_user_error(&out, "cannot allocate 68719476736 bytes of guest memory");
}

#[test]
fn bare_metal_programs_take_no_arguments() {
    assert_user_error(
        &pagewalk(&["run", "hello-baremetal", "x"]),
        "a bare-metal program takes no arguments",
    );
}

#[test]
fn user_programs_boot_the_kernel_with_a_root_disk() {
    // A user program file runs under --kernel; a bare-metal program that
    // ignores its disks stands in for the kernel, so this checks the host
    // side alone: the kernel image is booted and the root image attached.
    let (name, user_elf) = pagewalk::guest::USER_PROGRAMS[0];
    let prog = temp_file(&format!("user-{name}"), user_elf);
    let kernel = temp_file("kernel.elf", pagewalk::guest::BAREMETAL_HELLO);
    let json = std::env::temp_dir().join(format!("pagewalk-user-{}.json", std::process::id()));
    let out = pagewalk(&[
        "run",
        "--kernel",
        kernel.to_str().unwrap(),
        "--stats-json",
        json.to_str().unwrap(),
        prog.to_str().unwrap(),
        "arg1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Hello from pagewalk"));
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let disk = &stats["disks"][0];
    assert!(
        disk["path"].as_str().unwrap().starts_with("(root image"),
        "{disk}"
    );
    // A missing --kernel file is a clean error.
    let out = pagewalk(&[
        "run",
        "--kernel",
        "/nonexistent/kernel",
        prog.to_str().unwrap(),
    ]);
    assert_user_error(&out, "--kernel /nonexistent/kernel");
}

#[test]
fn user_program_arguments_may_start_with_a_dash() {
    // `---` is init's separator and `-x` is the program's: both reach the
    // guest, while pagewalk's own --memory is still recognised.
    let out = pagewalk(&["run", "hello", "--memory", "16M", "-x", "---"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("argv[1] = -x\nargv[2] = ---\n"), "{stdout}");
}
