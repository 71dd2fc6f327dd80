//! The `pagewalk` command line.

use clap::{Parser, Subcommand};
use pagewalk::conformance;
use pagewalk::machine::{AdUpdate, Config, Console, DiskConfig, Machine};
use pagewalk::mmu::tlb::TlbConfig;
use pagewalk::userland;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// pagewalk: a RISC-V RV64GC system emulator with a modelled MMU and TLB.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Run a program. A bare-metal RV64 ELF boots in M-mode at its entry
    /// (a0 = hartid, a1 = 0), as `qemu-system-riscv64 -M virt -bios none
    /// -kernel ELF` does. A user program (a static Linux riscv64 ELF) runs
    /// as PID 1 under the guest kernel, with the built-in user programs in
    /// /bin. pagewalk exits with the guest's exit code.
    #[command(after_help = builtins_help())]
    Run {
        /// The program: an ELF file, or the name of a built-in program (a
        /// file of that name takes precedence). A bare-metal ELF (segments
        /// in DRAM) boots directly; a user program (Linux ABI, linked below
        /// DRAM) runs as PID 1 under the guest kernel.
        #[arg(value_name = "PROGRAM")]
        elf: PathBuf,
        /// Arguments for a user program. pagewalk's own options are still
        /// recognised; put `--` before arguments that look like them.
        #[arg(value_name = "ARGS", allow_hyphen_values = true)]
        args: Vec<String>,
        /// Boot this kernel ELF for user programs instead of the built-in one.
        #[arg(long, value_name = "ELF")]
        kernel: Option<PathBuf>,
        /// Page replacement policy of the guest kernel.
        #[arg(long, value_enum)]
        policy: Option<Policy>,
        /// DRAM size at 0x80000000: bytes, or with a K/M/G suffix (KiB, MiB, GiB).
        #[arg(long, value_name = "SIZE", default_value = "128M", value_parser = parse_size)]
        memory: u64,
        /// Stop after N retired instructions (exit status 124).
        #[arg(long, value_name = "N")]
        max_instructions: Option<u64>,
        /// Write a commit log, one line per retired instruction in Spike's
        /// `--log-commits` format, to FILE (default: standard error).
        #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
        trace: Option<PathBuf>,
        /// Attach a virtio-blk disk backed by PATH (repeatable: virtio-mmio
        /// slots 0, 1, ... in order; read-only if PATH is not writable).
        #[arg(long, value_name = "PATH")]
        disk: Vec<PathBuf>,
        /// Attach a swap disk after the --disk ones: a SIZE (e.g. 64M) makes
        /// a sparse temporary file, deleted at exit; otherwise the file PATH.
        #[arg(long, value_name = "SIZE|PATH")]
        swap: Option<String>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Run riscv-tests binaries (files, or directories of them), each in a
    /// fresh machine, in parallel; print one line per test and a summary
    /// `N passed, N failed`. Exit status 1 if any failed.
    RiscvTests {
        /// Test ELF files or directories containing them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Per-test instruction limit.
        #[arg(long, value_name = "N", default_value_t = conformance::DEFAULT_MAX_INSTRUCTIONS)]
        max_instructions: u64,
        /// Worker threads (default: one per core).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
    },
    /// Compare TLB configurations over workloads: every workload ×
    /// configuration pair runs in its own machine, in parallel; writes
    /// results.{csv,json,md}, hit-rate.svg and cpi.svg to --out.
    TlbCompare(pagewalk::compare::Args),
}

