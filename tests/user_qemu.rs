//! The user programs (guest-os/user/, `pagewalk::guest::USER_PROGRAMS`) on
//! real Linux semantics: each runs under `qemu-riscv64` (qemu-user), which
//! executes static riscv64 Linux ELFs on the host. This checks the user
//! runtime (toolchain/user-rt) and the programs before our own kernel runs
//! them. Without `qemu-riscv64` every test says it skipped.
//!
//! qemu-user notes: a guest killed by a signal makes qemu kill itself with
//! the same signal, so the host sees the signal; the guest's `execve` is the
//! host's, so `init` gets small shell scripts that start qemu-riscv64 on
//! each program; free/vmstat/ps read the host's /proc.

use pagewalk::guest::USER_PROGRAMS;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const QEMU: &str = "qemu-riscv64";

fn available() -> bool {
    let ok = Command::new(QEMU)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: qemu-riscv64 not installed");
    }
    ok
}

/// A directory holding every user program as an executable ELF `<name>`,
/// plus `<name>.sh` wrappers that run it under qemu-riscv64 (for init's
/// execve), in cargo's per-target temporary directory (one per test process).
fn programs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("user_qemu-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, elf) in USER_PROGRAMS {
            let path = dir.join(name);
            std::fs::write(&path, elf).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            let sh = dir.join(format!("{name}.sh"));
            std::fs::write(
                &sh,
                format!("#!/bin/sh\nexec {QEMU} {} \"$@\"\n", path.display()),
            )
            .unwrap();
            std::fs::set_permissions(&sh, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        dir
    })
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Run user program `name` with `args` under qemu-riscv64 (20 s limit).
fn run(name: &str, args: &[&str]) -> Run {
    let path = programs().join(name);
    let out_path = programs().join(format!("{name}-{}.out", unique()));
    let err_path = out_path.with_extension("err");
    let mut child = Command::new(QEMU)
        .arg(&path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("spawn qemu-riscv64");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name} {args:?}: timed out");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |p: &Path| {
        let s = std::fs::read_to_string(p).unwrap_or_default();
        let _ = std::fs::remove_file(p);
        s
    };
    let r = Run {
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    eprintln!(
        "$ {name} {}\n{}{}[{}]",
        args.join(" "),
        r.stdout,
        r.stderr,
        r.status
    );
    r
}

fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn assert_ok(r: &Run, what: &str) {
    assert_eq!(
        r.status.code(),
        Some(0),
        "{what}: {}\n{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn every_program_is_a_static_riscv_executable_at_0x10000() {
    let names: Vec<&str> = USER_PROGRAMS.iter().map(|(n, _)| *n).collect();
    for want in [
        "hello",
        "init",
        "memtouch",
        "forktest",
        "swaptest",
        "thrash",
        "segv",
        "mmapshared",
        "overcommit",
        "free",
        "vmstat",
        "ps",
    ] {
        assert!(names.contains(&want), "{want} missing from USER_PROGRAMS");
    }
    for (name, elf) in USER_PROGRAMS {
        let e = goblin::elf::Elf::parse(elf).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(e.header.e_machine, goblin::elf::header::EM_RISCV, "{name}");
        assert_eq!(
            e.header.e_type,
            goblin::elf::header::ET_EXEC,
            "{name}: not static non-PIE"
        );
        assert!(e.interpreter.is_none(), "{name}: has PT_INTERP");
        let loads: Vec<_> = e
            .program_headers
            .iter()
            .filter(|p| p.p_type == goblin::elf::program_header::PT_LOAD)
            .collect();
        assert_eq!(loads[0].p_vaddr, 0x10000, "{name}: first segment");
        for p in &loads {
            assert_eq!(p.p_vaddr % 4096, 0, "{name}: segment not page-aligned");
            assert_eq!(p.p_offset % 4096, 0, "{name}: file offset not page-aligned");
            assert!(!(p.is_write() && p.is_executable()), "{name}: W+X segment");
        }
        assert!(loads.iter().any(|p| p.is_executable()), "{name}: no text");
        assert!(
            e.syms
                .iter()
                .all(|s| e.strtab.get_at(s.st_name) != Some("tohost")),
            "{name}: .tohost"
        );
    }
}

#[test]
fn hello_prints_its_arguments() {
    if !available() {
        return;
    }
    let r = run("hello", &["one", "two words"]);
    assert_ok(&r, "hello");
    assert!(
        r.stdout
            .starts_with("Hello from pagewalk user space!\nargc = 3\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("argv[1] = one\nargv[2] = two words\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("uname: Linux "), "{}", r.stdout);
    assert!(r.stdout.contains(" riscv64\n"), "{}", r.stdout);
}

#[test]
fn memtouch_verifies_every_pattern() {
    if !available() {
        return;
    }
    for args in [
        &["4", "seq"][..],
        &["4", "random"],
        &["4", "stride"],
        &["4", "stride", "3"],
    ] {
        let r = run("memtouch", args);
        assert_ok(&r, "memtouch");
        assert!(
            r.stdout
                .contains("1024 pages, 524288 words written and verified, 0 mismatches")
                && r.stdout.contains("memtouch: OK"),
            "{}",
            r.stdout
        );
    }
    let r = run("memtouch", &["4", "zigzag"]);
    assert_eq!(r.status.code(), Some(2), "unknown pattern");
}

#[test]
fn forktest_cow_isolation_and_sharing() {
    if !available() {
        return;
    }
    let r = run("forktest", &["16"]);
    assert_ok(&r, "forktest");
    for line in [
        "forktest: child: sees its own writes, not the parent's; shared pages intact",
        "exited with status 0",
        "forktest: parent: sees its own writes, not the child's; shared pages intact",
        "forktest: OK",
    ] {
        assert!(r.stdout.contains(line), "missing {line:?}:\n{}", r.stdout);
    }
}

#[test]
fn mmapshared_parent_sees_the_childs_write() {
    if !available() {
        return;
    }
    let r = run("mmapshared", &[]);
    assert_ok(&r, "mmapshared");
    assert!(
        r.stdout
            .contains("parent sees 0xc41d0000 in the shared region, 0x11111111 in the private one")
            && r.stdout.contains("mmapshared: OK"),
        "{}",
        r.stdout
    );
}

#[test]
fn segv_is_killed_by_sigsegv() {
    if !available() {
        return;
    }
    for (mode, said) in [
        ("ro", "now writing to it (read-only)"),
        ("null", "writing to NULL"),
        ("kernel", "writing to kernel address"),
        ("exec", "jumping to non-executable page"),
    ] {
        let r = run("segv", &[mode]);
        assert!(r.stdout.contains(said), "{mode}: {}", r.stdout);
        assert!(!r.stdout.contains("survived"), "{mode}: {}", r.stdout);
        // qemu-user re-raises the guest's fatal signal on itself.
        let status = r.status.signal().or(r.status.code().map(|c| c - 128));
        assert_eq!(status, Some(11), "{mode}: {:?}", r.status);
    }
}

#[test]
fn swaptest_and_overcommit_and_thrash() {
    if !available() {
        return;
    }
    let r = run("swaptest", &["8"]);
    assert_ok(&r, "swaptest");
    assert!(
        r.stdout.contains("verified 2048 pages twice: 0 bad") && r.stdout.contains("swaptest: OK"),
        "{}",
        r.stdout
    );

    let r = run("overcommit", &["16384", "32"]);
    assert_ok(&r, "overcommit");
    assert!(
        r.stdout.contains("mapped 16384 MiB") && r.stdout.contains("touched 32 of 4194304 pages"),
        "{}",
        r.stdout
    );

    let r = run("thrash", &["8", "4", "2"]);
    assert_ok(&r, "thrash");
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.trim_start().starts_with(['4', '8']))
            .count(),
        4,
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("thrash: done"));
}

