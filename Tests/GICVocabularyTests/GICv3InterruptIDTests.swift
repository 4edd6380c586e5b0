import Testing
@testable import GICVocabulary
import TestSupport

/// The GICv3.1 INTID map, written out independently of the library's constants.
private enum Kind: Equatable {
    case sgi, ppi, spi, special, extendedPPI, extendedSPI, lpi
    case reserved(ClosedRange<UInt64>)
}

private func oracle(_ v: UInt32) -> Kind {
    switch v {
    case 0...15: return .sgi
    case 16...31: return .ppi
    case 32...1019: return .spi
    case 1020...1023: return .special
    case 1024...1055: return .reserved(1024...1055)
    case 1056...1119: return .extendedPPI
    case 1120...4095: return .reserved(1120...4095)
    case 4096...5119: return .extendedSPI
    case 5120...8191: return .reserved(5120...8191)
    default: return .lpi
    }
}

private func kind(of id: GICv3InterruptID) -> Kind {
    switch id {
    case .sgi: return .sgi
    case .ppi: return .ppi
    case .spi: return .spi
    case .special: return .special
    case .extendedPPI: return .extendedPPI
    case .extendedSPI: return .extendedSPI
    case .lpi: return .lpi
    }
}

private struct Classified: Equatable {
    let kind: Kind
    let rawValue: UInt32
}

private func checkClassification(_ v: UInt32, _ recorder: inout MismatchRecorder) {
    let actual = outcome { () throws(GICValueError) -> Classified in
        let id = try GICv3InterruptID(rawValue: v)
        return Classified(kind: kind(of: id), rawValue: id.rawValue)
    }
    let expected: Result<Classified, GICValueError>
    switch oracle(v) {
    case let .reserved(hole):
        expected = .failure(.reservedRange(field: .gicv3INTID, value: UInt64(v), reserved: hole))
    case let kind:
        expected = .success(Classified(kind: kind, rawValue: v))
    }
    recorder.check(actual, expected, "INTID \(v)")
}

/// One validated GICv3 ID type, for the shared boundary tests.
struct GICv3IDType: Sendable, CustomTestStringConvertible {
    let name: String
    let intids: ClosedRange<UInt32>
    let field: GICValueError.Field
    let make: @Sendable (UInt32) -> Result<UInt32, GICValueError>
    var testDescription: String { name }

    static let all: [GICv3IDType] = [
        GICv3IDType(name: "SGI", intids: 0...15, field: .sgi) { v in
            outcome { () throws(GICValueError) -> UInt32 in try SGI(intid: v).intid }
        },
        GICv3IDType(name: "PPI", intids: 16...31, field: .ppi) { v in
            outcome { () throws(GICValueError) -> UInt32 in try PPI(intid: v).intid }
        },
        GICv3IDType(name: "SPI", intids: 32...1019, field: .spi) { v in
            outcome { () throws(GICValueError) -> UInt32 in try SPI(intid: v).intid }
        },
        GICv3IDType(name: "ExtendedPPI", intids: 1056...1119, field: .extendedPPI) { v in
            outcome { () throws(GICValueError) -> UInt32 in try ExtendedPPI(intid: v).intid }
        },
        GICv3IDType(name: "ExtendedSPI", intids: 4096...5119, field: .extendedSPI) { v in
            outcome { () throws(GICValueError) -> UInt32 in try ExtendedSPI(intid: v).intid }
        },
        GICv3IDType(name: "LPI", intids: 8192...UInt32.max, field: .lpi) { v in
            outcome { () throws(GICValueError) -> UInt32 in try LPI(intid: v).intid }
        },
    ]
}

@Suite("GICv3 INTIDs")
struct GICv3InterruptIDTests {
    @Test("Every INTID 0..<9216 classifies as the GICv3.1 map says, holes rejected with their range")
    func exhaustiveLowSpace() {
        var recorder = MismatchRecorder()
        for v in UInt32(0)..<9216 { checkClassification(v, &recorder) }
        #expect(recorder.count == 0)
    }

    @Test("Random 32-bit INTIDs classify as the map says (seeded)")
    func randomSpace() {
        var rng = SplitMix64(seed: 0x6163_3301)
        var recorder = MismatchRecorder()
        for _ in 0..<100_000 { checkClassification(rng.next32(), &recorder) }
        for v: UInt32 in [8191, 8192, UInt32.max - 1, UInt32.max] { checkClassification(v, &recorder) }
        #expect(recorder.count == 0)
    }

    @Test("Each ID type accepts exactly its range and names itself in the error", arguments: GICv3IDType.all)
    func typeBoundaries(_ type: GICv3IDType) {
        var recorder = MismatchRecorder()
        let allowed = UInt64(type.intids.lowerBound)...UInt64(type.intids.upperBound)
        var probes = Array(UInt32(0)..<9216)
        probes += [type.intids.lowerBound, type.intids.upperBound, UInt32.max]
        if type.intids.lowerBound > 0 { probes.append(type.intids.lowerBound - 1) }
        if type.intids.upperBound < UInt32.max { probes.append(type.intids.upperBound + 1) }
        for v in probes {
            let expected: Result<UInt32, GICValueError> = type.intids.contains(v)
                ? .success(v)
                : .failure(.outOfRange(field: type.field, value: UInt64(v), allowed: allowed))
            recorder.check(type.make(v), expected, "\(type.name) \(v)")
        }
        #expect(recorder.count == 0)
    }