/// The MMU/TLB model and statistics options.
#[derive(clap::Args)]
struct ModelArgs {
    /// TLB model: a preset (rocket, u74, c906, ideal, none) or a TOML file
    /// with [itlb], [dtlb], [tlb] (unified), [l2tlb], [walk_cache] sections.
    #[arg(long, value_name = "PRESET|FILE", default_value = "rocket")]
    tlb: String,
    /// Override one TLB parameter, e.g. `dtlb.entries=64`,
    /// `dtlb.replacement=fifo`, `flush_on_satp_write=false` (repeatable).
    #[arg(long = "tlb-set", value_name = "KEY=VALUE")]
    tlb_set: Vec<String>,
    /// Who sets PTE A/D bits: the page walk (hw, Svadu) or software after a
    /// page fault (fault, Svade).
    #[arg(long, value_enum, default_value = "hw")]
    ad_update: AdMode,
    /// Print statistics (instructions, TLB, walks, fences, faults) to
    /// stderr at exit.
    #[arg(long)]
    stats: bool,
    /// Write the statistics as JSON to PATH.
    #[arg(long, value_name = "PATH")]
    stats_json: Option<PathBuf>,
    /// Check every TLB hit against the page tables in memory and report the
    /// first that disagrees (a missing sfence.vma). Slower.
    #[arg(long)]
    validate_tlb: bool,
    /// Timing model: a preset (rocket, u74, c906), a TOML file, or none
    /// (functional: one cycle per instruction). With a model, mcycle, time
    /// and the statistics' cycles, stalls and caches are modelled.
    #[arg(long, value_name = "PRESET|FILE", default_value = "none")]
    model: String,
    /// Override one timing parameter, e.g. `l1d.size=64K` (repeatable).
    #[arg(long = "model-set", value_name = "KEY=VALUE")]
    model_set: Vec<String>,
    /// Turn the interpreter's fast paths off: every access goes through the
    /// full translation path (slow; the statistics are the same).
    #[arg(long)]
    no_fast_paths: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AdMode {
    Hw,
    Fault,
}

/// The list of built-in programs for `run --help`.
fn builtins_help() -> String {
    let mut s = String::from("Built-in bare-metal programs:\n");
    for (name, _, what) in pagewalk::guest::BUILTINS {
        s.push_str(&format!("  {name:<16} {what}\n"));
    }
    s.push_str("Built-in user programs (run under the guest kernel):\n ");
    for (name, _) in pagewalk::guest::USER_PROGRAMS {
        s.push_str(&format!(" {name}"));
    }
    s.push_str(
        "\n\nExit status: the guest's exit code (finisher or HTIF tohost; 128 + signal for a\n\
         killed user program); 2 for bad input; 3 for a guest kernel panic; 4 when the\n\
         guest is stuck (trap loop, WFI deadlock); 124 at --max-instructions.",
    );
    s
}

/// Parse a memory size: `134217728`, `128M`, `128MiB`, `1G`, `512K`. Must be
/// a non-zero multiple of 4 KiB and at most 64 GiB.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (e.g. 128M, 1G, 65536)"))?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("'{s}': unknown unit '{unit}' (use K, M or G)")),
    };
    let bytes = n
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("'{s}' is too large"))?;
    if bytes == 0 || bytes % 4096 != 0 {
        return Err(format!("'{s}' must be a non-zero multiple of 4 KiB"));
    }
    if bytes > 64 << 30 {
        return Err(format!("'{s}' exceeds the 64 GiB maximum"));
    }
    Ok(bytes)
}

fn stdin_reader() -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
        // End of file: ^D, which the guest kernel's tty reads as EOF.
        let _ = tx.send(vec![0x04]);
    });
    rx
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            elf,
            args,
            kernel,
            policy,
            memory,
            max_instructions,
            trace,
            disk,
            swap,
            model,
        } => {
            let disks = match open_disks(&disk, swap.as_deref()) {
                Ok(d) => d,
                Err(e) => return fail(e),
            };
            let program = match resolve_program(&elf, args, kernel.as_deref(), policy) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            run(program, memory, max_instructions, trace, disks, model)
        }
        Command::RiscvTests {
            paths,
            max_instructions,
            jobs,
        } => riscv_tests(paths, max_instructions, jobs),
        Command::TlbCompare(args) => ExitCode::from(pagewalk::compare::main(args)),
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("pagewalk: error: {msg}");
    ExitCode::from(2)
}

