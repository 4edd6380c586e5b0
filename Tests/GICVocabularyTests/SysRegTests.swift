import Testing
@testable import GICVocabulary

/// GICVocabulary.docc/GICv3RegisterMap.md, row by row: name, (op0, op1, CRn, CRm, op2), instr.
private let docTable: [(String, [UInt8], UInt16)] = [
    ("ICC_PMR_EL1", [3, 0, 4, 6, 0], 0xC230),
    ("ICC_BPR0_EL1", [3, 0, 12, 8, 3], 0xC643),
    ("ICC_AP0R0_EL1", [3, 0, 12, 8, 4], 0xC644),
    ("ICC_AP0R1_EL1", [3, 0, 12, 8, 5], 0xC645),
    ("ICC_AP0R2_EL1", [3, 0, 12, 8, 6], 0xC646),
    ("ICC_AP0R3_EL1", [3, 0, 12, 8, 7], 0xC647),
    ("ICC_AP1R0_EL1", [3, 0, 12, 9, 0], 0xC648),
    ("ICC_AP1R1_EL1", [3, 0, 12, 9, 1], 0xC649),
    ("ICC_AP1R2_EL1", [3, 0, 12, 9, 2], 0xC64A),
    ("ICC_AP1R3_EL1", [3, 0, 12, 9, 3], 0xC64B),
    ("ICC_BPR1_EL1", [3, 0, 12, 12, 3], 0xC663),
    ("ICC_CTLR_EL1", [3, 0, 12, 12, 4], 0xC664),
    ("ICC_SRE_EL1", [3, 0, 12, 12, 5], 0xC665),
    ("ICC_IGRPEN0_EL1", [3, 0, 12, 12, 6], 0xC666),
    ("ICC_IGRPEN1_EL1", [3, 0, 12, 12, 7], 0xC667),
    ("ICH_AP0R0_EL2", [3, 4, 12, 8, 0], 0xE640),
    ("ICH_AP0R1_EL2", [3, 4, 12, 8, 1], 0xE641),
    ("ICH_AP0R2_EL2", [3, 4, 12, 8, 2], 0xE642),
    ("ICH_AP0R3_EL2", [3, 4, 12, 8, 3], 0xE643),
    ("ICH_AP1R0_EL2", [3, 4, 12, 9, 0], 0xE648),
    ("ICH_AP1R1_EL2", [3, 4, 12, 9, 1], 0xE649),
    ("ICH_AP1R2_EL2", [3, 4, 12, 9, 2], 0xE64A),
    ("ICH_AP1R3_EL2", [3, 4, 12, 9, 3], 0xE64B),
    ("ICC_SRE_EL2", [3, 4, 12, 9, 5], 0xE64D),
    ("ICH_HCR_EL2", [3, 4, 12, 11, 0], 0xE658),
    ("ICH_VTR_EL2", [3, 4, 12, 11, 1], 0xE659),
    ("ICH_VMCR_EL2", [3, 4, 12, 11, 7], 0xE65F),
    ("ICH_LR0_EL2", [3, 4, 12, 12, 0], 0xE660),
    ("ICH_LR1_EL2", [3, 4, 12, 12, 1], 0xE661),
    ("ICH_LR2_EL2", [3, 4, 12, 12, 2], 0xE662),
    ("ICH_LR3_EL2", [3, 4, 12, 12, 3], 0xE663),
    ("ICH_LR4_EL2", [3, 4, 12, 12, 4], 0xE664),
    ("ICH_LR5_EL2", [3, 4, 12, 12, 5], 0xE665),
    ("ICH_LR6_EL2", [3, 4, 12, 12, 6], 0xE666),
    ("ICH_LR7_EL2", [3, 4, 12, 12, 7], 0xE667),
    ("ICH_LR8_EL2", [3, 4, 12, 13, 0], 0xE668),
    ("ICH_LR9_EL2", [3, 4, 12, 13, 1], 0xE669),
    ("ICH_LR10_EL2", [3, 4, 12, 13, 2], 0xE66A),
    ("ICH_LR11_EL2", [3, 4, 12, 13, 3], 0xE66B),
    ("ICH_LR12_EL2", [3, 4, 12, 13, 4], 0xE66C),
    ("ICH_LR13_EL2", [3, 4, 12, 13, 5], 0xE66D),
    ("ICH_LR14_EL2", [3, 4, 12, 13, 6], 0xE66E),
    ("ICH_LR15_EL2", [3, 4, 12, 13, 7], 0xE66F),
]

