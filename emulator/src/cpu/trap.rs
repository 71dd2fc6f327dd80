//! Exceptions and interrupts (Privileged ISA 20211203, §3.1.15 `mcause`,
//! Table 3.6; §3.1.9 `mip`/`mie`; §3.1.8 `medeleg`/`mideleg`).

/// Synchronous exception codes (`mcause` with the interrupt bit clear).
pub mod cause {
    /// Instruction address misaligned (cannot occur with C: IALIGN = 16).
    pub const INSTRUCTION_ADDRESS_MISALIGNED: u64 = 0;
    /// Instruction access fault (PMP, or no memory).
    pub const INSTRUCTION_ACCESS_FAULT: u64 = 1;
    /// Illegal instruction; `xtval` = the instruction bits.
    pub const ILLEGAL_INSTRUCTION: u64 = 2;
    /// Breakpoint (EBREAK); `xtval` = pc.
    pub const BREAKPOINT: u64 = 3;
    /// Load address misaligned (LR only: other loads are done in hardware).
    pub const LOAD_ADDRESS_MISALIGNED: u64 = 4;
    /// Load access fault.
    pub const LOAD_ACCESS_FAULT: u64 = 5;
    /// Store/AMO address misaligned (SC and AMOs only).
    pub const STORE_ADDRESS_MISALIGNED: u64 = 6;
    /// Store/AMO access fault.
    pub const STORE_ACCESS_FAULT: u64 = 7;
    /// Environment call from U-mode.
    pub const ECALL_FROM_U: u64 = 8;
    /// Environment call from S-mode.
    pub const ECALL_FROM_S: u64 = 9;
    /// Environment call from M-mode.
    pub const ECALL_FROM_M: u64 = 11;
    /// Instruction page fault.
    pub const INSTRUCTION_PAGE_FAULT: u64 = 12;
    /// Load page fault.
    pub const LOAD_PAGE_FAULT: u64 = 13;
    /// Store/AMO page fault.
    pub const STORE_PAGE_FAULT: u64 = 15;
}

/// Interrupt numbers: bit positions in `mip`/`mie` and the `mcause` code.
pub mod irq {
    /// Supervisor software interrupt.
    pub const SSI: u64 = 1;
    /// Machine software interrupt.
    pub const MSI: u64 = 3;
    /// Supervisor timer interrupt.
    pub const STI: u64 = 5;
    /// Machine timer interrupt.
    pub const MTI: u64 = 7;
    /// Supervisor external interrupt.
    pub const SEI: u64 = 9;
    /// Machine external interrupt.
    pub const MEI: u64 = 11;
    /// Interrupts in decreasing priority (§3.1.9: MEI, MSI, MTI, SEI, SSI, STI).
    pub const PRIORITY: [u64; 6] = [MEI, MSI, MTI, SEI, SSI, STI];
    /// Interrupt bit of `mcause`/`scause` on RV64.
    pub const INTERRUPT_BIT: u64 = 1 << 63;
}

/// Not a cause: what executing an undecoded decode-cache slot returns, so
/// the interpreter loop falls back to the slow fetch path.
pub(crate) const NEEDS_SLOW_FETCH: u64 = u64::MAX;

/// Not a cause: what a jump or branch returns in a block (see
/// `cpu::block`): it retired, set `pc`, and the block is over.
pub(crate) const BLOCK_END: u64 = u64::MAX - 1;

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
    /// An exception with cause code `cause` and trap value `tval`.
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