/// Open the `--disk` files, then the `--swap` disk (a size makes a sparse
/// temporary file; an existing file of that name wins).
fn open_disks(paths: &[PathBuf], swap: Option<&str>) -> Result<Vec<DiskConfig>, String> {
    let mut disks = Vec::new();
    for p in paths {
        disks.push(DiskConfig::open(p, false).map_err(|e| format!("--disk {}: {e}", p.display()))?);
    }
    if let Some(s) = swap {
        let path = std::path::Path::new(s);
        let d = if path.exists() {
            DiskConfig::open(path, false)
        } else if let Ok(size) = parse_size(s) {
            DiskConfig::temporary(size)
        } else if s.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("--swap {s}: {}", parse_size(s).unwrap_err()));
        } else {
            DiskConfig::open(path, false)
        };
        let mut d = d.map_err(|e| format!("--swap {s}: {e}"))?;
        d.serial = userland::SWAP_SERIAL.to_string();
        disks.push(d);
    }
    let max = pagewalk::devices::VIRTIO_MMIO_COUNT;
    if disks.len() > max {
        return Err(format!(
            "{} disks given; the board has {max} virtio slots",
            disks.len()
        ));
    }
    Ok(disks)
}

/// Guest kernel page replacement policies (kernel option `policy=`).
#[derive(Clone, Copy, clap::ValueEnum)]
enum Policy {
    Clock,
    Fifo,
}

/// What `pagewalk run` boots.
struct Program {
    /// Shown in error messages.
    name: String,
    /// The image loaded into DRAM: the program itself, or the kernel.
    image: Vec<u8>,
    /// For a user program: the root disk (built-in programs, the program,
    /// etc/cmdline).
    root: Option<Vec<u8>>,
}

