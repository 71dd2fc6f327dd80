//! The virtio-blk device (VIRTIO 1.2 §4.2 virtio-mmio, §5.2 block device)
//! driven by the bare-metal `virtio_blk_test` guest: on pagewalk with a
//! temporary disk holding a known pattern (guest output, the file after the
//! guest's writes, the disk statistics), through the CLI (`--disk`,
//! `--swap`, errors), and on QEMU with the same image and disk contents.

use pagewalk::guest::BAREMETAL_VIRTIO_BLK_TEST;
use pagewalk::machine::{Config, Console, DiskConfig, Machine, Outcome};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[path = "isa/qemu.rs"]
mod qemu;

/// Sectors of the test disk.
const SECTORS: u64 = 64;

const EXPECTED: &str = "virtio-blk test
slot 0: magic 0x74726976 version 2 device id 2
slot 1: magic 0x74726976 version 2 device id 0
slot 2: magic 0x74726976 version 2 device id 0
slot 3: magic 0x74726976 version 2 device id 0
slot 4: magic 0x74726976 version 2 device id 0
slot 5: magic 0x74726976 version 2 device id 0
slot 6: magic 0x74726976 version 2 device id 0
slot 7: magic 0x74726976 version 2 device id 0
using slot 0, PLIC source 1
features: VERSION_1 yes FLUSH yes BLK_SIZE yes RO no
FEATURES_OK accepted: yes
status 0xf
capacity 64 sectors, blk_size 512
read 0..4: status 0, used 2049, pattern ok
read 5..8 (3 segments): status 0, used 1537, pattern ok
write 8..10: status 0, used 1
read back 8..10: status 0, data ok
read past the end: status 1 (IOERR = 1)
request type 99: status 2 (UNSUPP = 2)
GET_ID: status 0, serial \"pagewalk-vd0\"
FLUSH: status 0, used 1
virtio-blk test: all ok
";

/// The disk's initial contents (guest-os/baremetal/virtio_blk_test `pattern`).
fn pattern(o: u64) -> u8 {
    (o.wrapping_mul(7) ^ (o >> 9).wrapping_mul(37)) as u8
}

/// What the guest writes to sectors 8..10 (`written` in the guest).
fn written(o: u64) -> u8 {
    !pattern(o) ^ 0x3c
}

fn temp_disk(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("pagewalk-vblk-{}-{name}.img", std::process::id()));
    let bytes: Vec<u8> = (0..SECTORS * 512).map(pattern).collect();
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The disk after the guest ran: sectors 8..10 rewritten, the rest intact.
fn check_disk_after(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(bytes.len() as u64, SECTORS * 512);
    for (o, &b) in bytes.iter().enumerate() {
        let o = o as u64;
        let want = if (8 * 512..10 * 512).contains(&o) {
            written(o)
        } else {
            pattern(o)
        };
        assert_eq!(b, want, "disk byte {o:#x}");
    }
}

#[test]
fn virtio_blk_on_pagewalk() {
    let path = temp_disk("pagewalk");
    let mut m = Machine::new(Config {
        console: Console::Capture { input: vec![] },
        max_instructions: Some(50_000_000),
        disks: vec![DiskConfig::open(&path, false).unwrap()],
        ..Config::default()
    });
    m.load_elf(BAREMETAL_VIRTIO_BLK_TEST).unwrap();
    let outcome = m.run();
    let out = String::from_utf8_lossy(&m.take_output()).into_owned();
    assert_eq!(out, EXPECTED);
    assert_eq!(outcome, Outcome::Finisher { code: 0 });
    check_disk_after(&path);

    // 8 requests: IN 4 + 3 sectors, OUT 2, IN 2, IN past the end (IOERR,
    // not counted as read), UNSUPP, GET_ID, FLUSH.
    let stats = m.stats_json();
    let disks = stats["disks"].as_array().expect("disks array");
    assert_eq!(disks.len(), 1);
    let d = &disks[0];
    assert_eq!(d["slot"], 0);
    assert_eq!(d["path"], path.display().to_string());
    assert_eq!(d["requests"], 8);
    assert_eq!(d["sectors_read"], 9);
    assert_eq!(d["sectors_written"], 2);
    assert_eq!(d["flushes"], 1);
    assert!(m
        .stats_summary()
        .contains("8 requests, 9 sectors read, 2 sectors written, 1 flushes"));
    std::fs::remove_file(path).unwrap();
}

#[test]
fn no_disk_probes_empty_slots() {
    let mut m = Machine::new(Config {
        max_instructions: Some(50_000_000),
        ..Config::default()
    });
    m.load_elf(BAREMETAL_VIRTIO_BLK_TEST).unwrap();
    let outcome = m.run();
    let out = String::from_utf8_lossy(&m.take_output()).into_owned();
    assert!(out.contains("slot 0: magic 0x74726976 version 2 device id 0\n"));
    assert!(out.ends_with("no virtio-blk device\n"), "{out}");
    assert_eq!(outcome, Outcome::Finisher { code: 2 });
    assert_eq!(m.stats_json()["disks"], serde_json::json!([]));
}

fn pagewalk(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pagewalk"))
        .args(args)
        .output()
        .expect("run pagewalk")
}

#[test]
fn cli_disk_swap_and_stats() {
    let path = temp_disk("cli");
    let json = std::env::temp_dir().join(format!("pagewalk-vblk-{}-cli.json", std::process::id()));
    let out = pagewalk(&[
        "run",
        "virtio_blk_test",
        "--disk",
        path.to_str().unwrap(),
        "--swap",
        "64M",
        "--stats",
        "--stats-json",
        json.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        EXPECTED.replace(
            "slot 1: magic 0x74726976 version 2 device id 0",
            "slot 1: magic 0x74726976 version 2 device id 2",
        )
    );
    assert!(stderr.contains("disk 0 "), "{stderr}");
    assert!(
        stderr.contains("disk 1 (temporary, 67108864 bytes): 0 requests"),
        "{stderr}"
    );
    check_disk_after(&path);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["disks"][0]["sectors_written"], 2);
    assert_eq!(v["disks"][1]["slot"], 1);
    assert_eq!(v["disks"][1]["requests"], 0);
    std::fs::remove_file(path).unwrap();
    std::fs::remove_file(json).unwrap();
}

#[test]
fn cli_disk_errors() {
    for args in [
        &["run", "hello-baremetal", "--disk", "/nonexistent/disk.img"][..],
        &["run", "hello-baremetal", "--swap", "/nonexistent/swap.img"][..],
        &["run", "hello-baremetal", "--swap", "12Q"][..],
    ] {
        let out = pagewalk(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("pagewalk: error: --"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn virtio_blk_matches_qemu() {
    if !qemu::available() {
        eprintln!("skipped: qemu-system-riscv64 not installed");
        return;
    }
    let path = temp_disk("qemu");
    let drive = format!("file={},if=none,format=raw,id=d0", path.display());
    // bus=virtio-mmio-bus.0: QEMU otherwise puts the first device in the
    // last free transport (slot 7).
    let q = qemu::run_with_args(
        BAREMETAL_VIRTIO_BLK_TEST,
        "virtio_blk_test",
        Duration::from_secs(30),
        &[],
        &[
            "-global",
            "virtio-mmio.force-legacy=false",
            "-drive",
            &drive,
            "-device",
            "virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0,serial=pagewalk-vd0",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&q.stdout),
        EXPECTED,
        "QEMU stderr: {}",
        q.stderr
    );
    assert_eq!(q.status, Some(0), "QEMU stderr: {}", q.stderr);
    check_disk_after(&path);
    std::fs::remove_file(path).unwrap();
}
