//! A machine: one hart, the bus and its devices, and the run loop that
//! interleaves instruction batches with device and interrupt updates.
//!
//! Time is virtual (DESIGN §3): `mtime` advances with the hart's modelled
//! cycle count, and a hart waiting in WFI skips straight to its next timer
//! event, so every run of the same image gives the same result.

use crate::bus::{Bus, ExitRequest};
use crate::cpu::trap::irq;
use crate::cpu::{Hart, HartStop};
use crate::devices::{
    ConsoleSink, FinisherRequest, VirtioBlk, TIMEBASE_HZ, UART0_IRQ, VIRTIO_IRQ_BASE,
    VIRTIO_MMIO_COUNT,
};
use crate::htif::Htif;
use crate::loader::{self, Image, LoadError};
use crate::mmu::tlb::{ConfigError, TlbConfig, TlbModel};
use std::io::Write;
use std::sync::mpsc::{Receiver, TryRecvError};

/// Default DRAM size: 128 MiB, as QEMU `virt`.
pub const DEFAULT_MEMORY: u64 = 128 << 20;
/// Default modelled clock: 1 GHz, i.e. 100 cycles per 10 MHz `mtime` tick.
pub const DEFAULT_CLOCK_HZ: u64 = 1_000_000_000;
/// Largest number of instructions run between device/interrupt updates.
const BATCH: u64 = 1 << 16;

/// Where the console (UART and HTIF) output goes and input comes from.
pub enum Console {
    /// The host's stdout; input from `input` when given (e.g. a stdin reader).
    Stdio { input: Option<Receiver<Vec<u8>>> },
    /// Captured in memory, with fixed input bytes (tests, the conformance runner).
    Capture { input: Vec<u8> },
}

/// Machine configuration.
pub struct Config {
    /// DRAM size in bytes (a multiple of 4 KiB).
    pub memory: u64,
    /// Stop after this many retired instructions.
    pub max_instructions: Option<u64>,
    /// Modelled clock in Hz; sets how many cycles make one `mtime` tick.
    pub clock_hz: u64,
    pub console: Console,
    /// Commit log (Spike `--log-commits` format) destination.
    pub trace: Option<Box<dyn Write + Send>>,
    /// The TLB model (default: the `rocket` preset).
    pub tlb: TlbConfig,
    /// A/D bits: set by the page walk (Svadu, default) or left to a page
    /// fault (Svade).
    pub ad_update: AdUpdate,
    /// Check every TLB hit against the page table in memory.
    pub validate_tlb: bool,
    /// The cycle-approximate timing model (`--model`); `None` is
    /// functional mode: one cycle per instruction.
    pub timing: Option<crate::timing::TimingConfig>,
    /// Use the interpreter's fast paths (fetch page pointer, host
    /// translation cache). Off, every access takes the full path; the
    /// statistics must not change (tests compare them).
    pub fast_paths: bool,
    /// virtio-blk disks, attached to virtio-mmio slots 0, 1, ... in order
    /// (at most [`VIRTIO_MMIO_COUNT`]; further ones are ignored).
    pub disks: Vec<DiskConfig>,
}

/// A virtio-blk disk (VIRTIO 1.2 §5.2) backed by an open host file.
pub struct DiskConfig {
    /// What the statistics call the disk (its path, or a description).
    pub path: String,
    /// The backing file.
    pub file: std::fs::File,
    /// Size in bytes; the capacity is `size / 512` sectors.
    pub size: u64,
    /// Offer VIRTIO_BLK_F_RO and fail writes.
    pub read_only: bool,
    /// The `GET_ID` serial (20 bytes at most; VIRTIO 1.2 §5.2.6).
    pub serial: String,
}

