//! Helpers shared by the integration tests: a minimal ELF64 writer for
//! hand-made images (bad-input and machine tests need images the guest
//! toolchain would refuse to produce).
#![allow(dead_code)]

/// Build an ELF64 little-endian executable with `machine` (243 = RISC-V),
/// entry point `entry` and one PT_LOAD segment per `(paddr, bytes)`.
pub fn elf64(machine: u16, entry: u64, segments: &[(u64, &[u8])]) -> Vec<u8> {
    let ehsize = 64u64;
    let phentsize = 56u64;
    let phoff = ehsize;
    let mut data_off = phoff + phentsize * segments.len() as u64;
    let mut out = Vec::new();
    out.extend_from_slice(b"\x7fELF");
    out.extend_from_slice(&[2, 1, 1, 0]); // ELFCLASS64, little-endian, version 1, SYSV
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    out.extend_from_slice(&machine.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&phoff.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes()); // no section headers
    out.extend_from_slice(&0u32.to_le_bytes()); // flags
    out.extend_from_slice(&(ehsize as u16).to_le_bytes());
    out.extend_from_slice(&(phentsize as u16).to_le_bytes());
    out.extend_from_slice(&(segments.len() as u16).to_le_bytes());
    out.extend_from_slice(&64u16.to_le_bytes()); // shentsize
    out.extend_from_slice(&0u16.to_le_bytes()); // shnum
    out.extend_from_slice(&0u16.to_le_bytes()); // shstrndx
    let mut payload = Vec::new();
    for (paddr, bytes) in segments {
        out.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        out.extend_from_slice(&7u32.to_le_bytes()); // RWX
        out.extend_from_slice(&data_off.to_le_bytes());
        out.extend_from_slice(&paddr.to_le_bytes()); // vaddr
        out.extend_from_slice(&paddr.to_le_bytes()); // paddr
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(&8u64.to_le_bytes());
        payload.extend_from_slice(bytes);
        data_off += bytes.len() as u64;
    }
    out.extend_from_slice(&payload);
    out
}

/// RISC-V code: little-endian 32-bit instruction words.
pub fn code(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// `lui a0, 0x100; addi a1, zero, 0x555; slli/... ` is tedious by hand, so
/// a few instructions are provided as encoders.
pub mod rv {
    pub fn lui(rd: u32, imm20: u32) -> u32 {
        (imm20 << 12) | (rd << 7) | 0x37
    }
    pub fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13
    }
    pub fn sw(rs2: u32, rs1: u32, imm: i32) -> u32 {
        let imm = imm as u32;
        ((imm >> 5 & 0x7f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (2 << 12)
            | ((imm & 0x1f) << 7)
            | 0x23
    }
    pub fn jalr(rd: u32, rs1: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x67
    }
    pub const WFI: u32 = 0x1050_0073;
    /// `j .` (jal x0, 0)
    pub const SPIN: u32 = 0x0000_006f;
}

/// A program that exits through the SiFive test finisher with `code`
/// (0 = pass).
pub fn finisher_exit(code: u16) -> Vec<u32> {
    use rv::*;
    let value = if code == 0 {
        0x5555
    } else {
        ((code as u32) << 16) | 0x3333
    };
    vec![
        lui(5, 0x100),                      // t0 = 0x100000
        lui(6, value >> 12),                // t1 = value & !0xfff (sign issues avoided below)
        addi(6, 6, (value & 0xfff) as i32), // value < 2^31 for the codes used
        sw(6, 5, 0),
        SPIN,
    ]
}
