//! The C extension (Unprivileged ISA 20191213, chapter 16 "C" Standard
//! Extension for Compressed Instructions, Tables 16.5–16.7 for RV64C):
//! every 16-bit instruction is expanded to the 32-bit instruction it stands
//! for, which the normal decoder then handles.

/// Bits `hi..=lo` of `x`, shifted down.
#[inline]
fn bits(x: u32, hi: u32, lo: u32) -> u32 {
    (x >> lo) & ((1 << (hi - lo + 1)) - 1)
}

/// Sign-extend the low `width` bits of `x`.
#[inline]
fn sext(x: u32, width: u32) -> i32 {
    ((x << (32 - width)) as i32) >> (32 - width)
}

fn itype(imm: i32, rs1: u32, funct3: u32, rd: u32, opcode: u32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
}

fn stype(imm: i32, rs2: u32, rs1: u32, funct3: u32, opcode: u32) -> u32 {
    let imm = imm as u32;
    (((imm >> 5) & 0x7f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (funct3 << 12)
        | ((imm & 0x1f) << 7)
        | opcode
}

fn rtype(funct7: u32, rs2: u32, rs1: u32, funct3: u32, rd: u32, opcode: u32) -> u32 {
    (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
}

fn btype(imm: i32, rs2: u32, rs1: u32, funct3: u32) -> u32 {
    let imm = imm as u32;
    (((imm >> 12) & 1) << 31)
        | (((imm >> 5) & 0x3f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (funct3 << 12)
        | (((imm >> 1) & 0xf) << 8)
        | (((imm >> 11) & 1) << 7)
        | 0x63
}

fn jtype(imm: i32, rd: u32) -> u32 {
    let imm = imm as u32;
    (((imm >> 20) & 1) << 31)
        | (((imm >> 1) & 0x3ff) << 21)
        | (((imm >> 11) & 1) << 20)
        | (((imm >> 12) & 0xff) << 12)
        | (rd << 7)
        | 0x6f
}

const OP_IMM: u32 = 0x13;
const OP_IMM_32: u32 = 0x1b;
const OP: u32 = 0x33;
const OP_32: u32 = 0x3b;
const LOAD: u32 = 0x03;
const STORE: u32 = 0x23;
const LOAD_FP: u32 = 0x07;
const STORE_FP: u32 = 0x27;

/// Expand a 16-bit RV64C instruction into its 32-bit equivalent, or `None`
/// for a reserved or illegal encoding (including the all-zero parcel).
pub fn expand(c: u16) -> Option<u32> {
    let c = c as u32;
    let funct3 = bits(c, 15, 13);
    // Compressed register fields x8..x15.
    let rd_p = bits(c, 4, 2) + 8;
    let rs1_p = bits(c, 9, 7) + 8;
    let rd = bits(c, 11, 7);
    let rs2 = bits(c, 6, 2);
    // The 6-bit signed immediate of CI-format instructions.
    let imm6 = sext((bits(c, 12, 12) << 5) | bits(c, 6, 2), 6);
    let shamt = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
    match (c & 3, funct3) {
        // Quadrant 0.
        (0, 0) => {
            // C.ADDI4SPN: nzuimm[5:4|9:6|2|3].
            let imm = (bits(c, 12, 11) << 4)
                | (bits(c, 10, 7) << 6)
                | (bits(c, 6, 6) << 2)
                | (bits(c, 5, 5) << 3);
            (imm != 0).then(|| itype(imm as i32, 2, 0, rd_p, OP_IMM))
        }
        (0, 1) | (0, 3) => {
            // C.FLD / C.LD: uimm[5:3|7:6].
            let imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
            let opcode = if funct3 == 1 { LOAD_FP } else { LOAD };
            Some(itype(imm as i32, rs1_p, 3, rd_p, opcode))
        }
        (0, 2) => {
            // C.LW: uimm[5:3|2|6].
            let imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
            Some(itype(imm as i32, rs1_p, 2, rd_p, LOAD))
        }
        (0, 5) | (0, 7) => {
            // C.FSD / C.SD.
            let imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
            let opcode = if funct3 == 5 { STORE_FP } else { STORE };
            Some(stype(imm as i32, rd_p, rs1_p, 3, opcode))
        }
        (0, 6) => {
            // C.SW.
            let imm = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
            Some(stype(imm as i32, rd_p, rs1_p, 2, STORE))
        }
        // Quadrant 1.
        (1, 0) => Some(itype(imm6, rd, 0, rd, OP_IMM)), // C.ADDI / C.NOP
        (1, 1) => (rd != 0).then(|| itype(imm6, rd, 0, rd, OP_IMM_32)), // C.ADDIW
        (1, 2) => Some(itype(imm6, 0, 0, rd, OP_IMM)),  // C.LI
        (1, 3) if rd == 2 => {
            // C.ADDI16SP: nzimm[9|4|6|8:7|5].
            let imm = sext(
                (bits(c, 12, 12) << 9)
                    | (bits(c, 6, 6) << 4)
                    | (bits(c, 5, 5) << 6)
                    | (bits(c, 4, 3) << 7)
                    | (bits(c, 2, 2) << 5),
                10,
            );
            (imm != 0).then(|| itype(imm, 2, 0, 2, OP_IMM))
        }
        (1, 3) => {
            // C.LUI: nzimm[17|16:12].
            (imm6 != 0).then_some((((imm6 as u32) << 12) & 0xffff_f000) | (rd << 7) | 0x37)
        }
        (1, 4) => match bits(c, 11, 10) {
            0 => Some(itype(shamt as i32, rs1_p, 5, rs1_p, OP_IMM)), // C.SRLI
            1 => Some(itype((shamt | 0x400) as i32, rs1_p, 5, rs1_p, OP_IMM)), // C.SRAI
            2 => Some(itype(imm6, rs1_p, 7, rs1_p, OP_IMM)),         // C.ANDI
            _ => {
                let rs2_p = bits(c, 4, 2) + 8;
                match (bits(c, 12, 12), bits(c, 6, 5)) {
                    (0, 0) => Some(rtype(0x20, rs2_p, rs1_p, 0, rs1_p, OP)), // C.SUB
                    (0, 1) => Some(rtype(0, rs2_p, rs1_p, 4, rs1_p, OP)),    // C.XOR
                    (0, 2) => Some(rtype(0, rs2_p, rs1_p, 6, rs1_p, OP)),    // C.OR
                    (0, 3) => Some(rtype(0, rs2_p, rs1_p, 7, rs1_p, OP)),    // C.AND
                    (1, 0) => Some(rtype(0x20, rs2_p, rs1_p, 0, rs1_p, OP_32)), // C.SUBW
                    (1, 1) => Some(rtype(0, rs2_p, rs1_p, 0, rs1_p, OP_32)), // C.ADDW
                    _ => None,
                }
            }
        },
        (1, 5) => {
            // C.J: imm[11|4|9:8|10|6|7|3:1|5].
            let imm = sext(
                (bits(c, 12, 12) << 11)
                    | (bits(c, 11, 11) << 4)
                    | (bits(c, 10, 9) << 8)
                    | (bits(c, 8, 8) << 10)
                    | (bits(c, 7, 7) << 6)
                    | (bits(c, 6, 6) << 7)
                    | (bits(c, 5, 3) << 1)
                    | (bits(c, 2, 2) << 5),
                12,
            );
            Some(jtype(imm, 0))
        }
        (1, 6) | (1, 7) => {
            // C.BEQZ / C.BNEZ: imm[8|4:3] [7:6|2:1|5].
            let imm = sext(
                (bits(c, 12, 12) << 8)
                    | (bits(c, 11, 10) << 3)
                    | (bits(c, 6, 5) << 6)
                    | (bits(c, 4, 3) << 1)
                    | (bits(c, 2, 2) << 5),
                9,
            );
            Some(btype(imm, 0, rs1_p, funct3 - 6))
        }
        // Quadrant 2.
        (2, 0) => Some(itype(shamt as i32, rd, 1, rd, OP_IMM)), // C.SLLI
        (2, 1) | (2, 3) => {
            // C.FLDSP / C.LDSP: uimm[5|4:3|8:6].
            let imm = (bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
            if funct3 == 3 && rd == 0 {
                return None;
            }
            let opcode = if funct3 == 1 { LOAD_FP } else { LOAD };
            Some(itype(imm as i32, 2, 3, rd, opcode))
        }
        (2, 2) => {
            // C.LWSP: uimm[5|4:2|7:6].
            let imm = (bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
            (rd != 0).then(|| itype(imm as i32, 2, 2, rd, LOAD))
        }
        (2, 4) => match (bits(c, 12, 12), rd, rs2) {
            (0, 0, 0) => None,
            (0, _, 0) => Some(itype(0, rd, 0, 0, 0x67)), // C.JR
            (0, _, _) => Some(rtype(0, rs2, 0, 0, rd, OP)), // C.MV
            (1, 0, 0) => Some(0x0010_0073),              // C.EBREAK
            (1, _, 0) => Some(itype(0, rd, 0, 1, 0x67)), // C.JALR
            _ => Some(rtype(0, rs2, rd, 0, rd, OP)),     // C.ADD
        },
        (2, 5) | (2, 7) => {
            // C.FSDSP / C.SDSP: uimm[5:3|8:6].
            let imm = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
            let opcode = if funct3 == 5 { STORE_FP } else { STORE };
            Some(stype(imm as i32, rs2, 2, 3, opcode))
        }
        (2, 6) => {
            // C.SWSP: uimm[5:2|7:6].
            let imm = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
            Some(stype(imm as i32, rs2, 2, 2, STORE))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn known_expansions() {
        // Pairs checked against GNU as / objdump output.
        let cases: &[(u16, u32)] = &[
            (0x0001, 0x0000_0013), // c.nop -> addi x0,x0,0
            (0x1141, 0xff01_0113), // c.addi sp,-16
            (0xe406, 0x0011_3423), // c.sdsp ra,8(sp)
            (0x60a2, 0x0081_3083), // c.ldsp ra,8(sp)
            (0x8082, 0x0000_8067), // c.jr ra (ret)
            (0x4501, 0x0000_0513), // c.li a0,0
            (0x852e, 0x00b0_0533), // c.mv a0,a1
            (0x9532, 0x00c5_0533), // c.add a0,a2
            (0x9002, 0x0010_0073), // c.ebreak
            (0x0808, 0x0101_0513), // c.addi4spn a0,sp,16
            (0x6108, 0x0005_3503), // c.ld a0,0(a0)
            (0x4108, 0x0005_2503), // c.lw a0,0(a0)
            (0xc10c, 0x00b5_2023), // c.sw a1,0(a0)
            (0x2505, 0x0015_051b), // c.addiw a0,1
            (0x6505, 0x0000_1537), // c.lui a0,0x1
            (0x8d0d, 0x40b5_0533), // c.sub a0,a1
            (0x9d2d, 0x00b5_053b), // c.addw a0,a1
            (0x8505, 0x4015_5513), // c.srai a0,1
            (0x8105, 0x0015_5513), // c.srli a0,1
            (0x0506, 0x0015_1513), // c.slli a0,1
            (0xa001, 0x0000_006f), // c.j 0
            (0xc101, 0x0005_0063), // c.beqz a0,0
        ];
        for &(c, want) in cases {
            assert_eq!(expand(c), Some(want), "c = {c:#06x}");
        }
    }

    #[test]
    fn reserved_encodings() {
        assert_eq!(expand(0x0000), None); // all-zero parcel
        assert_eq!(expand(0x6101 & !0x7c), None); // c.addi16sp with nzimm = 0
        assert_eq!(expand(0x6001), None); // c.lui x0? (rd = 0, imm = 0) -> reserved
        assert_eq!(expand(0x8002), None); // c.jr x0
        assert_eq!(expand(0x4002), None); // c.lwsp x0
    }
}
