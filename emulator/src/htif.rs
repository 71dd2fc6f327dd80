//! HTIF, the Berkeley host-target interface as Spike's front-end server
//! (riscv-isa-sim `fesvr/`) implements it: the guest writes a command to the
//! `tohost` doubleword and the host answers in `fromhost`. Both are found by
//! ELF symbol. Supported: exit (device 0, low bit set), the syscall proxy
//! (device 0, a pointer to `magic_mem`) for `write` (64) and `exit` (93), and
//! the console putchar (device 1, command 1).

use crate::bus::Bus;

/// fesvr syscall numbers (riscv-pk / Linux asm-generic).
const SYS_WRITE: u64 = 64;
const SYS_EXIT: u64 = 93;
const ENOSYS: i64 = 38;

/// The HTIF mailbox addresses (physical).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Htif {
    /// Address of the `tohost` symbol.
    pub tohost: u64,
    /// Address of the `fromhost` symbol, if the image has one.
    pub fromhost: Option<u64>,
}

impl Htif {
    /// Service a write to `tohost`. Returns `Some(code)` when the guest
    /// asked to exit (0 = pass; riscv-tests encode a failing TESTNUM as
    /// `code`).
    pub fn service(&mut self, bus: &mut Bus) -> Option<u64> {
        let v = u64::from_le_bytes(bus.read_bytes(self.tohost, 8)?.try_into().ok()?);
        if v == 0 {
            return None;
        }
        let device = v >> 56;
        let command = (v >> 48) & 0xff;
        let payload = v & ((1 << 48) - 1);
        // The host consumes the command: tohost goes back to zero.
        let _ = bus.write_bytes(self.tohost, &[0; 8]);
        match (device, command) {
            (0, 0) if payload & 1 != 0 => return Some(payload >> 1),
            (0, 0) => return self.syscall(bus, payload),
            (1, 1) => {
                bus.uart.emit(&[payload as u8]);
                self.respond(bus, (1 << 56) | (1 << 48));
            }
            _ => log::warn!("htif: ignoring command {v:#x}"),
        }
        None
    }

    fn respond(&self, bus: &mut Bus, value: u64) {
        if let Some(fromhost) = self.fromhost {
            let _ = bus.write_bytes(fromhost, &value.to_le_bytes());
        }
    }

    /// The fesvr syscall proxy: `magic_mem[0..4]` = which, arg0, arg1, arg2;
    /// the result goes back in `magic_mem[0]` and `fromhost` = 1.
    fn syscall(&mut self, bus: &mut Bus, magic: u64) -> Option<u64> {
        let word = |bus: &Bus, i: u64| -> Option<u64> {
            Some(u64::from_le_bytes(
                bus.read_bytes(magic + 8 * i, 8)?.try_into().ok()?,
            ))
        };
        let (Some(which), Some(a0), Some(a1), Some(a2)) =
            (word(bus, 0), word(bus, 1), word(bus, 2), word(bus, 3))
        else {
            log::warn!("htif: syscall block at {magic:#x} is outside DRAM");
            return None;
        };
        let ret = match which {
            SYS_WRITE if a0 == 1 || a0 == 2 => match bus.read_bytes(a1, a2 as usize) {
                Some(bytes) => {
                    let bytes = bytes.to_vec();
                    bus.uart.emit(&bytes);
                    a2 as i64
                }
                None => -14, // EFAULT
            },
            SYS_EXIT => return Some(a0),
            _ => {
                log::warn!("htif: unsupported syscall {which}");
                -ENOSYS
            }
        };
        let _ = bus.write_bytes(magic, &(ret as u64).to_le_bytes());
        self.respond(bus, 1);
        None
    }
}