@Suite("CPU interface sysregs")
struct SysRegTests {
    @Test("The ICC table has exactly the doc's 43 registers, in order, with the doc's instr values")
    func tableMatchesDoc() {
        #expect(ICCRegister.all.count == docTable.count)
        for (register, row) in zip(ICCRegister.all, docTable) {
            #expect(text(register.name) == row.0)
            let e = register.encoding
            #expect([e.op0, e.op1, e.crn, e.crm, e.op2] == row.1, "\(row.0)")
            #expect(register.instr == row.2, "\(row.0)")
        }
    }

    @Test("instr = op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 for every doc row")
    func instrFormula() throws {
        for row in docTable {
            let f = row.1
            let encoding = try SysRegEncoding(op0: f[0], op1: f[1], crn: f[2], crm: f[3], op2: f[4])
            #expect(encoding.instr == row.2, "\(row.0)")
        }
    }

    @Test("Every 16-bit instr unpacks to fields that pack back to it")
    func instrRoundTrip() throws {
        var failures: [UInt16] = []
        for instr in UInt16(0)...UInt16.max {
            let e = SysRegEncoding(instr: instr)
            if try SysRegEncoding(op0: e.op0, op1: e.op1, crn: e.crn, crm: e.crm, op2: e.op2).instr != instr {
                failures.append(instr)
            }
        }
        #expect(failures.isEmpty, "first failing instrs: \(failures.prefix(3))")
    }

    @Test("Over-wide fields are rejected naming the field")
    func fieldWidths() {
        #expect(throws: GICValueError.outOfRange(field: .sysRegOp0, value: 4, allowed: 0...3)) {
            try SysRegEncoding(op0: 4, op1: 0, crn: 0, crm: 0, op2: 0)
        }
        #expect(throws: GICValueError.outOfRange(field: .sysRegOp1, value: 8, allowed: 0...7)) {
            try SysRegEncoding(op0: 3, op1: 8, crn: 0, crm: 0, op2: 0)
        }
        #expect(throws: GICValueError.outOfRange(field: .sysRegCRn, value: 16, allowed: 0...15)) {
            try SysRegEncoding(op0: 3, op1: 0, crn: 16, crm: 0, op2: 0)
        }
        #expect(throws: GICValueError.outOfRange(field: .sysRegCRm, value: 16, allowed: 0...15)) {
            try SysRegEncoding(op0: 3, op1: 0, crn: 12, crm: 16, op2: 0)
        }
        #expect(throws: GICValueError.outOfRange(field: .sysRegOp2, value: 8, allowed: 0...7)) {
            try SysRegEncoding(op0: 3, op1: 0, crn: 12, crm: 12, op2: 8)
        }
    }

    @Test("The table is strictly sorted by encoding, as the kernel's binary search needs")
    func sorted() {
        let instrs = ICCRegister.all.map(\.instr)
        #expect(zip(instrs, instrs.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("EL2-only exactly for the ICH_* registers and ICC_SRE_EL2")
    func el2Flags() {
        for register in ICCRegister.all {
            let name = text(register.name)
            #expect(register.requiresEL2 == (name.hasPrefix("ICH_") || name == "ICC_SRE_EL2"), "\(name)")
        }
        #expect(ICCRegister.el1.count == 15)
        #expect(ICCRegister.el2.count == 28)
        #expect(ICCRegister.el1.allSatisfy { !$0.requiresEL2 })
    }

    @Test("Read-only (write must match) exactly for ICC_SRE_EL2 and ICH_VTR_EL2")
    func readOnly() {
        let names = Set(ICCRegister.all.filter(\.isReadOnly).map { text($0.name) })
        #expect(names == ["ICC_SRE_EL2", "ICH_VTR_EL2"])
    }

    @Test("APR index is n for the 16 AP0Rn/AP1Rn registers and nil otherwise")
    func aprIndices() {
        for register in ICCRegister.all {
            let name = text(register.name)
            if name.contains("_AP0R") || name.contains("_AP1R") {
                let digit = name[name.index(name.startIndex, offsetBy: 8)]
                #expect(register.aprIndex.map { String($0) } == String(digit), "\(name)")
                #expect(register.aprIndex == register.encoding.op2 & 3, "\(name)")
            } else {
                #expect(register.aprIndex == nil, "\(name)")
            }
        }
        #expect(ICCRegister.all.filter { $0.aprIndex != nil }.count == 16)
    }

    @Test("Max APR index: 5 priority bits → 0, 6 → 1, 7 → 3 (vgic_v3_max_apr_idx)", arguments: [
        (UInt32(4), UInt8(0)), (5, 0), (6, 1), (7, 3), (8, 0),
    ])
    func maxAPRIndex(_ bits: UInt32, _ expected: UInt8) {
        #expect(ICCRegister.maxAPRIndex(priorityBits: bits) == expected)
    }

    @Test("APR registers are gated on priority bits; everything else is always accessible")
    func accessibility() {
        for bits in UInt32(5)...7 {
            let accessible = ICCRegister.all.filter { $0.isAccessible(priorityBits: bits) }
            let aprCount = accessible.filter { $0.aprIndex != nil }.count
            // Four APR groups (ICC AP0/AP1, ICH AP0/AP1), each with maxIndex + 1 registers.
            #expect(aprCount == 4 * (Int(ICCRegister.maxAPRIndex(priorityBits: bits)) + 1))
            #expect(accessible.count - aprCount == 43 - 16)
        }
        #expect(ICCRegister.iccAP0R1.isAccessible(priorityBits: 5) == false)
        #expect(ICCRegister.iccAP0R1.isAccessible(priorityBits: 6) == true)
        #expect(ICCRegister.ichAP1R3.isAccessible(priorityBits: 6) == false)
        #expect(ICCRegister.ichAP1R3.isAccessible(priorityBits: 7) == true)
    }

    @Test("Lookup by instr finds exposed registers and nothing for unexposed ones like ICC_IAR1_EL1")
    func lookup() {
        #expect(ICCRegister.lookup(instr: 0xC230).map { text($0.name) } == "ICC_PMR_EL1")
        #expect(ICCRegister.lookup(instr: 0xE66F).map { text($0.name) } == "ICH_LR15_EL2")
        #expect(ICCRegister.lookup(instr: 0xC660) == nil)  // ICC_IAR1_EL1 (3,0,12,12,0)
        #expect(ICCRegister.named("ICC_NOPE_EL1") == nil)
    }

    @Test("CPU_SYSREGS attr is affinity bits | instr; bits 31:16 must be zero")
    func sysregAttr() throws {
        let pmr = ICCRegister.iccPMR
        let attr = CPUSysRegAttr(affinity: Affinity(aff1: 1, aff0: 2), register: pmr)
        #expect(attr.rawValue == 0x0000_0102_0000_C230)
        #expect(try CPUSysRegAttr(rawValue: attr.rawValue) == attr)
        #expect(throws: GICValueError.reservedBitsSet(field: .sysRegAttr, value: 0x1_C230, reservedMask: 0xFFFF_0000)) {
            try CPUSysRegAttr(rawValue: 0x1_C230)
        }
    }
}

