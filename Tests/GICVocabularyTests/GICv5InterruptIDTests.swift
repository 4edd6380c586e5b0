import Testing
@testable import GICVocabulary
import TestSupport

/// What a raw 32-bit word should decode to, from the header's masks written out here:
/// bits 28:24 RES0 first, then TYPE (1 PPI, 2 LPI, 3 SPI), then a PPI's ID below 128.
private func oracle(_ raw: UInt32) -> Result<UInt32, GICValueError> {
    if raw & 0x1F00_0000 != 0 {
        return .failure(.reservedBitsSet(field: .gicv5INTID, value: UInt64(raw), reservedMask: 0x1F00_0000))
    }
    let type = raw >> 29
    guard (1...3).contains(type) else {
        return .failure(.outOfRange(field: .gicv5Type, value: UInt64(type), allowed: 1...3))
    }
    let id = raw & 0xFF_FFFF
    if type == 1 && id > 127 {
        return .failure(.outOfRange(field: .gicv5PPI, value: UInt64(id), allowed: 0...127))
    }
    return .success(raw)
}

private func decodeAndReencode(_ raw: UInt32) -> Result<UInt32, GICValueError> {
    outcome { () throws(GICValueError) -> UInt32 in try GICv5InterruptID(rawValue: raw).rawValue }
}

@Suite("GICv5 INTIDs")
struct GICv5InterruptIDTests {
    @Test("PPI n is 0x2000_0000|n, LPI n 0x4000_0000|n, SPI n 0x6000_0000|n")
    func encodings() throws {
        #expect(GICv5PPI.cntp.interruptID.rawValue == 0x2000_001E)  // edk2's EL1 physical timer PCD
        #expect(try GICv5InterruptID.lpi(id: 0x1234).rawValue == 0x4000_1234)
        #expect(try GICv5InterruptID.spi(id: 0xFF_FFFF).rawValue == 0x60FF_FFFF)
        #expect(try GICv5InterruptID(type: .ppi, id: 127).rawValue == 0x2000_007F)
        let spi = try GICv5InterruptID(rawValue: 0x6000_0020)
        #expect(spi.type == .spi)
        #expect(spi.id == 32)
    }

    @Test("Every TYPE × boundary ID round-trips or fails with the oracle's error", arguments: [
        UInt32(0), 1, 127, 128, 0xFFFF, 0x1_0000, 0xFF_FFFF,
    ])
    func typesAndBoundaries(_ id: UInt32) {
        var recorder = MismatchRecorder()
        for type in UInt32(0)...7 {
            let raw = type << 29 | id
            recorder.check(decodeAndReencode(raw), oracle(raw), "type \(type) id \(id)")
        }
        #expect(recorder.count == 0)
    }