/// Find PROGRAM (a file, or a built-in user or bare-metal program) and, for
/// a user program, prepare the kernel and the root image.
fn resolve_program(
    path: &std::path::Path,
    args: Vec<String>,
    kernel: Option<&std::path::Path>,
    policy: Option<Policy>,
) -> Result<Program, String> {
    use pagewalk::guest;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let (bytes, builtin_user) = match std::fs::read(path) {
        Ok(b) => (b, false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let n = path.to_str().unwrap_or("");
            if let Some(u) = guest::user_program(n) {
                (u.to_vec(), true)
            } else if let Some(b) = guest::builtin(n) {
                (b.to_vec(), false)
            } else {
                return Err(format!("{}: {e}", path.display()));
            }
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let elf = pagewalk::loader::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    if !userland::is_user_program(&elf) {
        if !args.is_empty() {
            return Err(format!(
                "{}: a bare-metal program takes no arguments",
                path.display()
            ));
        }
        return Ok(Program {
            name,
            image: bytes,
            root: None,
        });
    }
    let image = match kernel {
        Some(k) => std::fs::read(k).map_err(|e| format!("--kernel {}: {e}", k.display()))?,
        None => guest::kernel()
            .ok_or("this pagewalk has no guest kernel built in yet; boot one with --kernel ELF")?
            .to_vec(),
    };
    let mut programs: Vec<(&str, &[u8])> = guest::USER_PROGRAMS
        .iter()
        .filter(|(n, _)| builtin_user || *n != name)
        .copied()
        .collect();
    if !builtin_user {
        programs.push((&name, &bytes));
    }
    let options = match policy {
        Some(Policy::Clock) => "policy=clock",
        Some(Policy::Fifo) => "policy=fifo",
        None => "",
    };
    let mut argv = vec![format!("/bin/{name}")];
    argv.extend(args);
    let root = userland::root_image(&programs, options, &argv);
    Ok(Program {
        name,
        image,
        root: Some(root),
    })
}

fn run(
    program: Program,
    memory: u64,
    max_instructions: Option<u64>,
    trace: Option<PathBuf>,
    disks: Vec<DiskConfig>,
    model: ModelArgs,
) -> ExitCode {
    let tlb = match TlbConfig::load(&model.tlb, &model.tlb_set) {
        Ok(c) => c,
        Err(e) => return fail(format!("--tlb {}: {e}", model.tlb)),
    };
    let timing = match pagewalk::timing::TimingConfig::load(&model.model, &model.model_set) {
        Ok(c) => c,
        Err(e) => return fail(format!("--model {}: {e}", model.model)),
    };
    let mut disks = disks;
    if let Some(root) = &program.root {
        match userland::image_disk(root, userland::ROOT_SERIAL) {
            Ok(d) => disks.insert(0, d),
            Err(e) => return fail(format!("cannot create the root disk image: {e}")),
        }
    }
    let trace: Option<Box<dyn std::io::Write + Send>> = match trace {
        None => None,
        Some(p) if p.as_os_str() == "-" => Some(Box::new(std::io::stderr())),
        Some(p) => match std::fs::File::create(&p) {
            Ok(f) => Some(Box::new(f)),
            Err(e) => return fail(format!("{}: {e}", p.display())),
        },
    };
    let config = Config {
        memory,
        max_instructions,
        console: Console::Stdio {
            input: Some(stdin_reader()),
        },
        trace,
        tlb,
        ad_update: match model.ad_update {
            AdMode::Hw => AdUpdate::Hardware,
            AdMode::Fault => AdUpdate::Fault,
        },
        validate_tlb: model.validate_tlb,
        timing,
        fast_paths: !model.no_fast_paths,
        disks,
        ..Config::default()
    };
    let mut machine = match Machine::try_new(config) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    if let Err(e) = machine.load_elf(&program.image) {
        return fail(format!("{}: {e}", program.name));
    }
    let kernel_stats = program
        .root
        .as_ref()
        .and_then(|_| userland::kernel_stats_address(&program.image));
    let outcome = machine.run();
    if !matches!(
        outcome,
        pagewalk::machine::Outcome::Finisher { .. } | pagewalk::machine::Outcome::Htif { .. }
    ) {
        eprintln!(
            "pagewalk: {outcome} after {} instructions",
            machine.instret()
        );
    } else {
        log::info!("{outcome} after {} instructions", machine.instret());
    }
    if model.validate_tlb {
        match &machine.hart.first_mismatch {
            Some(m) => eprintln!(
                "pagewalk: validate-tlb: {} stale TLB hit(s); first: {m}",
                machine.hart.tlb_mismatches
            ),
            None => eprintln!("pagewalk: validate-tlb: every TLB hit matched the page tables"),
        }
    }
    let kernel = kernel_stats.and_then(|a| userland::read_kernel_stats(&machine.bus, a));
    if model.stats {
        eprint!("{}", machine.stats_summary());
        if let Some(k) = &kernel {
            let line: Vec<String> = k.iter().map(|(n, v)| format!("{n} {v}")).collect();
            eprintln!("kernel: {}", line.join(", "));
        }
    }
    if let Some(path) = &model.stats_json {
        let mut json = machine.stats_json();
        if let Some(k) = &kernel {
            json["kernel"] = k
                .iter()
                .map(|(n, v)| (n.to_string(), serde_json::Value::from(*v)))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        let text = serde_json::to_string_pretty(&json).expect("JSON value serialises");
        if let Err(e) = std::fs::write(path, text + "\n") {
            return fail(format!("{}: {e}", path.display()));
        }
    }
    ExitCode::from(outcome.exit_status() as u8)
}

fn riscv_tests(paths: Vec<PathBuf>, max_instructions: u64, jobs: Option<usize>) -> ExitCode {
    if let Some(j) = jobs {
        if j == 0 {
            return fail("--jobs must be at least 1");
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global();
    }
    let tests = match conformance::collect(&paths) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    if tests.is_empty() {
        return fail("no ELF files found in the given paths");
    }
    let results = conformance::run_all(&tests, max_instructions);
    let width = results.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut passed = 0;
    for r in &results {
        println!("{}", r.line(width));
        if r.passed() {
            passed += 1;
        }
    }
    let failed = results.len() - passed;
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
