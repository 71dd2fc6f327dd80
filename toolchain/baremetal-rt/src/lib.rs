//! Bare-metal runtime for the QEMU `virt` platform, shared by the project's
//! bare-metal programs (they run the same on pagewalk and on
//! `qemu-system-riscv64 -M virt -bios none -kernel`).
//!
//! - `_start` (in `.text.init`, linked at 0x8000_0000 by
//!   `toolchain/link/baremetal.ld`): hart 0 sets gp and sp, clears .bss and
//!   calls the function named by [`entry!`]; other harts park in WFI.
//! - [`print!`]/[`println!`] on the 16550 UART at 0x1000_0000.
//! - [`exit`] through the SiFive test finisher at 0x10_0000.
//! - A panic handler that prints the panic and exits with code 1.
//! - [`sv39`]: an identity map with 4 KiB pages and the entry into S-mode.
#![no_std]

pub mod console;
mod mmio;
pub mod sv39;

pub use console::Uart;

core::arch::global_asm!(
    r#"
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    bnez a0, 3f
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call __baremetal_main
3:  wfi
    j 3b
"#
);

/// Name the program's entry function, `fn(hartid: usize) -> !`.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[no_mangle]
        extern "C" fn __baremetal_main(hartid: usize) -> ! {
            let main: fn(usize) -> ! = $main;
            main(hartid)
        }
    };
}

/// SiFive test finisher (QEMU `hw/misc/sifive_test.c`): 0x5555 = pass,
/// `(code << 16) | 0x3333` = fail with `code`.
const FINISHER: usize = 0x10_0000;

/// Power off with exit status `code` (0 = success).
pub fn exit(code: u16) -> ! {
    let value = if code == 0 {
        0x5555
    } else {
        ((code as u32) << 16) | 0x3333
    };
    mmio::write32(FINISHER, value);
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    println!("panic: {info}");
    exit(1)
}
