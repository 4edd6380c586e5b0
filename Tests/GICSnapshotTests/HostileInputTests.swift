import Foundation
@testable import GICSnapshot
import GICVocabulary
import SnapshotTools
import Testing
import TestSupport
import VGIC

/// Files a VMM might be handed: each found crashing a consumer once (issue: no input traps).
/// Every one must now be a typed refusal naming what is wrong, never a trap.
@Suite("Hostile snapshot files")
struct HostileInputTests {
    static func snapshot() -> GICSnapshot {
        var random = SeededRandom(seed: 5)
        return syntheticSnapshot(&random)
    }

    static func document() -> SnapshotDocument { SnapshotDocument(snapshot()) }

    static func decode(_ document: SnapshotDocument) throws -> GICSnapshot {
        try SnapshotFile.decode([UInt8](document.json()))
    }

    /// The byte offset of the first distributor bank's firstIndex field in an encoding.
    static func firstBankIndexOffset(_ snapshot: GICSnapshot, _ bytes: [UInt8]) -> Int {
        // header 16 | identity section header 8 + payload | distributor section header 8 | bank count 4 | kind 4 | key 4
        let identityLength = Int(UInt32(bytes[20]) | UInt32(bytes[21]) << 8 | UInt32(bytes[22]) << 16 | UInt32(bytes[23]) << 24)
        return 16 + 8 + identityLength + 8 + 4 + 8
    }