#[test]
fn free_vmstat_ps_print_their_headers() {
    if !available() {
        return;
    }
    let r = run("free", &[]);
    assert_ok(&r, "free");
    let header = r.stdout.lines().next().unwrap_or("");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["total", "used", "free", "shared", "buff/cache", "available"]
    );
    assert!(
        r.stdout.contains("\nMem: ") && r.stdout.contains("\nSwap: "),
        "{}",
        r.stdout
    );

    let r = run("vmstat", &[]);
    assert_ok(&r, "vmstat");
    assert!(
        r.stdout.contains("swpd   free  buff  cache"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("page faults (pgfault)"), "{}", r.stdout);

    let r = run("ps", &["1"]);
    assert_ok(&r, "ps");
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["PID", "PPID", "S", "VSZ", "RSS", "SWAP", "MINFLT", "MAJFLT", "COMMAND"]
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.trim_start().starts_with("1 ")),
        "{}",
        r.stdout
    );
    let r = run("ps", &["999999999"]);
    assert_eq!(r.status.code(), Some(1), "ps of a missing pid");
}

#[test]
fn init_runs_a_list_and_reports_exit_statuses() {
    if !available() {
        return;
    }
    let p = |name: &str| programs().join(format!("{name}.sh")).display().to_string();
    let (hello, segv, memtouch) = (p("hello"), p("segv"), p("memtouch"));
    let missing = programs().join("no-such-program").display().to_string();
    let r = run(
        "init",
        &[
            &hello, "x", "---", &segv, "null", "---", &missing, "---", &memtouch, "1", "bogus",
            "---", &memtouch, "2", "random",
        ],
    );
    let out = &r.stdout;
    assert!(out.contains("init: running 5 programs"), "{out}");
    assert!(
        out.contains(&format!("init: {hello} x: exited with status 0")),
        "{out}"
    );
    assert!(out.contains("argv[1] = x"), "{out}");
    assert!(
        out.contains(&format!("init: {segv} null: killed by signal 11 (SIGSEGV)")),
        "{out}"
    );
    assert!(
        out.contains(&format!("init: {missing}: exited with status 127")),
        "{out}"
    );
    assert!(
        r.stderr
            .contains(&format!("init: execve {missing}: ENOENT")),
        "{}",
        r.stderr
    );
    assert!(
        out.contains(&format!("init: {memtouch} 1 bogus: exited with status 2")),
        "{out}"
    );
    assert!(
        out.contains(&format!("init: {memtouch} 2 random: exited with status 0")),
        "{out}"
    );
    assert!(
        out.contains("init: 5 programs run, 2 exited 0, 2 failed or killed, 1 not started"),
        "{out}"
    );
    // One program could not be started: init says so in its status.
    assert_eq!(r.status.code(), Some(1));
}