@Suite("ICC registers by typed name")
struct ICCTypedNameTests {
    @Test("Each typed static's swift name is its property name, and every name is distinct")
    func swiftNames() {
        #expect(ICCRegister.iccPMR.swiftName == "iccPMR")
        #expect(ICCRegister.iccAP1R3.swiftName == "iccAP1R3")
        #expect(ICCRegister.iccSREEL2.swiftName == "iccSREEL2")
        #expect(ICCRegister.ichLR15.swiftName == "ichLR15")
        #expect(ICCRegister.ichVTR.swiftName == "ichVTR")
        #expect(Set(ICCRegister.all.map(\.swiftName)).count == ICCRegister.all.count)
    }

    @Test("The indexed tables hold the registers of their index, in order")
    func indexedTables() {
        #expect(ICCRegister.iccAP0R.map(\.aprIndex) == [0, 1, 2, 3])
        #expect(ICCRegister.iccAP0R.allSatisfy { $0.aprGroup == 0 && !$0.requiresEL2 })
        #expect(ICCRegister.iccAP1R.map(\.aprIndex) == [0, 1, 2, 3])
        #expect(ICCRegister.iccAP1R.allSatisfy { $0.aprGroup == 1 && !$0.requiresEL2 })
        #expect(ICCRegister.ichLR.map { text($0.name) } == (0..<16).map { "ICH_LR\($0)_EL2" })
    }

    @Test("activePriority(group:index:) names the APR and refuses anything outside 0...1 × 0...3")
    func activePriority() throws {
        #expect(try ICCRegister.activePriority(group: 0, index: 2) == .iccAP0R2)
        #expect(try ICCRegister.activePriority(group: 1, index: 3) == .iccAP1R3)
        #expect(throws: GICValueError.outOfRange(field: .aprIndex, value: 4, allowed: 0...3)) {
            try ICCRegister.activePriority(group: 1, index: 4)
        }
        #expect(throws: GICValueError.outOfRange(field: .aprGroup, value: 2, allowed: 0...1)) {
            try ICCRegister.activePriority(group: 2, index: 0)
        }
    }

    @Test("named(_:) parses a name from outside: exact architectural names only")
    func parsing() {
        #expect(ICCRegister.named("ICC_CTLR_EL1") == .iccCTLR)
        #expect(ICCRegister.named("ICH_LR7_EL2") == .ichLR7)
        #expect(ICCRegister.named("icc_ctlr_el1") == nil)
        #expect(ICCRegister.named("ICC_CTLR_EL") == nil)
    }
}