impl DiskConfig {
    /// Open `path` read-write, or read-only when it cannot be written (or
    /// when `read_only`). `serial` is left empty: the machine then uses
    /// `pagewalk-vdN` for slot N.
    pub fn open(path: &std::path::Path, read_only: bool) -> std::io::Result<DiskConfig> {
        use std::fs::OpenOptions;
        let rw = if read_only {
            None
        } else {
            match OpenOptions::new().read(true).write(true).open(path) {
                Ok(f) => Some(f),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => None,
                Err(e) if e.raw_os_error() == Some(30) => None, // EROFS
                Err(e) => return Err(e),
            }
        };
        let (file, read_only) = match rw {
            Some(f) => (f, false),
            None => (OpenOptions::new().read(true).open(path)?, true),
        };
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        Ok(DiskConfig {
            path: path.display().to_string(),
            file,
            size: meta.len(),
            read_only,
            serial: String::new(),
        })
    }

    /// A sparse temporary disk of `size` bytes (a swap disk): created in
    /// [`std::env::temp_dir`] and unlinked at once, so it vanishes with
    /// the process.
    pub fn temporary(size: u64) -> std::io::Result<DiskConfig> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("pagewalk-swap-{}-{nanos}.img", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        let _ = std::fs::remove_file(&path);
        file.set_len(size)?;
        Ok(DiskConfig {
            path: format!("(temporary, {size} bytes)"),
            file,
            size,
            read_only: false,
            serial: String::new(),
        })
    }
}

/// Who sets the PTE A and D bits (Privileged ISA §4.3.1; Svadu/Svade).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AdUpdate {
    /// The page walk sets them (Svadu).
    #[default]
    Hardware,
    /// The access raises a page fault and software sets them (Svade).
    Fault,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            memory: DEFAULT_MEMORY,
            max_instructions: None,
            clock_hz: DEFAULT_CLOCK_HZ,
            console: Console::Capture { input: Vec::new() },
            trace: None,
            tlb: crate::mmu::tlb::presets::rocket(),
            ad_update: AdUpdate::Hardware,
            validate_tlb: false,
            timing: None,
            fast_paths: true,
            disks: Vec::new(),
        }
    }
}

