//! The riscv-tests runner: each test ELF runs in a fresh machine, in
//! parallel across cores; a test passes when it writes 1 to `tohost`, and a
//! failing one reports its TESTNUM (`tohost >> 1`).

use crate::machine::{Config, Machine, Outcome};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Default per-test instruction limit: riscv-tests ISA tests retire at most
/// a few hundred thousand instructions; the benchmarks a few hundred million.
pub const DEFAULT_MAX_INSTRUCTIONS: u64 = 2_000_000_000;

/// The result of one test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// File name of the test.
    pub name: String,
    /// How the run ended, or why the file could not be run.
    pub outcome: Result<Outcome, String>,
    /// Instructions retired.
    pub instret: u64,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Ok(o) if o.passed())
    }

    /// One report line: name, PASS/FAIL, instructions, and for failures the
    /// TESTNUM or the reason.
    pub fn line(&self, width: usize) -> String {
        let verdict = if self.passed() { "PASS" } else { "FAIL" };
        let detail = match &self.outcome {
            Ok(o) if o.passed() => String::new(),
            Ok(Outcome::Htif { code }) => format!("  TESTNUM {code}"),
            Ok(o) => format!("  {o}"),
            Err(e) => format!("  {e}"),
        };
        format!(
            "{:<width$} {verdict} {:>12} instructions{detail}",
            self.name, self.instret
        )
    }
}

/// Expand `paths` into the ELF files to run: files as given, directories
/// scanned (not recursively) for files starting with the ELF magic, each
/// directory's tests sorted by name.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && is_elf(f))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_elf(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map(|()| &magic == b"\x7fELF")
        .unwrap_or(false)
}

/// Run one test file in a fresh machine.
pub fn run_one(path: &Path, max_instructions: u64) -> TestResult {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return TestResult {
                name,
                outcome: Err(e.to_string()),
                instret: 0,
            }
        }
    };
    let mut m = Machine::new(Config {
        max_instructions: Some(max_instructions),
        ..Config::default()
    });
    if let Err(e) = m.load_elf(&bytes) {
        return TestResult {
            name,
            outcome: Err(e.to_string()),
            instret: 0,
        };
    }
    let outcome = m.run();
    TestResult {
        name,
        outcome: Ok(outcome),
        instret: m.instret(),
    }
}

/// Run every test, in parallel, results in input order.
pub fn run_all(tests: &[PathBuf], max_instructions: u64) -> Vec<TestResult> {
    tests
        .par_iter()
        .map(|t| run_one(t, max_instructions))
        .collect()
}
