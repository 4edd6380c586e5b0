import Testing
@testable import GICVocabulary

@Suite("ICC_CTLR_EL1 bitfield")
struct ICCControlTests {
    @Test("Fields sit where Arm IHI 0069 puts them: CBPR 0, EOImode 1, PMHE 6, PRIbits 10:8, IDbits 13:11, SEIS 14, A3V 15, RSS 18, ExtRange 19")
    func fieldPositions() {
        let control = ICCControl(rawValue: 1 << 0 | 1 << 1 | 1 << 6 | 0b110 << 8 | 0b001 << 11 | 1 << 14 | 1 << 15 | 1 << 18 | 1 << 19)
        #expect(control.cbpr && control.eoiMode && control.pmhe && control.seis && control.a3v && control.rss && control.extRange)
        #expect(control.priorityBits == 7)
        #expect(control.idBits == 1)
        let empty = ICCControl(rawValue: 0)
        #expect(!empty.cbpr && !empty.eoiMode && !empty.pmhe && !empty.seis && !empty.a3v && !empty.rss && !empty.extRange)
        #expect(empty.priorityBits == 1)
    }

    @Test("QEMU's -cpu max value 0x8C00: 5 priority bits, 24-bit IDs, A3V, no SEIS")
    func qemuMax() throws {
        let control = ICCControl(rawValue: 0x8C00)
        #expect(control.priorityBits == 5 && control.idBits == 1 && control.a3v && !control.seis)
        #expect(try ICCControl(priorityBits: 5, idBits: 1, a3v: true) == control)
    }

    @Test("Setting a field changes only that field")
    func setters() {
        var control = ICCControl(rawValue: 0xFFFF_FFFF_FFFF_FFFF)
        control.priorityBits = 5
        #expect(control.rawValue == 0xFFFF_FFFF_FFFF_FCFF)
        control.idBits = 0
        #expect(control.rawValue == 0xFFFF_FFFF_FFFF_C4FF)
        control.cbpr = false
        control.eoiMode = false
        control.seis = false
        control.a3v = false
        #expect(control.rawValue == 0xFFFF_FFFF_FFFF_04FC)
    }

    @Test("Composing refuses priority bits outside 1...8 and IDbits wider than 3 bits", arguments: [
        (UInt32(0), UInt32(0), GICValueError.Field.iccPriorityBits), (9, 0, .iccPriorityBits), (5, 8, .iccIDBits),
    ])
    func composeRefuses(_ priorityBits: UInt32, _ idBits: UInt32, _ field: GICValueError.Field) {
        #expect {
            try ICCControl(priorityBits: priorityBits, idBits: idBits)
        } throws: { error in
            if case .outOfRange(field, _, _) = error as? GICValueError { true } else { false }
        }
    }

    @Test("hostFields keeps PRIbits, IDbits, SEIS and A3V and drops CBPR, EOImode and everything else")
    func hostFields() {
        #expect(ICCControl(rawValue: 0xFFFF_FFFF_FFFF_FFFF).hostFields.rawValue == 0xFF00)
    }

    @Test("Active-priority registers per group: 1 below 6 bits, 2 for 6, 4 for 7", arguments: [
        (UInt32(5), 1), (6, 2), (7, 4),
    ])
    func activePriorityCount(_ bits: UInt32, _ count: Int) throws {
        #expect(try ICCControl(priorityBits: bits, idBits: 0).activePriorityCount == count)
    }
}