    @Test("a bank starting at element 0x0800_0000 behind a valid checksum is refused (was: overflow trap in diff)")
    func bankFarPastItsRegister() throws {
        let snapshot = Self.snapshot()
        var bytes = try snapshot.encoded()
        let at = Self.firstBankIndexOffset(snapshot, bytes)
        for byte in 0..<4 { bytes[at + byte] = UInt8(truncatingIfNeeded: UInt32(0x0800_0000) >> UInt32(8 * byte)) }
        let crc = SnapshotFormat.checksum(sealing: bytes)
        for byte in 0..<4 { bytes[bytes.count - 4 + byte] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * byte)) }
        #expect {
            _ = try GICSnapshot(decoding: bytes)
        } throws: { error in
            guard case .invalidBank(.elementsBeyondRegister(_, 0x0800_0000, _, _), at - 8)? = error as? SnapshotDecodingError else {
                return false
            }
            return true
        }
    }

    @Test("element coverage is total: any index, NR_IRQS or APR count stays inside the register")
    func coverageIsTotal() {
        let registers: [SnapshotRegister] =
            GICv3Register.distributor.map { .distributor($0) } + GICv3Register.redistributor.map { .redistributor($0) }
            + [.lineLevels, .activePriorities(group: 1)]
        for register in registers {
            #expect(SnapshotCoverage.intids(of: register, index: 0x0800_0000) == nil)
            #expect(SnapshotCoverage.intids(of: register, index: .max) == nil)
            for scope in [RestoreStep.Scope.distributor, .eachVCPU] {
                let range = SnapshotCoverage.elements(
                    of: register, in: scope, interruptCount: .max, activePriorityCount: .max)
                #expect(range.upperBound <= register.elementCount, "\(register.name)")
            }
        }
    }

    @Test("a bank cannot be made past its register, for an unnameable register, or edited outside itself")
    func bankConstruction() throws {
        #expect(throws: SnapshotValueError.elementsBeyondRegister(
            .distributor(.gicdISENABLER), firstIndex: 0xFFFF_FFFF, count: 1, elementCount: 32)
        ) {
            try RegisterBank(.distributor(.gicdISENABLER), firstIndex: 0xFFFF_FFFF, values: [0])
        }
        #expect(throws: SnapshotValueError.self) { try RegisterBank(.lineLevels, firstIndex: 30, values: [0, 0, 0]) }
        #expect(throws: SnapshotValueError.unnameableRegister(.activePriorities(group: 2))) {
            try RegisterBank(.activePriorities(group: 2), firstIndex: 0, values: [0])
        }
        var bank = try RegisterBank(.distributor(.gicdISENABLER), firstIndex: 1, values: [7, 8])
        #expect(throws: SnapshotValueError.elementNotHeld(.distributor(.gicdISENABLER), index: 3, held: 1..<3)) {
            try bank.set(element: 3, to: 0)
        }
        try bank.set(element: 2, to: 9)
        #expect(bank.values == [7, 9])
    }

    @Test("a JSON bank whose firstIndex is near 2^32 is refused with its path (was: trap in structuralProblem)")
    func jsonFirstIndexNearTop() throws {
        var document = Self.document()
        document.distributor[2].firstIndex = 0xFFFF_FFF0
        #expect {
            _ = try Self.decode(document)
        } throws: { error in
            guard case .json(let path, let reason)? = error as? SnapshotToolError else { return false }
            return path == "distributor[2]" && reason.contains("runs past")
        }
        document.distributor[2].firstIndex = 0x1_0000_0000
        #expect(throws: SnapshotToolError.json(path: "distributor[2].firstIndex", reason: "4294967296 is outside 0...4294967295")) {
            _ = try Self.decode(document)
        }
    }

    @Test("JSON values the binary form cannot hold are refused, not changed (was: 261 priority bits became 5)")
    func jsonUnrepresentable() throws {
        var bits = Self.document()
        bits.vcpus[0].priorityBits = 261
        #expect(throws: SnapshotToolError.json(path: "vcpus[0].priorityBits", reason: "261 is outside 0...255")) {
            _ = try Self.decode(bits)
        }
        var foreign = Self.document()
        foreign.foreignSections = [SnapshotDocument.Foreign(type: 1, version: 1, payload: "")]
        #expect(throws: SnapshotToolError.unrepresentable(.foreignSectionType(1))) { _ = try Self.decode(foreign) }
        var regions = Self.document()
        regions.redistributors = SnapshotDocument.RedistributorPlacement(legacy: nil, regions: (0..<65_537).map {
            SnapshotDocument.Region(count: 1, base: "0x100000", index: $0 % 4096)
        })
        #expect(throws: SnapshotToolError.unrepresentable(.tooManyRegions(65_537))) { _ = try Self.decode(regions) }
    }

    @Test("the encoder refuses a snapshot value it cannot hold instead of truncating it")
    func encoderRefuses() throws {
        var bits = Self.snapshot()
        bits.identity.vcpus[0].priorityBits = 261
        #expect(throws: SnapshotValueError.priorityBitsTooWide(position: 0, bits: 261)) { _ = try bits.encoded() }
        var states = Self.snapshot()
        states.vcpus.removeLast()
        #expect(throws: SnapshotValueError.vcpuStateCount(identity: states.identity.vcpus.count, states: states.vcpus.count)) {
            _ = try states.encoded()
        }
        var foreign = Self.snapshot()
        foreign.foreignSections = [ForeignSection(type: 3, version: 1, payload: [])]
        #expect(throws: SnapshotValueError.foreignSectionType(3)) { _ = try foreign.encoded() }
    }

    @Test("negative counts are refused with their value, not clamped")
    func negativeCounts() throws {
        var document = Self.document()
        document.redistributors = SnapshotDocument.RedistributorPlacement(
            legacy: nil, regions: [SnapshotDocument.Region(count: -5, base: "0x100000", index: 0)])
        #expect(throws: SnapshotToolError.json(path: "redistributors.regions[0].count", reason: "-5 is outside 0...4294967295")) {
            _ = try Self.decode(document)
        }
        document = Self.document()
        document.redistributors = SnapshotDocument.RedistributorPlacement(
            legacy: nil, regions: [SnapshotDocument.Region(count: 1, base: "0x100000", index: -1)])
        #expect(throws: SnapshotToolError.json(path: "redistributors.regions[0].index", reason: "-1 is outside 0...4294967295")) {
            _ = try Self.decode(document)
        }
    }

    @Test("a file cut inside a section is reported as truncated at that byte, not as a checksum mismatch")
    func truncatedInsideSection() throws {
        let bytes = try Self.snapshot().encoded()
        let cut = Array(bytes.prefix(bytes.count / 2))
        #expect {
            _ = try GICSnapshot(decoding: cut)
        } throws: { error in
            guard case .truncated(let offset, _, _)? = error as? SnapshotDecodingError else { return false }
            return offset < cut.count
        }
    }

    @Test("empty files, random bytes and out-of-range JSON numbers each get their own message")
    func distinctMessages() throws {
        #expect(throws: SnapshotToolError.empty) { _ = try SnapshotFile.decode([]) }
        #expect {
            _ = try SnapshotFile.decode([0x13, 0x99, 0x00, 0xFE, 0x42])
        } throws: { error in
            guard case .notJSON? = error as? SnapshotToolError else { return false }
            return true
        }
        var text = String(decoding: try Self.document().json(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"interruptCount\" : ", with: "\"interruptCount\" : 1e300, \"_\" : ")
        #expect {
            _ = try SnapshotFile.decode(Array(text.utf8))
        } throws: { error in
            guard case .json(let path, _)? = error as? SnapshotToolError else { return false }
            return path == "interruptCount"
        }
        #expect {
            _ = try SnapshotFile.decode(Array("{\"format\": \"kvm-gic-snapshot\"}".utf8))
        } throws: { error in
            guard case .json(let path, "is missing")? = error as? SnapshotToolError else { return false }
            return path == "formatVersion"
        }
    }

    @Test("a binary file with fewer vCPU sections than its identity lists is refused at decoding")
    func vcpuSectionCount() throws {
        var one = Self.snapshot()
        one.foreignSections = []
        var two = one
        two.identity.vcpus.append(VCPULayout(
            identity: VCPUIdentity(id: 200, affinity: Affinity(aff0: 200)),
            redistributorType: one.identity.vcpus[0].redistributorType, priorityBits: one.identity.vcpus[0].priorityBits))
        two.vcpus.append(one.vcpus[0])
        let full = try two.encoded()
        // The extra vCPU costs a 20-byte identity entry and one section as long as vCPU 0's.
        let sectionLength = full.count - (try one.encoded()).count - 20
        var bytes = Array(full.dropLast(4 + sectionLength)) + [0, 0, 0, 0]
        bytes[12] -= 1
        let crc = SnapshotFormat.checksum(sealing: bytes)
        for byte in 0..<4 { bytes[bytes.count - 4 + byte] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * byte)) }
        #expect(throws: SnapshotDecodingError.vcpuSectionCount(identity: 2, sections: 1)) { _ = try GICSnapshot(decoding: bytes) }
    }
}
