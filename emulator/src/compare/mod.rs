//! `pagewalk tlb-compare`: run every workload under every TLB
//! configuration, each pair an independent machine, spread over the cores
//! (rayon), and write `results.{csv,json,md}`, `hit-rate.svg` and
//! `cpi.svg` to `--out`.
//!
//! Built-in workloads are the `workloads::tlb` kernels run by the
//! bare-metal `tlbwork` (S-mode, Sv39, 4 KiB pages; selected by patching
//! `TLBWORK_SELECT`/`TLBWORK_PAGES`/`TLBWORK_REPS`) and its MMU scenarios
//! (cyclic, conflict, asid, global, superpage: the MMU issue's analytic
//! cases, in guest-os/baremetal/tlbwork/src/vm.rs), plus `fork` (user
//! `forktest 8` under the guest kernel) and `swap` (`swaptest 24` in 16 MiB
//! of RAM with a 64 MiB swap disk). Any other name is an ELF file:
//! bare-metal, or a user program run under the kernel.

pub mod grid;
pub mod plot;
pub mod report;

use crate::machine::{Config, Console, DiskConfig, Machine, Outcome};
use crate::userland;
use grid::TlbChoice;
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The options of `pagewalk tlb-compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A workload (repeatable; default: all the built-in ones). Kernels
    /// over a region of --size pages, --reps passes: scan, random, stride,
    /// chase, matmul, matmul-blocked. The MMU issue's analytic cases, each
    /// from a flushed TLB: cyclic (one load per page, page after page),
    /// conflict (the region's first and last page alternated), asid (two
    /// address spaces switched by satp writes, no fence), global (global
    /// and non-global pages around `sfence.vma x0, ASID`), superpage (the
    /// region through a 2 MiB and a 1 GiB leaf). Under the guest kernel:
    /// fork, swap. Or an ELF file (bare-metal or user).
    #[arg(long = "workload", value_name = "NAME|PATH")]
    pub workloads: Vec<String>,
    /// A TLB configuration: preset (rocket, u74, c906, ideal, none) or TOML
    /// file (repeatable). Default, without --grid: rocket, u74, c906.
    #[arg(long = "tlb", value_name = "PRESET|FILE")]
    pub tlbs: Vec<String>,
    /// A grid axis `KEY=V1,V2,...` (repeatable): every combination of the
    /// axes is applied as --tlb-set overrides on --base.
    #[arg(long = "grid", value_name = "KEY=V1,V2,...")]
    pub grid: Vec<String>,
    /// The configuration the grid overrides apply to.
    #[arg(long, value_name = "PRESET|FILE", default_value = "rocket")]
    pub base: String,
    /// Region size in 4 KiB pages for the tlbwork workloads (default: 256;
    /// 48 for the matrix multiplies; the MMU issue's sizes for cyclic 9,
    /// conflict 9, asid 1 and global 1 per kind, superpage 4).
    #[arg(long, value_name = "PAGES")]
    pub size: Option<u64>,
    /// Passes over the region for the tlbwork workloads (default: 4; 1 for
    /// the matrix multiplies, which ignore it; conflict 10, asid 5, global
    /// 2, superpage 1).
    #[arg(long, value_name = "N")]
    pub reps: Option<u64>,
    /// Timing model for every run: a preset (rocket, u74, c906), a TOML
    /// file, or none (functional: cycles = instret, walk share 0).
    #[arg(long, value_name = "PRESET|FILE|none", default_value = "none")]
    pub model: String,
    /// Override one timing-model parameter (repeatable).
    #[arg(long = "model-set", value_name = "KEY=VALUE")]
    pub model_set: Vec<String>,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// A built-in tlbwork workload.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    pub name: &'static str,
    /// `TLBWORK_SELECT`.
    pub select: u64,
    /// Default `--size` (pages) and `--reps`.
    pub pages: u64,
    pub reps: u64,
    /// Largest `--size`.
    pub max_pages: u64,
}

const fn builtin(name: &'static str, select: u64, pages: u64, reps: u64, max: u64) -> Builtin {
    Builtin {
        name,
        select,
        pages,
        reps,
        max_pages: max,
    }
}

/// Built-in tlbwork workloads. The MMU scenarios (cyclic ... superpage)
/// default to the sizes of the MMU issue's analytic cases.
pub const TLBWORK: &[Builtin] = &[
    builtin("scan", workloads::tlb::SCAN, 256, 4, MAX_PAGES),
    builtin("random", workloads::tlb::RANDOM, 256, 4, MAX_PAGES),
    builtin("stride", workloads::tlb::STRIDE, 256, 4, MAX_PAGES),
    builtin("chase", workloads::tlb::CHASE, 256, 4, MAX_PAGES),
    builtin("matmul", workloads::tlb::MATMUL, 48, 1, MAX_PAGES),
    builtin(
        "matmul-blocked",
        workloads::tlb::MATMUL_BLOCKED,
        48,
        1,
        MAX_PAGES,
    ),
    builtin("cyclic", workloads::tlb::CYCLIC, 9, 4, MAX_PAGES),
    builtin("conflict", workloads::tlb::CONFLICT, 9, 10, MAX_PAGES),
    builtin("asid", workloads::tlb::ASID, 1, 5, 256),
    builtin("global", workloads::tlb::GLOBAL, 1, 2, MAX_PAGES / 2),
    builtin("superpage", workloads::tlb::SUPERPAGE, 4, 1, 512),
];

/// Largest `--size` (tlbwork's `MAX_PAGES`).
pub const MAX_PAGES: u64 = 3072;

/// Every built-in workload name, in the default order.
pub fn builtin_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = TLBWORK.iter().map(|w| w.name).collect();
    v.extend(["fork", "swap"]);
    v
}

/// How to run one workload.
#[derive(Clone, Debug)]
pub enum Workload {
    /// tlbwork with these patched words.
    Tlbwork {
        name: String,
        select: u64,
        pages: u64,
        reps: u64,
    },
    /// A bare-metal ELF as is.
    Baremetal { name: String, elf: Vec<u8> },
    /// A user program under the guest kernel.
    User {
        name: String,
        elf: Option<Vec<u8>>,
        argv: Vec<String>,
        memory: u64,
        swap: Option<u64>,
    },
}

impl Workload {
    pub fn name(&self) -> &str {
        match self {
            Workload::Tlbwork { name, .. }
            | Workload::Baremetal { name, .. }
            | Workload::User { name, .. } => name,
        }
    }
}

/// Resolve `--workload` values (built-in names, then files).
pub fn resolve_workloads(
    names: &[String],
    size: Option<u64>,
    reps: Option<u64>,
) -> Result<Vec<Workload>, String> {
    let defaults: Vec<String> = builtin_names().into_iter().map(String::from).collect();
    let names = if names.is_empty() { &defaults } else { names };
    let mut out = Vec::new();
    for n in names {
        if let Some(b) = TLBWORK.iter().find(|w| w.name == n) {
            let pages = size.unwrap_or(b.pages);
            if pages > b.max_pages {
                return Err(format!(
                    "--size {pages}: {} takes at most {} pages",
                    b.name, b.max_pages
                ));
            }
            out.push(Workload::Tlbwork {
                name: b.name.to_string(),
                select: b.select,
                pages,
                reps: reps.unwrap_or(b.reps),
            });
            continue;
        }
        let user = |name: &str, arg: &str, memory: u64, swap: Option<u64>| Workload::User {
            name: name.to_string(),
            elf: None,
            argv: vec![format!("/bin/{arg}")]
                .into_iter()
                .chain(std::iter::once("8".to_string()))
                .collect(),
            memory,
            swap,
        };
        match n.as_str() {
            "fork" => {
                out.push(user("fork", "forktest", 128 << 20, None));
                continue;
            }
            "swap" => {
                let mut w = user("swap", "swaptest", 16 << 20, Some(64 << 20));
                if let Workload::User { argv, .. } = &mut w {
                    argv[1] = "24".into();
                }
                out.push(w);
                continue;
            }
            _ => {}
        }
        let path = std::path::Path::new(n);
        let bytes = std::fs::read(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "--workload {n}: not a built-in workload ({}) nor a file",
                    builtin_names().join(", ")
                )
            } else {
                format!("--workload {n}: {e}")
            }
        })?;
        let elf = crate::loader::parse(&bytes).map_err(|e| format!("--workload {n}: {e}"))?;
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| n.clone());
        if userland::is_user_program(&elf) {
            out.push(Workload::User {
                argv: vec![format!("/bin/{name}")],
                name,
                elf: Some(bytes),
                memory: crate::machine::DEFAULT_MEMORY,
                swap: None,
            });
        } else {
            out.push(Workload::Baremetal { name, elf: bytes });
        }
    }
    Ok(out)
}

/// Instruction limit of one run.
const MAX_INSTRUCTIONS: u64 = 4_000_000_000;

/// Run `w` under `tlb`: the outcome and the statistics JSON.
pub fn run_one(
    w: &Workload,
    tlb: &TlbChoice,
    timing: &Option<crate::timing::TimingConfig>,
) -> Result<(Outcome, serde_json::Value), String> {
    let mut config = Config {
        tlb: tlb.config.clone(),
        timing: timing.clone(),
        console: Console::Capture { input: Vec::new() },
        max_instructions: Some(MAX_INSTRUCTIONS),
        ..Config::default()
    };
    let image: Vec<u8>;
    let mut patches: Vec<(&str, u64)> = Vec::new();
    match w {
        Workload::Tlbwork {
            select,
            pages,
            reps,
            ..
        } => {
            image = crate::guest::BAREMETAL_TLBWORK.to_vec();
            patches = vec![
                ("TLBWORK_SELECT", *select),
                ("TLBWORK_PAGES", *pages),
                ("TLBWORK_REPS", *reps),
            ];
        }
        Workload::Baremetal { elf, .. } => image = elf.clone(),
        Workload::User {
            name,
            elf,
            argv,
            memory,
            swap,
        } => {
            image = crate::guest::kernel()
                .ok_or("no guest kernel built in")?
                .to_vec();
            let mut programs: Vec<(&str, &[u8])> = crate::guest::USER_PROGRAMS.to_vec();
            if let Some(e) = elf {
                programs.retain(|(n, _)| n != name);
                programs.push((name, e));
            }
            let root = userland::root_image(&programs, "", argv);
            config.memory = *memory;
            config.disks.push(
                userland::image_disk(&root, userland::ROOT_SERIAL).map_err(|e| e.to_string())?,
            );
            if let Some(size) = swap {
                let mut d = DiskConfig::temporary(*size).map_err(|e| e.to_string())?;
                d.serial = userland::SWAP_SERIAL.to_string();
                config.disks.push(d);
            }
        }
    }
    let mut m = Machine::try_new(config).map_err(|e| e.to_string())?;
    m.load_elf(&image).map_err(|e| e.to_string())?;
    for (sym, value) in patches {
        let addr = symbol(&image, sym).ok_or_else(|| format!("tlbwork has no {sym}"))?;
        m.bus
            .write_bytes(addr, &value.to_le_bytes())
            .map_err(|_| format!("cannot patch {sym}"))?;
    }
    let outcome = m.run();
    Ok((outcome, m.stats_json()))
}

fn symbol(elf: &[u8], name: &str) -> Option<u64> {
    let e = goblin::elf::Elf::parse(elf).ok()?;
    e.syms
        .iter()
        .find(|s| e.strtab.get_at(s.st_name) == Some(name))
        .map(|s| s.st_value)
}

/// `pagewalk tlb-compare`: the process exit status (0; 1 if a run failed;
/// 2 for bad input, with a one-line message).
pub fn main(args: Args) -> u8 {
    match compare(args) {
        Ok(all_passed) => u8::from(!all_passed),
        Err(e) => {
            eprintln!("pagewalk: error: {e}");
            2
        }
    }
}

fn compare(args: Args) -> Result<bool, String> {
    let workloads = resolve_workloads(&args.workloads, args.size, args.reps)?;
    let configs = grid::configurations(&args.tlbs, &args.base, &args.grid)?;
    let timing = crate::timing::TimingConfig::load(&args.model, &args.model_set)
        .map_err(|e| format!("--model {}: {e}", args.model))?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("--out {}: {e}", args.out.display()))?;
    // Fail now, not after the runs, if the directory is not writable.
    let probe = args.out.join("results.csv");
    std::fs::write(&probe, b"").map_err(|e| format!("--out {}: {e}", args.out.display()))?;
    if let Some(j) = args.jobs {
        if j == 0 {
            return Err("--jobs must be at least 1".into());
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global();
    }
    let pairs: Vec<(&Workload, &TlbChoice)> = workloads
        .iter()
        .flat_map(|w| configs.iter().map(move |c| (w, c)))
        .collect();
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(pairs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs, {elapsed} elapsed, ETA {eta} {msg}",
        ) {
            b.set_style(style);
        }
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let rows: Vec<report::Row> = pairs
        .par_iter()
        .map(|(w, c)| {
            let r = run_one(w, c, &timing);
            bar.inc(1);
            bar.set_message(w.name().to_string());
            report::Row::new(w.name(), c, r)
        })
        .collect();
    bar.finish_and_clear();
    report::write_all(&args.out, &rows)?;
    plot::write_all(&args.out, &rows, &configs)?;
    let failed: Vec<&report::Row> = rows.iter().filter(|r| r.status != "ok").collect();
    for r in &failed {
        eprintln!("pagewalk: {} under {}: {}", r.workload, r.config, r.status);
    }
    Ok(failed.is_empty())
}