    @Test("Each RES0 bit 28:24 is rejected with the whole word and the reserved mask", arguments: Array(24...28))
    func reservedBits(_ bit: Int) {
        let raw = 0x6000_0001 | UInt32(1) << UInt32(bit)
        #expect(throws: GICValueError.reservedBitsSet(field: .gicv5INTID, value: UInt64(raw), reservedMask: 0x1F00_0000)) {
            try GICv5InterruptID(rawValue: raw)
        }
    }

    @Test("TYPE 0 and 4–7 are rejected naming the type value", arguments: [UInt32(0), 4, 5, 6, 7])
    func badTypes(_ type: UInt32) {
        #expect(throws: GICValueError.outOfRange(field: .gicv5Type, value: UInt64(type), allowed: 1...3)) {
            try GICv5InterruptID(rawValue: type << 29 | 5)
        }
    }

    @Test("Random 32-bit words decode exactly as the header's layout says (seeded)")
    func randomWords() {
        var rng = SplitMix64(seed: 0x6763_7635)
        var recorder = MismatchRecorder()
        for _ in 0..<200_000 {
            // Bias half the samples towards valid words so both outcomes are well covered.
            var raw = rng.next32()
            if raw & 1 == 0 { raw &= ~0x1F00_0000 }
            recorder.check(decodeAndReencode(raw), oracle(raw), "raw \(hex(UInt64(raw)))")
        }
        #expect(recorder.count == 0)
    }

    @Test("An ID wider than 24 bits is rejected when building from parts")
    func wideID() {
        #expect(throws: GICValueError.outOfRange(field: .gicv5ID, value: 0x100_0000, allowed: 0...0xFF_FFFF)) {
            try GICv5InterruptID(type: .lpi, id: 0x100_0000)
        }
        #expect(throws: GICValueError.outOfRange(field: .gicv5ID, value: 0x100_0000, allowed: 0...0xFF_FFFF)) {
            try GICv5InterruptID.spi(id: 0x100_0000)
        }
        #expect(throws: GICValueError.outOfRange(field: .gicv5PPI, value: 128, allowed: 0...127)) {
            try GICv5InterruptID(type: .ppi, id: 128)
        }
    }

    @Test("GICv5 PPIs are exactly 0–127, of which 0–63 are architected")
    func ppiRange() {
        var recorder = MismatchRecorder()
        for id in UInt32(0)..<1024 {
            let expected: Result<UInt32, GICValueError> = id < 128
                ? .success(id) : .failure(.outOfRange(field: .gicv5PPI, value: UInt64(id), allowed: 0...127))
            recorder.check(outcome { () throws(GICValueError) -> UInt32 in try GICv5PPI(id: id).id }, expected, "PPI \(id)")
            if id < 128, let ppi = try? GICv5PPI(id: id) {
                #expect(ppi.isArchitected == (id < 64))
                #expect(ppi.interruptID.rawValue == 0x2000_0000 | id)
            }
        }
        #expect(recorder.count == 0)
    }

    @Test("The architected PPI table matches GICV5_ARCH_PPI_* in arm-gic-v5.h")
    func architectedTable() {
        let header: [(String, UInt32)] = [
            ("S_DB_PPI", 0x0), ("RL_DB_PPI", 0x1), ("NS_DB_PPI", 0x2), ("SW_PPI", 0x3), ("HACDBSIRQ", 0xf),
            ("CNTHVS", 0x13), ("CNTHPS", 0x14), ("PMBIRQ", 0x15), ("COMMIRQ", 0x16), ("PMUIRQ", 0x17),
            ("CTIIRQ", 0x18), ("GICMNT", 0x19), ("CNTHP", 0x1a), ("CNTV", 0x1b), ("CNTHV", 0x1c),
            ("CNTPS", 0x1d), ("CNTP", 0x1e), ("TRBIRQ", 0x1f),
        ]
        let table = GICv5ArchitectedPPI.table.map { (text($0.name), $0.ppi.id) }
        #expect(table.count == header.count)
        for (got, want) in zip(table, header) {
            #expect(got.0 == want.0)
            #expect(got.1 == want.1)
        }
    }

    @Test("Named constants carry the header's numbers (SW_PPI 3, PMUIRQ 23, CNTHP 26, CNTV 27, CNTHV 28, CNTP 30)")
    func namedConstants() {
        #expect(GICv5PPI.swPPI.id == 3)
        #expect(GICv5PPI.pmuIRQ.id == 23)
        #expect(GICv5PPI.cnthp.id == 26)
        #expect(GICv5PPI.cntv.id == 27)
        #expect(GICv5PPI.cnthv.id == 28)
        #expect(GICv5PPI.cntp.id == 30)
        #expect(GICv5PPI.cnthvs.id == 19)
        #expect(GICv5PPI.gicMNT.id == 25)
    }

    @Test("Only SW_PPI is edge, CTIIRQ is IMPLEMENTATION DEFINED, the rest level")
    func handlingModes() {
        for entry in GICv5ArchitectedPPI.table {
            switch entry.ppi {
            case .swPPI: #expect(entry.handling == .edge)
            case .ctiIRQ: #expect(entry.handling == .implementationDefined)
            default: #expect(entry.handling == .level, "\(text(entry.name))")
            }
        }
    }

    @Test("KVM implements exactly the four timers, SW_PPI and PMUIRQ")
    func kvmImplemented() {
        let implemented = GICv5ArchitectedPPI.table.filter(\.kvmImplements).map(\.ppi.id)
        #expect(Set(implemented) == [3, 23, 26, 27, 28, 30])
    }

    @Test("A PPI knows its architected name; unassigned numbers have none")
    func lookup() throws {
        #expect(try GICv5PPI(id: 27).architected.map { text($0.name) } == "CNTV")
        #expect(try GICv5PPI(id: 4).architected == nil)
        #expect(try GICv5PPI(id: 100).architected == nil)
    }

    @Test("The table is in PPI order with no duplicates, all in the architected half")
    func tableShape() {
        let ids = GICv5ArchitectedPPI.table.map(\.ppi.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0 < 64 })
    }

    @Test("TYPE field decoding names the field", arguments: Array(UInt32(0)...9))
    func typeField(_ value: UInt32) {
        let result = outcome { () throws(GICValueError) -> GICv5InterruptType in try GICv5InterruptType(field: value) }
        switch value {
        case 1: #expect(result == .success(.ppi))
        case 2: #expect(result == .success(.lpi))
        case 3: #expect(result == .success(.spi))
        default: #expect(result == .failure(.outOfRange(field: .gicv5Type, value: UInt64(value), allowed: 1...3)))
        }
    }
}
