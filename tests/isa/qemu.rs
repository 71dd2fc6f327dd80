//! Running a bare-metal ELF on QEMU, the reference for pagewalk's platform
//! (shared by tests/baremetal.rs and tests/isa.rs through `#[path]`).

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How a QEMU run ended.
pub struct QemuRun {
    /// Exit status (None: killed by a signal). The SiFive test finisher
    /// makes QEMU exit with 0 for 0x5555 and with `code` for
    /// `(code << 16) | 0x3333`.
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Whether `qemu-system-riscv64` can be started.
pub fn available() -> bool {
    Command::new("qemu-system-riscv64")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Run `elf` on `qemu-system-riscv64 -M virt -bios none -kernel`, killed
/// after `timeout`. stdin is /dev/null and stdout a pipe, so QEMU leaves the
/// terminal alone and, with `-bios none` (no firmware), stdout holds exactly
/// the guest's UART bytes: no escape sequences, no CR/LF translation.
#[allow(dead_code)] // tests/isa.rs calls run_with_input only
pub fn run(elf: &[u8], name: &str, timeout: Duration) -> QemuRun {
    run_with_input(elf, name, timeout, &[])
}

/// [`run`], with `input` as the UART's receive data: with `-serial stdio`
/// QEMU reads its stdin into the UART, which takes a byte whenever its
/// receive buffer has room, so the guest sees the bytes in order. stdin (a
/// pipe) stays open until QEMU exits, so QEMU never sees end of file.
#[allow(dead_code)] // tests/virtio_blk.rs calls run_with_args only
pub fn run_with_input(elf: &[u8], name: &str, timeout: Duration, input: &[u8]) -> QemuRun {
    run_with_args(elf, name, timeout, input, &[])
}

/// [`run_with_input`] with `extra` QEMU arguments (e.g. `-drive`, `-device`).
pub fn run_with_args(
    elf: &[u8],
    name: &str,
    timeout: Duration,
    input: &[u8],
    extra: &[&str],
) -> QemuRun {
    let dir = std::env::temp_dir().join(format!("pagewalk-qemu-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.elf"));
    std::fs::write(&path, elf).unwrap();
    let mut child = Command::new("qemu-system-riscv64")
        .args([
            "-M",
            "virt",
            "-bios",
            "none",
            "-nographic",
            "-monitor",
            "none",
        ])
        .args(extra)
        .args(["-serial", "stdio", "-kernel"])
        .arg(&path)
        .stdin(if input.is_empty() {
            Stdio::null()
        } else {
            Stdio::piped()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qemu-system-riscv64");
    // Kept until QEMU has exited (dropping it would close the pipe).
    let stdin = child.stdin.take().map(|mut w| {
        w.write_all(input).expect("write QEMU's stdin");
        w
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&dir);
            panic!("{name}: QEMU did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let _ = std::fs::remove_dir_all(&dir);
    QemuRun {
        status: status.code(),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}
