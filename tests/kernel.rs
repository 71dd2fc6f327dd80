//! The guest kernel (guest-os/kernel) on pagewalk: a root ustar image built
//! here with the `tar` crate (`bin/<name>` for every user program and
//! `etc/cmdline`) on a virtio-blk disk with serial `root`, per
//! guest-os/kernel/PROTOCOL.md. Checks program output, exit codes, the
//! segfault path and the kernel counters in `PAGEWALK_KERNEL_STATS`; the
//! same kernel and image boot on QEMU when it is installed.

use pagewalk::guest::{KERNEL, USER_PROGRAMS};
use pagewalk::machine::{Config, Console, DiskConfig, Machine, Outcome};
use pagewalk::userland;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

/// A root archive (pagewalk::userland::root_image): every user program as
/// `bin/<name>` and `etc/cmdline` = `cmdline` (`OPTIONS -- ARGV...`),
/// padded to whole 4 KiB pages as a disk would be.
fn root_archive(cmdline: &str) -> Vec<u8> {
    let (options, argv) = cmdline.split_once("--").unwrap_or(("", cmdline));
    let argv: Vec<String> = argv.split_whitespace().map(String::from).collect();
    let mut image = userland::root_image(USER_PROGRAMS, options.trim(), &argv);
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

/// Boot the kernel with a root image whose `etc/cmdline` is `cmdline`.
fn boot(cmdline: &str, memory: u64) -> Run {
    boot_swap(cmdline, memory, 0)
}

/// `boot` with a swap disk (serial `swap`) of `swap` bytes when not 0.
fn boot_swap(cmdline: &str, memory: u64, swap: u64) -> Run {
    boot_with(cmdline, memory, swap, Vec::new())
}

/// `boot_swap` with `input` fed to the console.
fn boot_with(cmdline: &str, memory: u64, swap: u64, input: Vec<u8>) -> Run {
    let path = image_file(cmdline, "pw");
    let mut disk = DiskConfig::open(&path, true).unwrap();
    disk.serial = "root".into();
    let mut disks = vec![disk];
    let swap_path = path.with_extension("swap");
    if swap > 0 {
        std::fs::File::create(&swap_path)
            .unwrap()
            .set_len(swap)
            .unwrap();
        let mut d = DiskConfig::open(&swap_path, false).unwrap();
        d.serial = "swap".into();
        disks.push(d);
    }
    let mut m = Machine::new(Config {
        console: Console::Capture { input },
        memory,
        max_instructions: Some(2_000_000_000),
        disks,
        ..Config::default()
    });
    m.load_elf(KERNEL).unwrap();
    let outcome = m.run();
    let out = String::from_utf8_lossy(&m.take_output()).into_owned();
    let stats_pa = userland::kernel_stats_address(KERNEL).expect("PAGEWALK_KERNEL_STATS");
    let raw = m.bus.read_bytes(stats_pa, 128).expect("stats in DRAM");
    let stats = raw
        .chunks(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let instret = m.instret();
    std::fs::remove_file(path).unwrap();
    if swap > 0 {
        std::fs::remove_file(swap_path).unwrap();
    }
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

/// `forktest 64` with `debug` and kernel options `opts`: the output, the
/// pages mapped at the fork and the guest instructions the fork took.
fn fork_cost(opts: &str) -> (Run, u64, u64) {
    let r = boot(&format!("{opts} debug -- /bin/forktest 64"), 192 << 20);
    assert!(r.out.contains("forktest: OK\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    let line = r
        .out
        .lines()
        .find(|l| l.starts_with("kernel: fork 1 -> 2: "))
        .unwrap_or_else(|| panic!("{}", r.out));
    eprintln!("{opts}: {line}");
    let words: Vec<&str> = line.split(' ').collect();
    let (pages, instructions) = (words[5].parse().unwrap(), words[8].parse().unwrap());
    (r, pages, instructions)
}

#[test]
fn cow_fork_costs_under_a_twentieth_of_eager_copy() {
    let (cow, cow_pages, cow_instr) = fork_cost("fork=cow");
    let (eager, eager_pages, eager_instr) = fork_cost("fork=eager");
    assert!(cow_pages >= 16384 && eager_pages >= 16384);
    assert!(
        cow_instr * 20 < eager_instr,
        "COW {cow_instr} vs eager {eager_instr} instructions"
    );
    // Eager: the pages were copied at fork, so the writes after it take no
    // COW faults; COW: 2 × 4096 pages copied (or taken over) on write.
    assert!(cow.stats[9] >= 8192, "cow_fault {}", cow.stats[9]);
    assert!(eager.stats[9] < 64, "cow_fault {}", eager.stats[9]);
}

#[test]
fn systest_files_kill_sleep_and_bad_pointers() {
    let r = boot("-- /bin/systest", 32 << 20);
    let out = &r.out;
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{out}");
    for line in [
        // openat/fstat/read/lseek/close on an archive file.
        "open /etc/cmdline = fd 3",
        "fstat size = 16",
        "fstat mode = 100755",
        "read all = 16 bytes",
        "cmdline = -- /bin/systest",
        "lseek 0 SET = 0",
        "read 5 = 5",
        "first 5 bytes match = true",
        "lseek 0 CUR = 5",
        "lseek -3 END = 13",
        "read at end-3 = 3",
        "read at EOF = 0",
        "lseek -1 SET = EINVAL",
        "lseek bad whence = EINVAL",
        // User pointers are checked.
        "read to kernel address = EFAULT",
        "read to unmapped address = EFAULT",
        "fstat to kernel address = EFAULT",
        "write from unmapped address = EFAULT",
        "openat unmapped path = EFAULT",
        "close = 0",
        "close again = EBADF",
        "read closed fd = EBADF",
        "fstat closed fd = EBADF",
        "open missing file = ENOENT",
        "open for writing = errno 30",
        "lseek on the console = errno 29",
        // /proc files.
        "/proc/meminfo has MemTotal = true",
        "/proc/meminfo fstat mode = 100444",
        "/proc/meminfo lseek 0 SET = 0",
        "/proc/meminfo reread same length = true",
        "/proc/meminfo close = 0",
        "open /proc/self/status = true",
        // sched_yield, nanosleep (virtual time; others run), kill.
        "sched_yield = 0",
        "nanosleep null = EFAULT",
        "nanosleep kernel address = EFAULT",
        "nanosleep bad nsec = EINVAL",
        "nanosleep 50 ms = 0",
        "slept at least 50 ms = true",
        "the child ran while the parent slept = true",
        "kill SIGTERM = 0",
        "wait4 after SIGTERM = signal Some(15)",
        "kill reaped pid = ESRCH",
        "kill no such pid = ESRCH",
        "kill bad signal = EINVAL",
        "kill 0 (probe) = 0",
        "kill SIGKILL = 0",
        "wait4 after SIGKILL = signal Some(9)",
        "the sleeper died without its sleep = true",
        "done",
    ] {
        assert!(
            out.contains(&format!("systest: {line}\n")),
            "{line}:\n{out}"
        );
    }
}

#[test]
fn console_read_blocks_until_input_and_echoes() {
    // read(0) blocks in the kernel until the UART's receive interrupt
    // (PLIC source 10) brings the bytes the emulator feeds.
    let input = b"hello from the host\nrest".to_vec();
    let Run { out, outcome, .. } = boot_with("-- /bin/systest echo", 32 << 20, 0, input);
    assert!(out.contains("echo: hello from the host\n"), "{out}");
    assert_eq!(outcome, Outcome::Finisher { code: 0 }, "{out}");
}

#[test]
fn mmap_file_private_reads_on_touch_and_copies_on_write() {
    // A private mapping of /bin/hello: pages read from the archive on
    // first touch (major faults), a write makes a private copy (the file
    // reads back unchanged), fork shares the pages COW, munmap works.
    let r = boot("-- /bin/systest mmapfile /bin/hello", 32 << 20);
    for line in [
        "systest: mmapfile: MAP_SHARED = errno 19",
        "systest: mmapfile: offset 100 = EINVAL",
        "systest: mmapfile: fd 0 = errno 19",
        "mmapfile: read-only same = true",
        "mmapfile: pgmajfault moved = true",
        "mmapfile: read-write same = true",
        "mmapfile: file unchanged = true",
        "mmapfile: private copy = true",
        "mmapfile: read into mapping = true",
        "systest: mmapfile: child saw the copy = 0",
        "mmapfile: parent copy kept = true",
        "mmapfile: file still unchanged = true",
        "systest: mmapfile: munmap = 0",
        "mmapfile: done",
    ] {
        assert!(r.out.contains(&format!("{line}\n")), "{line}: {}", r.out);
    }
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
}

#[test]
fn mmap_file_pages_are_dropped_under_pressure_and_reread() {
    // Anonymous memory of all free RAM and 16 MiB more goes through 16 MiB
    // of RAM: the clock sweeps every frame; the mapping's clean pages are
    // dropped (never written to swap) and read back from the archive
    // (major faults) with the same bytes on the next touch.
    let r = boot_swap(
        "-- /bin/systest mmapfile /bin/hello 4096",
        16 << 20,
        64 << 20,
    );
    for line in [
        "mmapfile: same after pressure = true",
        "mmapfile: re-read after pressure = true",
        "mmapfile: done",
    ] {
        assert!(r.out.contains(&format!("{line}\n")), "{line}: {}", r.out);
    }
    assert!(r.stats[8] > 0, "pgsteal: {:?}", r.stats);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
}

#[test]
fn console_eof_ends_cat() {
    // A ^D (0x04) in the input is end of file, as on a Linux tty: read(0)
    // returns what is buffered before it, then 0.
    let input = b"hello\nworld\n\x04".to_vec();
    let Run { out, outcome, .. } = boot_with("-- /bin/systest cat", 32 << 20, 0, input);
    assert!(out.contains("hello\nworld\n"), "{out}");
    assert_eq!(outcome, Outcome::Finisher { code: 0 }, "{out}");
}

#[test]
fn console_eof_through_the_cli() {
    // `echo hi | pagewalk run systest cat`: the emulator's stdin reader
    // sends ^D at host EOF, so cat sees end of file and exits 0.
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pagewalk"))
        .args(["run", "systest", "cat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hi\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("hi\n"), "{stdout}");
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn forkcost_compares_the_fork_with_copying_the_pages() {
    // The `make run` figure: a COW fork against copying the same pages,
    // both in guest instructions measured by the program (rdinstret).
    let r = boot("-- /bin/systest forkcost 16", 64 << 20);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
    let fork = r
        .out
        .lines()
        .find(|l| l.starts_with("forkcost: COW fork"))
        .unwrap_or_else(|| panic!("{}", r.out));
    let copy = r
        .out
        .lines()
        .find(|l| l.starts_with("forkcost: copying"))
        .unwrap_or_else(|| panic!("{}", r.out));
    let (f, c) = (field(fork, "pages): "), field(copy, "instead: "));
    assert!(f * 20 < c, "{fork}\n{copy}");
}

const MIB: u64 = 1 << 20;

// Counter indices in PAGEWALK_KERNEL_STATS (PROTOCOL.md).
const PGMAJFAULT: usize = 3;
const PSWPIN: usize = 4;
const PSWPOUT: usize = 5;
const PGPGOUT: usize = 7;
const PGSTEAL: usize = 8;
const COW_FAULT: usize = 9;
const OOM_KILLS: usize = 11;

/// The number after `key` in `line`.
fn field(line: &str, key: &str) -> u64 {
    let rest = &line[line.find(key).unwrap_or_else(|| panic!("{key}: {line}")) + key.len()..];
    rest.trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// swaptest 48 MiB in 16 MiB of RAM with a 64 MiB swap disk.
fn swaptest(policy: &str) -> Run {
    let r = boot_swap(
        &format!("policy={policy} debug -- /bin/swaptest 48"),
        16 * MIB,
        64 * MIB,
    );
    assert!(
        r.out
            .contains("swaptest: verified 12288 pages twice: 0 bad"),
        "{policy}: {}",
        r.out
    );
    assert!(r.out.contains("swaptest: OK\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 }, "{}", r.out);
    assert!(r.stats[PSWPOUT] > 0 && r.stats[PSWPIN] > 0, "{:?}", r.stats);
    assert_eq!(r.stats[PGPGOUT], 4 * r.stats[PSWPOUT]);
    assert!(r.stats[PGSTEAL] >= r.stats[PSWPOUT]);
    assert!(r.stats[PGMAJFAULT] >= r.stats[PSWPIN]);
    r
}

#[test]
fn swaptest_three_times_ram_clock() {
    let r = swaptest("clock");
    assert!(
        r.out.contains("kernel: page replacement: clock\n"),
        "{}",
        r.out
    );
    // Every page is written once and read twice: at least the 48 − 16 MiB
    // that do not fit go out and come back.
    assert!(r.stats[PSWPOUT] >= 8192, "pswpout {}", r.stats[PSWPOUT]);
    assert!(r.stats[PSWPIN] >= 8192, "pswpin {}", r.stats[PSWPIN]);
    // Cost of a major fault from swap: instructions in the fault handler
    // (trap to return, the polled virtio read included) per swap-in.
    let line = r
        .out
        .lines()
        .find(|l| l.starts_with("kernel: pid 1 (swaptest) swap-ins: "))
        .unwrap_or_else(|| panic!("{}", r.out));
    let (n, instret) = (field(line, "swap-ins:"), field(line, " in "));
    assert_eq!(n, r.stats[PSWPIN], "{line}");
    let per_fault = instret / n;
    eprintln!(
        "swaptest 48 MiB in 16 MiB (clock): pswpout {} pswpin {} pgmajfault {} pgsteal {}; {n} swap-ins in {instret} instructions: ~{per_fault} per major fault (eviction included)",
        r.stats[PSWPOUT], r.stats[PSWPIN], r.stats[PGMAJFAULT], r.stats[PGSTEAL]
    );
    assert!(per_fault < 50_000, "{line}");
}

#[test]
fn swaptest_fifo_differs_from_clock() {
    let fifo = swaptest("fifo");
    assert!(
        fifo.out.contains("kernel: page replacement: fifo\n"),
        "{}",
        fifo.out
    );
    let clock = swaptest("clock");
    eprintln!(
        "swaptest 48: pgmajfault clock {} fifo {}",
        clock.stats[PGMAJFAULT], fifo.stats[PGMAJFAULT]
    );
    // swaptest sweeps linearly, where second chance degenerates to FIFO
    // but for the A bits of the pages in use while memory runs out: the
    // counts differ, by little.
    assert_ne!(clock.stats[PGMAJFAULT], fifo.stats[PGMAJFAULT]);
}

#[test]
fn fork_cow_pages_swap_out_and_in() {
    // 32 MiB filled, then forked, in 16 MiB of RAM: the COW-shared pages go
    // to swap (one slot for both PTEs) and each process faults its own
    // copy back in; both verify every word.
    let r = boot_swap("-- /bin/forktest 32", 16 * MIB, 64 * MIB);
    assert!(
        r.out.contains(
            "forktest: child: sees its own writes, not the parent's; shared pages intact"
        ),
        "{}",
        r.out
    );
    assert!(
        r.out.contains(
            "forktest: parent: sees its own writes, not the child's; shared pages intact"
        ),
        "{}",
        r.out
    );
    assert!(r.out.contains("forktest: OK\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    assert_eq!(r.stats[10], 1, "forks");
    assert!(r.stats[PSWPOUT] > 4096, "{:?}", r.stats);
    assert!(r.stats[PSWPIN] > 4096, "{:?}", r.stats);
    eprintln!(
        "forktest 32 in 16 MiB: pswpout {} pswpin {} cow_fault {}",
        r.stats[PSWPOUT], r.stats[PSWPIN], r.stats[COW_FAULT]
    );
}

#[test]
fn thrash_fault_rate_rises_past_ram() {
    let r = boot_swap("-- /bin/thrash 40 8 2", 16 * MIB, 64 * MIB);
    assert!(r.out.contains("thrash: done\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    // Rows: ws(MiB) pass time(us) ns/page pgfault pgmajfault.
    let rows: Vec<Vec<u64>> = r
        .out
        .lines()
        .filter_map(|l| {
            let v: Vec<u64> = l
                .split_whitespace()
                .map(|w| w.parse().ok())
                .collect::<Option<_>>()?;
            (v.len() == 6).then_some(v)
        })
        .collect();
    assert_eq!(rows.len(), 10, "{}", r.out);
    // The second pass over 8 MiB fits in RAM: no faults. Past RAM every
    // second pass faults on every page, from swap.
    let second = |ws: u64| rows.iter().find(|v| v[0] == ws && v[1] == 2).unwrap();
    assert_eq!(second(8)[4], 0, "{}", r.out);
    let mut last = 0;
    for ws in [16, 24, 32, 40] {
        let v = second(ws);
        assert!(v[5] >= ws * 256, "{}", r.out);
        assert!(v[5] > last, "{}", r.out);
        last = v[5];
    }
    assert!(second(40)[3] > 100 * second(8)[3].max(1), "{}", r.out);
}

#[test]
fn overcommit_and_the_oom_killer() {
    // Mappings far beyond RAM + swap are fine while untouched.
    let r = boot_swap("-- /bin/overcommit", 16 * MIB, 16 * MIB);
    assert!(r.out.contains("overcommit: OK\n"), "{}", r.out);
    assert_eq!(r.outcome, Outcome::Finisher { code: 0 });
    assert_eq!(r.stats[OOM_KILLS], 0);
    // Touching 32 MiB with 16 MiB of RAM and 4 MiB of swap: the OOM killer
    // kills the biggest process; init and the kernel carry on.
    let r = boot_swap(
        "-- /bin/init overcommit 64 8192 --- free",
        16 * MIB,
        4 * MIB,
    );
    assert!(
        r.out.contains("out of memory: killed 2 (overcommit)\n"),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("init: overcommit 64 8192: killed by signal 9 (SIGKILL)\n"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("init: free: exited with status 0\n"),
        "{}",
        r.out
    );
    assert!(r.out.contains("Swap:          4096"), "{}", r.out);
    assert_eq!(r.stats[OOM_KILLS], 1);
    assert!(r.stats[PSWPOUT] >= 1024, "{:?}", r.stats);
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
