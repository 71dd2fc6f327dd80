//! Exceptions and interrupts (Privileged ISA 20211203, §3.1.15 `mcause`,
//! Table 3.6; §3.1.9 `mip`/`mie`; §3.1.8 `medeleg`/`mideleg`).

/// Synchronous exception codes (`mcause` with the interrupt bit clear).
pub mod cause {
    pub const INSTRUCTION_ADDRESS_MISALIGNED: u64 = 0;
    pub const INSTRUCTION_ACCESS_FAULT: u64 = 1;
    pub const ILLEGAL_INSTRUCTION: u64 = 2;
    pub const BREAKPOINT: u64 = 3;
    pub const LOAD_ADDRESS_MISALIGNED: u64 = 4;
    pub const LOAD_ACCESS_FAULT: u64 = 5;
    pub const STORE_ADDRESS_MISALIGNED: u64 = 6;
    pub const STORE_ACCESS_FAULT: u64 = 7;
    pub const ECALL_FROM_U: u64 = 8;
    pub const ECALL_FROM_S: u64 = 9;
    pub const ECALL_FROM_M: u64 = 11;
    pub const INSTRUCTION_PAGE_FAULT: u64 = 12;
    pub const LOAD_PAGE_FAULT: u64 = 13;
    pub const STORE_PAGE_FAULT: u64 = 15;
}

/// Interrupt numbers: bit positions in `mip`/`mie` and the `mcause` code.
pub mod irq {
    pub const SSI: u64 = 1;
    pub const MSI: u64 = 3;
    pub const STI: u64 = 5;
    pub const MTI: u64 = 7;
    pub const SEI: u64 = 9;
    pub const MEI: u64 = 11;
    /// Interrupts in decreasing priority (§3.1.9: MEI, MSI, MTI, SEI, SSI, STI).
    pub const PRIORITY: [u64; 6] = [MEI, MSI, MTI, SEI, SSI, STI];
    /// Interrupt bit of `mcause`/`scause` on RV64.
    pub const INTERRUPT_BIT: u64 = 1 << 63;
}

/// A synchronous exception: its cause code and the value for `xtval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trap {
    /// Exception code (one of [`cause`]).
    pub cause: u64,
    /// Trap value: faulting address, or instruction bits for illegal
    /// instructions, or 0.
    pub tval: u64,
}

impl Trap {
    pub const fn new(cause: u64, tval: u64) -> Trap {
        Trap { cause, tval }
    }
    /// Illegal instruction with the instruction bits in `xtval` (§3.1.16).
    pub const fn illegal(raw: u32) -> Trap {
        Trap::new(cause::ILLEGAL_INSTRUCTION, raw as u64)
    }
}

/// Names of the exception causes, for messages.
pub fn cause_name(cause: u64) -> &'static str {
    if cause & irq::INTERRUPT_BIT != 0 {
        return match cause & !irq::INTERRUPT_BIT {
            irq::SSI => "supervisor software interrupt",
            irq::MSI => "machine software interrupt",
            irq::STI => "supervisor timer interrupt",
            irq::MTI => "machine timer interrupt",
            irq::SEI => "supervisor external interrupt",
            irq::MEI => "machine external interrupt",
            _ => "unknown interrupt",
        };
    }
    match cause {
        cause::INSTRUCTION_ADDRESS_MISALIGNED => "instruction address misaligned",
        cause::INSTRUCTION_ACCESS_FAULT => "instruction access fault",
        cause::ILLEGAL_INSTRUCTION => "illegal instruction",
        cause::BREAKPOINT => "breakpoint",
        cause::LOAD_ADDRESS_MISALIGNED => "load address misaligned",
        cause::LOAD_ACCESS_FAULT => "load access fault",
        cause::STORE_ADDRESS_MISALIGNED => "store/AMO address misaligned",
        cause::STORE_ACCESS_FAULT => "store/AMO access fault",
        cause::ECALL_FROM_U => "environment call from U-mode",
        cause::ECALL_FROM_S => "environment call from S-mode",
        cause::ECALL_FROM_M => "environment call from M-mode",
        cause::INSTRUCTION_PAGE_FAULT => "instruction page fault",
        cause::LOAD_PAGE_FAULT => "load page fault",
        cause::STORE_PAGE_FAULT => "store/AMO page fault",
        _ => "unknown exception",
    }
}
