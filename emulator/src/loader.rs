//! ELF loading (goblin): validation, PT_LOAD segments into DRAM at their
//! physical addresses (as QEMU's `-kernel` does for bare-metal images), the
//! entry point, and the symbols the machine needs (`tohost`, `fromhost`).

use crate::bus::{Bus, DRAM_BASE};
use goblin::elf::{header, program_header, Elf};
use thiserror::Error;

/// Why an image cannot be loaded. Each is a user error: the CLI prints it
/// on one line and exits with status 2.
#[derive(Debug, Error, PartialEq, Eq)]
#[allow(missing_docs)] // each variant's message is its documentation
pub enum LoadError {
    #[error("not an ELF file (bad magic)")]
    NotElf,
    #[error("ELF file is truncated or malformed: {0}")]
    Malformed(String),
    #[error("ELF class is {0}, expected ELF64 (pagewalk emulates RV64)")]
    WrongClass(&'static str),
    #[error("ELF is big-endian; RISC-V is little-endian")]
    BigEndian,
    #[error("ELF machine is {0} ({1}), expected RISC-V (243)")]
    WrongMachine(&'static str, u16),
    #[error("ELF type is {0}, expected an executable (ET_EXEC)")]
    NotExecutable(&'static str),
    #[error("ELF has no loadable segments")]
    NoSegments,
    #[error(
        "segment at {addr:#x}..{end:#x} lies outside DRAM {base:#x}..{top:#x} (try a larger --memory)",
        end = addr + size,
        base = DRAM_BASE,
        top = DRAM_BASE + dram
    )]
    SegmentOutsideDram { addr: u64, size: u64, dram: u64 },
    #[error("entry point {0:#x} is not inside a loaded segment")]
    EntryOutsideImage(u64),
}

/// What the loader found in an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Entry point (physical address).
    pub entry: u64,
    /// Address of the `tohost` symbol, if any.
    pub tohost: Option<u64>,
    /// Address of the `fromhost` symbol, if any.
    pub fromhost: Option<u64>,
    /// Loaded segments as (physical address, bytes in memory).
    pub segments: Vec<(u64, u64)>,
}

/// Parse and validate `bytes` as an RV64 executable without loading it.
pub fn parse(bytes: &[u8]) -> Result<Elf<'_>, LoadError> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return Err(LoadError::NotElf);
    }
    if bytes.len() < header::SIZEOF_IDENT {
        return Err(LoadError::Malformed(
            "shorter than the ELF identification".into(),
        ));
    }
    match bytes[header::EI_CLASS] {
        header::ELFCLASS64 => {}
        header::ELFCLASS32 => return Err(LoadError::WrongClass("ELF32")),
        _ => return Err(LoadError::WrongClass("invalid")),
    }
    if bytes[header::EI_DATA] != header::ELFDATA2LSB {
        return Err(LoadError::BigEndian);
    }
    let elf = Elf::parse(bytes).map_err(|e| LoadError::Malformed(e.to_string()))?;
    if elf.header.e_machine != header::EM_RISCV {
        let m = elf.header.e_machine;
        return Err(LoadError::WrongMachine(header::machine_to_str(m), m));
    }
    if elf.header.e_type != header::ET_EXEC {
        return Err(LoadError::NotExecutable(header::et_to_str(
            elf.header.e_type,
        )));
    }
    Ok(elf)
}

/// Load a bare-metal RV64 executable into DRAM. Nothing is written unless
/// every segment fits.
pub fn load(bus: &mut Bus, bytes: &[u8]) -> Result<Image, LoadError> {
    let elf = parse(bytes)?;
    let dram = bus.dram_size();
    let mut segments = Vec::new();
    for ph in elf
        .program_headers
        .iter()
        .filter(|p| p.p_type == program_header::PT_LOAD && p.p_memsz > 0)
    {
        let (off, filesz, memsz, addr) = (ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_paddr);
        if filesz > memsz {
            return Err(LoadError::Malformed(format!(
                "segment at {addr:#x} has p_filesz {filesz:#x} > p_memsz {memsz:#x}"
            )));
        }
        if off
            .checked_add(filesz)
            .is_none_or(|end| end > bytes.len() as u64)
        {
            return Err(LoadError::Malformed(format!(
                "segment at {addr:#x} needs file bytes {off:#x}..{:#x}, file has {:#x}",
                off.saturating_add(filesz),
                bytes.len()
            )));
        }
        if bus.dram_offset(addr, memsz).is_none() {
            return Err(LoadError::SegmentOutsideDram {
                addr,
                size: memsz,
                dram,
            });
        }
        segments.push((addr, memsz, off as usize, filesz as usize));
    }
    if segments.is_empty() {
        return Err(LoadError::NoSegments);
    }
    let entry = elf.entry;
    if !segments
        .iter()
        .any(|&(a, m, _, _)| entry >= a && entry < a + m)
    {
        return Err(LoadError::EntryOutsideImage(entry));
    }
    for &(addr, memsz, off, filesz) in &segments {
        let mut data = bytes[off..off + filesz].to_vec();
        data.resize(memsz as usize, 0);
        bus.write_bytes(addr, &data)
            .expect("segment range checked above");
    }
    let symbol = |name: &str| {
        elf.syms
            .iter()
            .find(|s| elf.strtab.get_at(s.st_name) == Some(name))
            .map(|s| s.st_value)
    };
    Ok(Image {
        entry,
        tohost: symbol("tohost"),
        fromhost: symbol("fromhost"),
        segments: segments.iter().map(|&(a, m, _, _)| (a, m)).collect(),
    })
}