/// Why a machine could not be built.
#[derive(Debug, thiserror::Error)]
pub enum MachineError {
    /// The TLB configuration is invalid.
    #[error("--tlb: {0}")]
    Tlb(#[from] ConfigError),
    /// `--memory` is more than the host can allocate.
    #[error("--memory: {0}")]
    Memory(#[from] crate::bus::OutOfHostMemory),
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// SiFive test finisher write: pass (code 0) or fail with `code`.
    Finisher { code: u16 },
    /// HTIF `tohost` exit: `code` 0 is pass; riscv-tests put the failing
    /// TESTNUM here.
    Htif { code: u64 },
    /// The finisher asked for a reset (not supported: the run ends).
    Reset,
    /// `--max-instructions` reached.
    InstructionLimit,
    /// Traps with no working handler.
    TrapLoop { pc: u64, cause: u64, tval: u64 },
    /// WFI with no interrupt source that could ever wake the hart.
    Deadlock { pc: u64 },
}

impl Outcome {
    /// The process exit status pagewalk uses for this outcome: the guest's
    /// code for finisher/HTIF exits (truncated to 8 bits, non-zero kept
    /// non-zero), 4 for a stuck guest, 124 for the instruction limit.
    pub fn exit_status(&self) -> i32 {
        let guest = |code: u64| {
            if code == 0 {
                0
            } else if code & 0xff == 0 {
                1
            } else {
                (code & 0xff) as i32
            }
        };
        match *self {
            Outcome::Finisher { code } => guest(code as u64),
            Outcome::Htif { code } => guest(code),
            Outcome::Reset => 0,
            Outcome::InstructionLimit => 124,
            Outcome::TrapLoop { .. } | Outcome::Deadlock { .. } => 4,
        }
    }

    /// Whether the guest reported success.
    pub fn passed(&self) -> bool {
        matches!(
            self,
            Outcome::Finisher { code: 0 } | Outcome::Htif { code: 0 }
        )
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::cpu::trap::cause_name;
        match self {
            Outcome::Finisher { code: 0 } => write!(f, "guest powered off (pass)"),
            Outcome::Finisher { code } => write!(f, "guest exited with code {code} (finisher)"),
            Outcome::Htif { code: 0 } => write!(f, "guest passed (tohost = 1)"),
            Outcome::Htif { code } => write!(f, "guest exited with code {code} (tohost)"),
            Outcome::Reset => write!(f, "guest requested a reset"),
            Outcome::InstructionLimit => write!(f, "instruction limit reached"),
            Outcome::TrapLoop { pc, cause, tval } => write!(
                f,
                "trap loop: the hart keeps trapping at pc {pc:#x} ({}, tval {tval:#x}) with no working handler",
                cause_name(*cause)
            ),
            Outcome::Deadlock { pc } => write!(
                f,
                "deadlock: WFI at pc {pc:#x} with no interrupt that could ever wake the hart"
            ),
        }
    }
}

/// A RISC-V machine.
pub struct Machine {
    pub hart: Hart,
    pub bus: Bus,
    max_instructions: Option<u64>,
    input: Option<Receiver<Vec<u8>>>,
    /// Host input not yet handed to the UART.
    pending_input: Vec<u8>,
    input_closed: bool,
    /// Names of the disks in virtio slots 0, 1, ... (for the statistics).
    disk_paths: Vec<String>,
}

impl Machine {
    /// A machine with `config`, not yet loaded: the hart starts at DRAM base.
    ///
    /// # Panics
    /// On an invalid TLB configuration (configurations from
    /// [`TlbConfig::load`] and the presets are valid) or when the host
    /// cannot allocate the DRAM; [`Machine::try_new`] returns those as errors.
    pub fn new(config: Config) -> Machine {
        match Machine::try_new(config) {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Machine::new`], failing on an invalid TLB configuration or DRAM the
    /// host cannot allocate.
    pub fn try_new(config: Config) -> Result<Machine, MachineError> {
        let (sink, input, pending) = match config.console {
            Console::Stdio { input } => (ConsoleSink::Stdout, input, Vec::new()),
            Console::Capture { input } => (ConsoleSink::Buffer(Vec::new()), None, input),
        };
        let clock_hz = config
            .timing
            .as_ref()
            .map_or(config.clock_hz, |t| t.clock_hz);
        let cycles_per_tick = (clock_hz / TIMEBASE_HZ).max(1);
        let mut bus = Bus::try_new(config.memory, 1, sink, cycles_per_tick)?;
        let mut disk_paths = Vec::new();
        for (slot, d) in config.disks.into_iter().enumerate() {
            if slot >= VIRTIO_MMIO_COUNT {
                log::warn!("{}: only {VIRTIO_MMIO_COUNT} virtio slots", d.path);
                break;
            }
            let serial = if d.serial.is_empty() {
                format!("pagewalk-vd{slot}")
            } else {
                d.serial
            };
            bus.virtio[slot] = Some(VirtioBlk::new(d.file, d.size, d.read_only, &serial));
            disk_paths.push(d.path);
        }
        let mut hart = Hart::new(0, crate::bus::DRAM_BASE);
        hart.tlb = TlbModel::new(&config.tlb)?;
        hart.timing = config
            .timing
            .as_ref()
            .map(|t| Box::new(crate::timing::CoreModel::new(t)));
        hart.ad_hw = config.ad_update == AdUpdate::Hardware;
        hart.validate_tlb = config.validate_tlb;
        hart.host_tlb.enabled = config.fast_paths && !config.validate_tlb;
        if let Some(w) = config.trace {
            hart.tracer = Some(Box::new(crate::cpu::trace::Tracer::new(w)));
            hart.host_tlb.enabled = false;
        }
        Ok(Machine {
            hart,
            bus,
            max_instructions: config.max_instructions,
            input_closed: input.is_none(),
            input,
            pending_input: pending,
            disk_paths,
        })
    }

    /// All statistics as JSON: `instret`, `cycles`, and the TLB model's
    /// (`tlb.{itlb,dtlb,l2tlb,walk_cache}.{accesses,hits,misses,U,S,by_asid}`,
    /// `walks.{total,4K,2M,1G,faulted,pte_reads,walk_cache_hits}`,
    /// `sfence.*`, `faults.*`, `untranslated`), plus `tlb_config`.
    pub fn stats_json(&mut self) -> serde_json::Value {
        self.hart.settle_tlb_stats();
        let mut v = self.hart.tlb.stats.to_json();
        v["instret"] = self.hart.instret().into();
        v["cycles"] = self.hart.now().into();
        v["tlb_mismatches"] = self.hart.tlb_mismatches.into();
        if let Some(t) = &self.hart.timing {
            // cycles, instret, cpi, stalls.*, cache.*, branches
            if let serde_json::Value::Object(m) = t.stats.to_json() {
                for (k, val) in m {
                    if k != "cycles" && k != "instret" {
                        v[k.as_str()] = val;
                    }
                }
            }
        }
        v["disks"] = self.disk_stats_json();
        v
    }

    /// Per attached disk: `{slot, path, requests, sectors_read,
    /// sectors_written, flushes}` (see [`crate::devices::DiskStats`]).
    pub fn disk_stats_json(&self) -> serde_json::Value {
        let disks = self
            .disk_paths
            .iter()
            .enumerate()
            .filter_map(|(slot, path)| {
                let dev = self.bus.virtio[slot].as_ref()?;
                let mut o = serde_json::to_value(dev.stats).expect("stats serialise");
                o["slot"] = slot.into();
                o["path"] = path.as_str().into();
                Some(o)
            })
            .collect();
        serde_json::Value::Array(disks)
    }

    /// A readable summary of the statistics.
    pub fn stats_summary(&mut self) -> String {
        self.hart.settle_tlb_stats();
        let mut s = format!(
            "instret {}  cycles {}\n{}",
            self.hart.instret(),
            self.hart.now(),
            self.hart.tlb.stats.summary()
        );
        for (slot, path) in self.disk_paths.iter().enumerate() {
            if let Some(dev) = &self.bus.virtio[slot] {
                let st = dev.stats;
                s.push_str(&format!(
                    "disk {slot} {path}: {} requests, {} sectors read, {} sectors written, {} flushes\n",
                    st.requests, st.sectors_read, st.sectors_written, st.flushes
                ));
            }
        }
        s
    }

    /// Load a bare-metal ELF: segments into DRAM, `pc` = entry, `a0` =
    /// hartid, `a1` = device-tree address (0: none yet), as
    /// `qemu-system-riscv64 -M virt -bios none -kernel` does; HTIF enabled
    /// when the image has a `tohost` symbol.
    pub fn load_elf(&mut self, bytes: &[u8]) -> Result<Image, LoadError> {
        let image = loader::load(&mut self.bus, bytes)?;
        self.hart.pc = image.entry;
        self.hart.x[10] = self.hart.hartid;
        self.hart.x[11] = 0;
        if let Some(tohost) = image.tohost {
            if self.bus.dram_offset(tohost, 8).is_some() {
                self.bus.set_htif(Htif {
                    tohost,
                    fromhost: image.fromhost,
                });
            }
        }
        Ok(image)
    }

    /// Console output captured so far (empty for [`Console::Stdio`]).
    pub fn take_output(&mut self) -> Vec<u8> {
        self.bus.uart.take_output()
    }

    /// Retired instructions so far.
    pub fn instret(&self) -> u64 {
        self.hart.instret()
    }

    /// Run until the guest exits or gets stuck, or the instruction limit.
    pub fn run(&mut self) -> Outcome {
        let outcome = loop {
            if let Some(o) = self.check_stop() {
                break o;
            }
            self.feed_input();
            self.update_interrupts();
            if self.hart.wfi {
                if self.hart.wfi_wakeup() {
                    self.hart.wfi = false;
                } else if !self.sleep_until_event() {
                    break Outcome::Deadlock { pc: self.hart.pc };
                } else {
                    continue;
                }
            }
            self.hart.take_interrupt();
            let budget = self.budget();
            self.hart.run(&mut self.bus, budget);
        };
        self.bus.uart.flush();
        if let Some(t) = self.hart.tracer.as_mut() {
            t.flush();
        }
        outcome
    }

    fn check_stop(&mut self) -> Option<Outcome> {
        if let Some(req) = self.bus.exit.take() {
            return Some(match req {
                ExitRequest::Finisher(FinisherRequest::Pass) => Outcome::Finisher { code: 0 },
                ExitRequest::Finisher(FinisherRequest::Fail(code)) => Outcome::Finisher { code },
                ExitRequest::Finisher(FinisherRequest::Reset) => Outcome::Reset,
                ExitRequest::Htif(code) => Outcome::Htif { code },
            });
        }
        if let Some(HartStop::TrapLoop { pc, cause, tval }) = self.hart.stop.take() {
            return Some(Outcome::TrapLoop { pc, cause, tval });
        }
        if let Some(max) = self.max_instructions {
            if self.hart.instret() >= max {
                return Some(Outcome::InstructionLimit);
            }
        }
        None
    }

    /// Instructions to run before the next device/interrupt update: up to
    /// the next timer event, the instruction limit, or [`BATCH`].
    fn budget(&self) -> u64 {
        let mut budget = BATCH;
        if let Some(max) = self.max_instructions {
            budget = budget.min(max.saturating_sub(self.hart.instret()));
        }
        if let Some(event) = self.next_timer_cycle() {
            budget = budget.min(event.saturating_sub(self.hart.now()));
        }
        budget.max(1)
    }

    /// The cycle at which the next timer interrupt line rises, if armed.
    fn next_timer_cycle(&self) -> Option<u64> {
        let mut next: Option<u64> = None;
        let mut consider = |tick: u64| {
            if tick != u64::MAX && tick > self.bus.clint.mtime() {
                let c = self.bus.cycle_of_tick(tick);
                next = Some(next.map_or(c, |n| n.min(c)));
            }
        };
        consider(self.bus.clint.mtimecmp(0));
        if self.hart.csr.menvcfg & crate::cpu::csr::MENVCFG_STCE != 0 {
            consider(self.hart.csr.stimecmp);
        }
        next
    }

    /// WFI with nothing pending: jump virtual time to the next timer event,
    /// or wait for host input. Returns false if nothing can ever wake the hart.
    fn sleep_until_event(&mut self) -> bool {
        if let Some(c) = self.next_timer_cycle() {
            if c > self.hart.now() {
                self.hart.idle(c - self.hart.now());
            }
            return true;
        }
        if self.bus.uart.has_pending_input() || !self.pending_input.is_empty() {
            // Input is queued but not enabled as an interrupt: nothing wakes.
            return false;
        }
        if let Some(rx) = &self.input {
            if let Ok(bytes) = rx.recv() {
                self.pending_input.extend(bytes);
                return true;
            }
            self.input = None;
            self.input_closed = true;
        }
        false
    }

    /// Move host input into the UART when its receive queue is empty (the
    /// guest may clear the FIFO while initialising).
    fn feed_input(&mut self) {
        if let Some(rx) = &self.input {
            loop {
                match rx.try_recv() {
                    Ok(bytes) => self.pending_input.extend(bytes),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.input = None;
                        self.input_closed = true;
                        break;
                    }
                }
            }
        }
        if !self.pending_input.is_empty() && !self.bus.uart.has_pending_input() {
            let bytes = std::mem::take(&mut self.pending_input);
            self.bus.uart.push_input(&bytes);
        }
    }

    /// Recompute the device-driven `mip` bits (CLINT, PLIC, Sstc).
    fn update_interrupts(&mut self) {
        let now = self.bus.mtime(self.hart.now());
        let uart = self.bus.uart.irq();
        self.bus.plic.set_level(UART0_IRQ, uart);
        for slot in 0..VIRTIO_MMIO_COUNT {
            if let Some(dev) = &self.bus.virtio[slot] {
                let level = dev.irq();
                self.bus
                    .plic
                    .set_level(VIRTIO_IRQ_BASE + slot as u32, level);
            }
        }
        let mut mip = 0;
        let mut set = |on: bool, bit: u64| {
            if on {
                mip |= 1 << bit;
            }
        };
        set(self.bus.clint.msip(0), irq::MSI);
        set(self.bus.clint.mtip(0), irq::MTI);
        set(self.bus.plic.eip(0), irq::MEI);
        set(self.bus.plic.eip(1), irq::SEI);
        let stce = self.hart.csr.menvcfg & crate::cpu::csr::MENVCFG_STCE != 0;
        set(stce && now >= self.hart.csr.stimecmp, irq::STI);
        self.hart.mip_ext = mip;
    }
}