    @Test("SPI accepts 32...1019 and rejects 31 and 1020", arguments: [
        (UInt32(31), false), (32, true), (1019, true), (1020, false),
    ])
    func spiBoundary(_ intid: UInt32, _ accepted: Bool) {
        let result = outcome { () throws(GICValueError) -> SPI in try SPI(intid: intid) }
        if accepted {
            #expect((try? result.get())?.intid == intid)
        } else {
            #expect(result == .failure(.outOfRange(field: .spi, value: UInt64(intid), allowed: 32...1019)))
        }
    }

    @Test("SPI index is INTID − 32 over all 988 indices, the irqfd GSI space, and index 988 is rejected")
    func spiIndex() throws {
        for index in UInt32(0)...987 {
            let spi = try SPI(index: index)
            #expect(spi.intid == index + 32)
            #expect(spi.index == index)
            #expect(try SPI(intid: spi.intid) == spi)
        }
        #expect(throws: GICValueError.outOfRange(field: .spiIndex, value: 988, allowed: 0...987)) {
            try SPI(index: 988)
        }
    }

    @Test("PPI index is INTID − 16 (0–15) and index 16 is rejected")
    func ppiIndex() throws {
        for index in UInt32(0)...15 {
            let ppi = try PPI(index: index)
            #expect(ppi.intid == index + 16)
            #expect(ppi.index == index)
        }
        #expect(throws: GICValueError.outOfRange(field: .ppiIndex, value: 16, allowed: 0...15)) {
            try PPI(index: 16)
        }
    }

    @Test("Extended PPI and SPI indices count from 1056 and 4096")
    func extendedIndices() throws {
        #expect(try ExtendedPPI(index: 0).intid == 1056)
        #expect(try ExtendedPPI(index: 63).intid == 1119)
        #expect(try ExtendedPPI(intid: 1100).index == 44)
        #expect(throws: GICValueError.outOfRange(field: .extendedPPIIndex, value: 64, allowed: 0...63)) {
            try ExtendedPPI(index: 64)
        }
        #expect(try ExtendedSPI(index: 0).intid == 4096)
        #expect(try ExtendedSPI(index: 1023).intid == 5119)
        #expect(try ExtendedSPI(intid: 5000).index == 904)
        #expect(throws: GICValueError.outOfRange(field: .extendedSPIIndex, value: 1024, allowed: 0...1023)) {
            try ExtendedSPI(index: 1024)
        }
    }

    @Test("The special INTIDs 1020–1023 are their own case: 1023 is spurious")
    func specials() throws {
        #expect(try GICv3InterruptID(rawValue: 1023) == .special(.spurious))
        #expect(try GICv3InterruptID(rawValue: 1020) == .special(.secureGroup1))
        #expect(try GICv3InterruptID(rawValue: 1021) == .special(.nonSecureGroup1))
        #expect(try GICv3InterruptID(rawValue: 1022) == .special(.legacy))
        #expect(SpecialINTID.allCases.map(\.intid) == [1020, 1021, 1022, 1023])
    }

    @Test("The reserved holes are rejected with the hole they fall in", arguments: [
        (UInt32(1024), UInt64(1024)...1055), (1055, 1024...1055), (1120, 1120...4095), (4095, 1120...4095),
        (5120, 5120...8191), (8191, 5120...8191),
    ])
    func holes(_ v: UInt32, _ hole: ClosedRange<UInt64>) {
        #expect(throws: GICValueError.reservedRange(field: .gicv3INTID, value: UInt64(v), reserved: hole)) {
            try GICv3InterruptID(rawValue: v)
        }
    }

    @Test("SGIs, PPIs and extended PPIs are private; SPIs, specials and LPIs are not")
    func privacy() throws {
        #expect(try GICv3InterruptID(rawValue: 0).isPrivate)
        #expect(try GICv3InterruptID(rawValue: 31).isPrivate)
        #expect(try GICv3InterruptID(rawValue: 1056).isPrivate)
        #expect(try !GICv3InterruptID(rawValue: 32).isPrivate)
        #expect(try !GICv3InterruptID(rawValue: 1023).isPrivate)
        #expect(try !GICv3InterruptID(rawValue: 4096).isPrivate)
        #expect(try !GICv3InterruptID(rawValue: 8192).isPrivate)
    }

    @Test("IDs order by INTID")
    func ordering() throws {
        #expect(try SPI(intid: 32) < SPI(intid: 33))
        #expect(try PPI(intid: 31) > PPI(intid: 16))
        #expect(try LPI(intid: 8192) < LPI(intid: UInt32.max))
    }
}
