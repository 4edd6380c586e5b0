@testable import GICSnapshot
import GICVocabulary
import Testing
import VGIC
import TestSupport

/// The binary encoding: stable, versioned, extensible by sections, and never a trap on bad input.
@Suite("Binary encoding")
struct BinaryEncodingTests {
    /// `bytes` with its trailing CRC-32 recomputed, so a test reaches the checks behind it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var copy = Array(bytes.dropLast(4))
        let crc = CRC32.checksum(copy, 0..<copy.count)
        for shift in stride(from: 0, to: 32, by: 8) { copy.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        return copy
    }

    static func tiny() -> GICSnapshot {
        var random = SeededRandom(seed: 0)
        var snapshot = syntheticSnapshot(&random)
        let layout = VCPULayout(identity: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), redistributorType: 0x10, priorityBits: 5)
        snapshot.identity = SnapshotIdentity(
            gicVersion: .v3, iidr: 0x4B00_343B, typer: 0x0048_0001, typer2: 0, interruptCount: 64,
            frames: FrameLayout(distributorBase: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000)), vcpus: [layout])
        snapshot.distributor = []
        snapshot.vcpus = [VCPUState(banks: [])]
        snapshot.foreignSections = []
        return snapshot
    }

    @Test("CRC-32 is the IEEE/zlib checksum (check value of \"123456789\")")
    func checksum() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32.checksum(bytes, 0..<bytes.count) == 0xCBF4_3926)
    }

    @Test("the header and identity section are laid out as SnapshotFormat documents")
    func layout() throws {
        let bytes = try Self.tiny().encoded()
        #expect(Array(bytes[0..<8]) == Array("KVMGICSN".utf8))
        #expect(Array(bytes[8..<16]) == [1, 0, 0, 0, 3, 0, 0, 0])  // version 1, reserved, 3 sections
        #expect(Array(bytes[16..<20]) == [1, 0, 1, 0])  // identity, section version 1
        let identity: [UInt8] = [
            3, 0, 0, 0, 0x3B, 0x34, 0x00, 0x4B, 0x01, 0x00, 0x48, 0x00, 0, 0, 0, 0, 64, 0, 0, 0,
            0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x0A, 0x08, 0, 0, 0, 0,
            1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0,
        ]
        #expect(Array(bytes[20..<24]) == [UInt8(identity.count), 0, 0, 0])
        #expect(Array(bytes[24..<(24 + identity.count)]) == identity)
        let distributor = 24 + identity.count
        #expect(Array(bytes[distributor..<(distributor + 12)]) == [2, 0, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0])
        let crc = CRC32.checksum(bytes, 0..<(bytes.count - 4))
        #expect(Array(bytes.suffix(4)) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> UInt32($0)) })
    }

    @Test("decode(encode(x)) == x, and encoding is deterministic", arguments: Array(UInt64(0)..<UInt64(60)))
    func roundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let snapshot = syntheticSnapshot(&random)
        let bytes = try snapshot.encoded()
        let decoded = try GICSnapshot(decoding: bytes)
        #expect(decoded == snapshot)
        #expect(try decoded.encoded() == bytes)
    }

    @Test("every truncation is a typed error")
    func truncation() throws {
        let bytes = try Self.fullSmallSnapshot().encoded()
        for length in 0..<bytes.count {
            do throws(SnapshotDecodingError) {
                _ = try GICSnapshot(decoding: Array(bytes[0..<length]))
                Issue.record("\(length) of \(bytes.count) bytes decoded")
            } catch {
                _ = error.description
            }
        }
    }

    @Test("damaging any single byte is a typed error", arguments: [0x01, 0x80, 0xFF] as [UInt8])
    func corruption(mask: UInt8) throws {
        let bytes = try Self.fullSmallSnapshot().encoded()
        for position in bytes.indices {
            var damaged = bytes
            damaged[position] ^= mask
            do throws(SnapshotDecodingError) {
                _ = try GICSnapshot(decoding: damaged)
                Issue.record("byte \(position) ^ \(mask) decoded")
            } catch {
                _ = error.description
            }
        }
    }

    @Test("damage behind a recomputed checksum never traps: a typed error, or a canonical snapshot", arguments: Array(UInt64(0)..<UInt64(20)))
    func resealedCorruption(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let bytes = try Self.fullSmallSnapshot().encoded()
        for _ in 0..<200 {
            var damaged = bytes
            for _ in 0..<(1 + random.below(3)) {
                damaged[random.below(damaged.count - 4)] = UInt8(truncatingIfNeeded: random.next())
            }
            damaged = Self.resealed(damaged)
            do throws(SnapshotDecodingError) {
                let decoded = try GICSnapshot(decoding: damaged)
                #expect((try? decoded.encoded()) == damaged, "an accepted encoding is canonical")
            } catch {
                _ = error.description
            }
        }
    }

    @Test("refusals name what is wrong")
    func namedRefusals() throws {
        let bytes = try Self.tiny().encoded()
        var magic = bytes
        magic[0] = 0x4C
        #expect(throws: SnapshotDecodingError.badMagic) { try GICSnapshot(decoding: magic) }
        var version = bytes
        version[8] = 2
        #expect(throws: SnapshotDecodingError.unsupportedFormatVersion(2)) { try GICSnapshot(decoding: version) }
        var flipped = bytes
        flipped[30] ^= 1
        #expect(throws: SnapshotDecodingError.checksumMismatch(
            stored: CRC32.checksum(bytes, 0..<(bytes.count - 4)), computed: CRC32.checksum(flipped, 0..<(flipped.count - 4))
        )) { try GICSnapshot(decoding: flipped) }
        var sectionVersion = bytes
        sectionVersion[18] = 2
        #expect(throws: SnapshotDecodingError.unsupportedSectionVersion(type: 1, version: 2)) {
            try GICSnapshot(decoding: Self.resealed(sectionVersion))
        }
        var reserved = bytes
        reserved[25] = 1
        #expect(throws: SnapshotDecodingError.reservedNotZero(offset: 25)) { try GICSnapshot(decoding: Self.resealed(reserved)) }
        var gicVersion = bytes
        gicVersion[24] = 4
        #expect(throws: SnapshotDecodingError.invalidValue(field: "GIC version", value: 4, offset: 24)) {
            try GICSnapshot(decoding: Self.resealed(gicVersion))
        }
    }

    @Test("a section type this build does not know is kept, re-encoded byte for byte, and blocks restore")
    func foreignSection() throws {
        var snapshot = Self.tiny()
        snapshot.foreignSections = [ForeignSection(type: 17, version: 7, payload: [1, 2, 3, 4, 5])]
        let bytes = try snapshot.encoded()
        let decoded = try GICSnapshot(decoding: bytes)
        #expect(decoded.foreignSections == snapshot.foreignSections)
        #expect(try decoded.encoded() == bytes)
    }

    @Test("known sections must come first and in order")
    func sectionOrder() throws {
        // Put the foreign section before the vCPU section: a reader cannot tell whose it is.
        var snapshot = Self.tiny()
        snapshot.foreignSections = [ForeignSection(type: 40, version: 1, payload: [])]
        let bytes = try snapshot.encoded()
        let vcpuStart = 24 + 64 + 12
        let vcpuLength = 8 + 8
        let vcpu = Array(bytes[vcpuStart..<(vcpuStart + vcpuLength)])
        let foreign = Array(bytes[(vcpuStart + vcpuLength)..<(bytes.count - 4)])
        let swapped = Array(bytes[0..<vcpuStart]) + foreign + vcpu + [0, 0, 0, 0]
        #expect(throws: SnapshotDecodingError.sectionOrder(type: 3, offset: vcpuStart + foreign.count)) {
            try GICSnapshot(decoding: Self.resealed(swapped))
        }
    }

    /// A full, consistent snapshot of one vCPU and NR_IRQS 64 (about 1 KiB).
    static func fullSmallSnapshot() -> GICSnapshot {
        var random = SeededRandom(seed: 4)
        var snapshot: GICSnapshot
        repeat {
            snapshot = syntheticSnapshot(&random)
        } while snapshot.identity.interruptCount != 64 || snapshot.vcpus.count != 1 || !snapshot.foreignSections.isEmpty
        return snapshot
    }
}
