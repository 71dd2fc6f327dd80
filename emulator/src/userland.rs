//! Running user programs under the guest kernel (`pagewalk run PROGRAM
//! ARGS...`), following guest-os/kernel/PROTOCOL.md: the program and the
//! built-in user programs go into a ustar root image with `etc/cmdline`,
//! attached as the virtio-blk disk with serial `root`; the kernel boots
//! like any bare-metal image; at exit its counters are read from the
//! `PAGEWALK_KERNEL_STATS` array in guest memory.

use crate::bus::Bus;
use crate::machine::DiskConfig;
use goblin::elf::{program_header, Elf};
use std::io::Write;

/// Serial of the root disk (PROTOCOL.md).
pub const ROOT_SERIAL: &str = "root";
/// Serial of the swap disk (PROTOCOL.md).
pub const SWAP_SERIAL: &str = "swap";

/// Whether an (already validated) ELF is a user program rather than a
/// bare-metal image: all its loadable segments lie below DRAM (user
/// programs are linked at 0x10000). Anything touching DRAM is bare-metal,
/// and the loader rejects segments that do not fit.
pub fn is_user_program(elf: &Elf<'_>) -> bool {
    let mut loads = elf
        .program_headers
        .iter()
        .filter(|p| p.p_type == program_header::PT_LOAD && p.p_memsz > 0)
        .peekable();
    loads.peek().is_some()
        && loads.all(|p| p.p_vaddr.saturating_add(p.p_memsz) <= crate::bus::DRAM_BASE)
}

/// The root archive (ustar): `bin/<name>` for each program (mode 0755) and
/// `etc/cmdline` = `options -- argv...` (one line).
pub fn root_image(programs: &[(&str, &[u8])], options: &str, argv: &[String]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    tar.mode(tar::HeaderMode::Deterministic);
    let mut add = |path: &str, data: &[u8], mode: u32| {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mtime(0);
        tar.append_data(&mut h, path, data)
            .expect("appending to an in-memory archive cannot fail");
    };
    for (name, elf) in programs {
        add(&format!("bin/{name}"), elf, 0o755);
    }
    let line = if options.is_empty() {
        format!("-- {}\n", argv.join(" "))
    } else {
        format!("{options} -- {}\n", argv.join(" "))
    };
    add("etc/cmdline", line.as_bytes(), 0o644);
    tar.into_inner()
        .expect("finishing an in-memory archive cannot fail")
}

/// A read-only virtio-blk disk holding `image`, with GET_ID serial `serial`
/// (backed by an unlinked temporary file).
pub fn image_disk(image: &[u8], serial: &str) -> std::io::Result<DiskConfig> {
    let mut disk = DiskConfig::temporary(image.len().next_multiple_of(512) as u64)?;
    disk.file.write_all(image)?;
    disk.read_only = true;
    disk.serial = serial.to_string();
    disk.path = format!("({serial} image, {} bytes)", image.len());
    Ok(disk)
}

/// The kernel counters of PROTOCOL.md, by name, in order (from index 2).
pub const KERNEL_COUNTERS: [&str; 10] = [
    "pgfault",
    "pgmajfault",
    "pswpin",
    "pswpout",
    "pgpgin",
    "pgpgout",
    "pgsteal",
    "cow_fault",
    "forks",
    "oom_kills",
];

/// Magic value of `PAGEWALK_KERNEL_STATS[0]`: "pagewalk".
const STATS_MAGIC: u64 = 0x7061_6765_7761_6c6b;

/// Physical address of the kernel's `PAGEWALK_KERNEL_STATS` array, found
/// through the ELF symbol table and the program headers (vaddr → paddr).
pub fn kernel_stats_address(kernel: &[u8]) -> Option<u64> {
    let elf = Elf::parse(kernel).ok()?;
    let sym = elf
        .syms
        .iter()
        .find(|s| elf.strtab.get_at(s.st_name) == Some("PAGEWALK_KERNEL_STATS"))?;
    let v = sym.st_value;
    elf.program_headers
        .iter()
        .filter(|p| p.p_type == program_header::PT_LOAD)
        .find(|p| v >= p.p_vaddr && v < p.p_vaddr + p.p_memsz)
        .map(|p| p.p_paddr + (v - p.p_vaddr))
}

/// The kernel counters at `address` in guest memory, by name; `None` if the
/// array is not there or not initialised (magic, version 1).
pub fn read_kernel_stats(bus: &Bus, address: u64) -> Option<Vec<(&'static str, u64)>> {
    let word = |i: u64| -> Option<u64> {
        Some(u64::from_le_bytes(
            bus.read_bytes(address + 8 * i, 8)?.try_into().ok()?,
        ))
    };
    if word(0)? != STATS_MAGIC || word(1)? != 1 {
        return None;
    }
    KERNEL_COUNTERS
        .iter()
        .enumerate()
        .map(|(i, &name)| Some((name, word(2 + i as u64)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_image_is_a_ustar_archive_with_the_programs_and_cmdline() {
        let img = root_image(
            &[("hello", b"\x7fELF-hello"), ("init", b"\x7fELF-init")],
            "policy=clock",
            &["/bin/hello".to_string(), "a b".to_string()],
        );
        assert_eq!(img.len() % 512, 0);
        assert_eq!(&img[257..262], b"ustar");
        let mut ar = tar::Archive::new(&img[..]);
        let mut seen = Vec::new();
        for e in ar.entries().unwrap() {
            let mut e = e.unwrap();
            let path = e.path().unwrap().display().to_string();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            seen.push((path, e.header().mode().unwrap(), data));
        }
        assert_eq!(
            seen[0],
            ("bin/hello".into(), 0o755, b"\x7fELF-hello".to_vec())
        );
        assert_eq!(seen[1].0, "bin/init");
        assert_eq!(
            seen[2],
            (
                "etc/cmdline".into(),
                0o644,
                b"policy=clock -- /bin/hello a b\n".to_vec()
            )
        );
    }

    #[test]
    fn kernel_stats_are_read_only_when_initialised() {
        let mut bus = Bus::new(
            1 << 20,
            1,
            crate::devices::ConsoleSink::Buffer(Vec::new()),
            100,
        );
        let at = crate::bus::DRAM_BASE + 0x1000;
        assert_eq!(read_kernel_stats(&bus, at), None);
        let mut words = vec![STATS_MAGIC, 1];
        words.extend(1..=10u64);
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        bus.write_bytes(at, &bytes).unwrap();
        let stats = read_kernel_stats(&bus, at).unwrap();
        assert_eq!(stats[0], ("pgfault", 1));
        assert_eq!(stats[9], ("oom_kills", 10));
    }
}
