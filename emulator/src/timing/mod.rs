//! Timing model. Until the cycle-approximate model lands every instruction
//! costs one cycle (CPI = 1), which is what virtual time is derived from.
