//! The guest kernel (guest-os/kernel) on pagewalk: a root ustar image built
//! here with the `tar` crate (`bin/<name>` for every user program and
//! `etc/cmdline`) on a virtio-blk disk with serial `root`, per
//! guest-os/kernel/PROTOCOL.md. Checks program output, exit codes, the
//! segfault path and the kernel counters in `PAGEWALK_KERNEL_STATS`; the
//! same kernel and image boot on QEMU when it is installed.

use goblin::elf::Elf;
use pagewalk::guest::{KERNEL, USER_PROGRAMS};
use pagewalk::machine::{Config, Console, DiskConfig, Machine, Outcome};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

/// A root archive: every user program as `bin/<name>` and `etc/cmdline`.
fn root_archive(cmdline: &str) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8], mode: u32| {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        b.append(&h, data).unwrap();
    };
    for (name, elf) in USER_PROGRAMS {
        add(&format!("bin/{name}"), elf, 0o755);
    }
    add("etc/cmdline", format!("{cmdline}\n").as_bytes(), 0o644);
    let mut image = b.into_inner().unwrap();
    // Whole 4 KiB pages, as a disk would be.
    image.resize(image.len().div_ceil(4096) * 4096, 0);
    image
}

/// Write the archive to a temporary file (removed by the caller).
fn image_file(cmdline: &str, tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "pagewalk-kernel-{}-{tag}-{n}.tar",
        std::process::id()
    ));
    std::fs::write(&path, root_archive(cmdline)).unwrap();
    path
}

struct Run {
    out: String,
    outcome: Outcome,
    stats: Vec<u64>,
    instret: u64,
}

/// `PAGEWALK_KERNEL_STATS`' physical address: its symbol's VA translated
/// through the PT_LOAD segment that holds it.
fn stats_pa() -> u64 {
    let elf = Elf::parse(KERNEL).unwrap();
    let sym = elf
        .syms
        .iter()
        .find(|s| elf.strtab.get_at(s.st_name) == Some("PAGEWALK_KERNEL_STATS"))
        .expect("PAGEWALK_KERNEL_STATS symbol");
    let va = sym.st_value;
    let ph = elf
        .program_headers
        .iter()
        .find(|p| {
            p.p_type == goblin::elf::program_header::PT_LOAD
                && (p.p_vaddr..p.p_vaddr + p.p_memsz).contains(&va)
        })
        .expect("segment of PAGEWALK_KERNEL_STATS");
    va - ph.p_vaddr + ph.p_paddr
}

