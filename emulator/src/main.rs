//! The `pagewalk` command line.

use clap::{Parser, Subcommand};
use pagewalk::conformance;
use pagewalk::machine::{AdUpdate, Config, Console, DiskConfig, Machine};
use pagewalk::mmu::tlb::TlbConfig;
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
enum Command {
    /// Boot a bare-metal RV64 ELF in M-mode at its entry point (a0 = hartid,
    /// a1 = 0), as `qemu-system-riscv64 -M virt -bios none -kernel ELF`
    /// does, and exit with the guest's exit code (SiFive test finisher or
    /// HTIF tohost).
    #[command(after_help = builtins_help())]
    Run {
        /// The ELF executable to run, or the name of a built-in program
        /// (a file of that name takes precedence).
        elf: PathBuf,
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
    let mut s = String::from("Built-in programs:\n");
    for (name, _, what) in pagewalk::guest::BUILTINS {
        s.push_str(&format!("  {name:<10} {what}\n"));
    }
    s.push_str(
        "\nExit status: the guest's exit code (finisher or HTIF tohost); 2 for bad input;\n\
         4 when the guest is stuck (trap loop, WFI deadlock); 124 at --max-instructions.",
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
    });
    rx
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            elf,
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
            run(elf, memory, max_instructions, trace, disks, model)
        }
        Command::RiscvTests {
            paths,
            max_instructions,
            jobs,
        } => riscv_tests(paths, max_instructions, jobs),
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
        disks.push(d.map_err(|e| format!("--swap {s}: {e}"))?);
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

fn run(
    elf: PathBuf,
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
    let bytes = match std::fs::read(&elf) {
        Ok(b) => b,
        Err(e) => match elf.to_str().and_then(pagewalk::guest::builtin) {
            Some(b) if e.kind() == std::io::ErrorKind::NotFound => b.to_vec(),
            _ => return fail(format!("{}: {e}", elf.display())),
        },
    };
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
        fast_paths: !model.no_fast_paths,
        disks,
        ..Config::default()
    };
    let mut machine = match Machine::try_new(config) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    if let Err(e) = machine.load_elf(&bytes) {
        return fail(format!("{}: {e}", elf.display()));
    }
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
    if model.stats {
        eprint!("{}", machine.stats_summary());
    }
    if let Some(path) = &model.stats_json {
        let json = machine.stats_json();
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