/// Boot the kernel with a root image whose `etc/cmdline` is `cmdline`.
fn boot(cmdline: &str, memory: u64) -> Run {
    let path = image_file(cmdline, "pw");
    let mut disk = DiskConfig::open(&path, true).unwrap();
    disk.serial = "root".into();
    let mut m = Machine::new(Config {
        console: Console::Capture { input: vec![] },
        memory,
        max_instructions: Some(2_000_000_000),
        disks: vec![disk],
        ..Config::default()
    });
    m.load_elf(KERNEL).unwrap();
    let outcome = m.run();
    let out = String::from_utf8_lossy(&m.take_output()).into_owned();
    let raw = m.bus.read_bytes(stats_pa(), 128).expect("stats in DRAM");
    let stats = raw
        .chunks(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let instret = m.instret();
    std::fs::remove_file(path).unwrap();
    Run {
        out,
        outcome,
        stats,
        instret,
    }
}

#[test]
fn hello_prints_argv_and_powers_off() {
    let r = boot("policy=clock -- /bin/hello one two", 32 << 20);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
    assert!(
        r.out.starts_with("Hello from pagewalk user space!\n"),
        "{}",
        r.out
    );
    assert!(r.out.contains("argc = 3\n"), "{}", r.out);
    assert!(r.out.contains("argv[0] = /bin/hello\n"), "{}", r.out);
    assert!(
        r.out.contains("argv[1] = one\nargv[2] = two\n"),
        "{}",
        r.out
    );
    assert!(r.out.contains("uname: pagewalk"), "{}", r.out);
    assert!(r.out.contains("pid 1 ppid 0\n"), "{}", r.out);
    // Counters: the magic and version, and demand paging of the program.
    assert_eq!(r.stats[0], 0x7061_6765_7761_6c6b);
    assert_eq!(r.stats[1], 1);
    assert!(r.stats[2] > 0 && r.stats[3] > 0 && r.stats[3] <= r.stats[2]);
    assert!(r.stats[6] > 0, "pgpgin");
}

#[test]
fn exit_code_comes_through() {
    // memtouch with bad arguments exits with 2.
    let r = boot("-- /bin/memtouch x", 32 << 20);
    assert!(r.out.contains("usage: memtouch"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 2 });
}

#[test]
fn unknown_option_warns() {
    let r = boot("frobnicate=1 -- /bin/hello", 32 << 20);
    assert!(
        r.out
            .starts_with("kernel: warning: unknown option \"frobnicate=1\" ignored\n"),
        "{}",
        r.out
    );
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
}

#[test]
fn memtouch_demand_paging() {
    let r = boot("-- /bin/memtouch 4 seq", 32 << 20);
    assert!(r.out.contains("memtouch: OK\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    // 4 MiB = 1024 pages, each zero-filled on first touch (minor faults).
    let (pgfault, major) = (r.stats[2], r.stats[3]);
    assert!(pgfault - major >= 1024, "pgfault {pgfault} major {major}");
    assert!(major < 64, "major {major}");
}

#[test]
fn minor_fault_cost() {
    // With `debug` the kernel reports, per process, its faults and the
    // instructions retired in the fault handler (trap entry to return).
    let r = boot("debug -- /bin/memtouch 4 seq", 32 << 20);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
    assert!(r.out.starts_with("kernel: "), "{}", r.out);
    let line = r
        .out
        .lines()
        .find(|l| l.starts_with("kernel: pid 1 (memtouch) exited"))
        .unwrap_or_else(|| panic!("{}", r.out));
    let num = |key: &str| -> u64 {
        let rest = &line[line.find(key).unwrap() + key.len()..];
        rest.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (minflt, majflt) = (num("minflt"), num("majflt"));
    let instret: u64 = line
        .rsplit(", ")
        .next()
        .and_then(|w| w.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(minflt >= 1024, "{line}");
    let per_fault = instret / (minflt + majflt);
    eprintln!(
        "memtouch 4 seq: {minflt} minor + {majflt} major faults, {instret} instructions in the handler: ~{per_fault} per fault ({} total instructions)",
        r.instret
    );
    assert!(per_fault < 20_000, "{line}");
}

#[test]
fn segv_kills_pid1_with_sigsegv() {
    let r = boot("-- /bin/segv ro", 32 << 20);
    assert!(
        r.out.contains("now writing to it (read-only)\n"),
        "{}",
        r.out
    );
    let line = r
        .out
        .lines()
        .find(|l| l.starts_with("segmentation fault: 1 (segv) at 0x"))
        .unwrap_or_else(|| panic!("no segfault line: {}", r.out));
    assert!(line.contains(", pc 0x"), "{line}");
    assert!(!r.out.contains("survived"), "{}", r.out);
    // PID 1 killed by signal 11: status 128 + 11.
    assert_eq!(r.outcome, Outcome::Finisher { code: 139 });
}

#[test]
fn segv_null_and_kernel_addresses() {
    for (mode, addr) in [("null", "0x0"), ("kernel", "0xffffffc000000000")] {
        let r = boot(&format!("-- /bin/segv {mode}"), 32 << 20);
        assert!(
            r.out
                .contains(&format!("segmentation fault: 1 (segv) at {addr}, pc 0x")),
            "{mode}: {}",
            r.out
        );
        assert_eq!(r.outcome, Outcome::Finisher { code: 139 }, "{mode}");
    }
}

#[test]
fn init_fork_exec_wait_and_isolation() {
    let r = boot(
        "-- /bin/init hello x --- forktest 8 --- segv --- mmapshared --- memtouch 2 random --- /etc/cmdline --- ps --- free --- vmstat",
        64 << 20,
    );
    let out = &r.out;
    assert!(out.contains("init: running 9 programs\n"), "{out}");
    assert!(out.contains("argv[0] = hello\nargv[1] = x\n"), "{out}");
    assert!(out.contains("pid 2 ppid 1\n"), "{out}");
    assert!(
        out.contains("init: hello x: exited with status 0\n"),
        "{out}"
    );
    assert!(out.contains("forktest: OK\n"), "{out}");
    // The segfault kills only the child; init carries on.
    assert!(out.contains("segmentation fault: "), "{out}");
    assert!(
        out.contains("init: segv: killed by signal 11 (SIGSEGV)\n"),
        "{out}"
    );
    assert!(out.contains("mmapshared: OK\n"), "{out}");
    assert!(out.contains("memtouch: OK\n"), "{out}");
    // execve of a non-ELF file: ENOEXEC.
    assert!(
        out.contains("init: execve /etc/cmdline: ENOEXEC\n"),
        "{out}"
    );
    assert!(out.contains(" init\n") && out.contains(" ps\n"), "{out}");
    assert!(out.contains("Mem:  "), "{out}");
    assert!(out.contains("copy-on-write faults (cow_fault)"), "{out}");
    assert!(
        out.contains("init: 9 programs run, 7 exited 0, 1 failed or killed, 1 not started\n"),
        "{out}"
    );
    assert_eq!(r.outcome, Outcome::Finisher { code: 1 });
    assert!(r.stats[9] > 0, "cow_fault");
    assert!(r.stats[10] >= 10, "forks {}", r.stats[10]);
}

#[test]
fn cow_fork_of_a_large_process() {
    let r = boot("debug -- /bin/forktest 64", 160 << 20);
    assert!(r.out.contains("forktest: OK\n"), "{}", r.out);
    let line = r
        .out
        .lines()
        .find(|l| l.starts_with("kernel: fork 1 -> 2: "))
        .unwrap_or_else(|| panic!("{}", r.out));
    eprintln!("{line}");
    let words: Vec<&str> = line.split(' ').collect();
    let (pages, instructions): (u64, u64) = (words[5].parse().unwrap(), words[8].parse().unwrap());
    assert!(pages >= 16384, "{line}");
    // Far below copying the pages (~1000 instructions per 4 KiB page).
    assert!(instructions < pages * 100, "{line}");
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    // The child rewrites a quarter and the parent another: 2 × 4096 pages
    // copied (or taken over) on write, not 16384 at fork.
    let cow = r.stats[9];
    assert!((8192..8192 + 64).contains(&cow), "cow_fault {cow}");
    assert_eq!(r.stats[10], 1, "forks");
}

#[test]
fn kernel_boots_on_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    let path = image_file(
        "-- /bin/init hello qemu --- forktest 4 --- segv --- memtouch 2 random",
        "qemu",
    );
    let drive = format!("file={},if=none,format=raw,id=d0", path.display());
    let q = qemu::run_with_args(
        KERNEL,
        "kernel",
        Duration::from_secs(60),
        &[],
        &[
            "-drive",
            &drive,
            "-device",
            "virtio-blk-device,drive=d0,serial=root,bus=virtio-mmio-bus.0",
            "-global",
            "virtio-mmio.force-legacy=false",
        ],
    );
    std::fs::remove_file(path).unwrap();
    let out = String::from_utf8_lossy(&q.stdout);
    assert!(
        out.contains("Hello from pagewalk user space!\n"),
        "{out}\n{}",
        q.stderr
    );
    assert!(out.contains("argv[1] = qemu\n"), "{out}");
    assert!(out.contains("forktest: OK\n"), "{out}");
    assert!(
        out.contains("init: segv: killed by signal 11 (SIGSEGV)\n"),
        "{out}"
    );
    assert!(out.contains("memtouch: OK\n"), "{out}");
    assert_eq!(q.status, Some(0), "{out}\n{}", q.stderr);
}
