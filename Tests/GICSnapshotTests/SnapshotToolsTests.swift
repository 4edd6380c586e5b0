import Foundation
import GICSnapshot
import GICVocabulary
import SnapshotTools
import Testing
import VGIC
import TestSupport

/// The host tools: JSON for people, format detection, and `kvm-gic snapshot diff`.
@Suite("Snapshot tools")
struct SnapshotToolsTests {
    static func snapshot(seed: UInt64 = 31) -> GICSnapshot {
        var random = SeededRandom(seed: seed)
        return syntheticSnapshot(&random)
    }

    /// A fresh directory for files, removed by the caller.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gicsnapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("JSON round trip keeps everything", arguments: Array(UInt64(0)..<UInt64(20)))
    func jsonRoundTrip(seed: UInt64) throws {
        let snapshot = Self.snapshot(seed: seed)
        let bytes = try SnapshotFile.encode(snapshot, as: .json)
        #expect(try SnapshotFile.decode(bytes) == snapshot)
    }

    @Test("JSON names registers and shows values in hex")
    func jsonIsReadable() throws {
        let text = String(decoding: try SnapshotFile.encode(Self.snapshot(), as: .json), as: UTF8.self)
        #expect(text.contains("\"register\" : \"GICD_ISENABLER\""))
        #expect(text.contains("\"register\" : \"ICC_AP1R\""))
        #expect(text.contains("\"format\" : \"kvm-gic-snapshot\""))
        #expect(text.contains("\"iidr\" : \"0x304b43b\""))
    }

    @Test("JSON that is not a snapshot is refused with a reason")
    func badJSON() throws {
        var document = SnapshotDocument(Self.snapshot())
        document.distributor[1].register = "GICD_NOSUCH"
        let bytes = [UInt8](try document.json())
        #expect(throws: SnapshotToolError.json(path: "distributor[1].register", reason: "unknown register \"GICD_NOSUCH\"")) {
            try SnapshotFile.decode(bytes)
        }
        #expect(throws: SnapshotToolError.self) { try SnapshotFile.decode(Array("{}".utf8)) }
    }

    @Test("identical snapshots diff to nothing, in either form")
    func identical() throws {
        let snapshot = Self.snapshot()
        #expect(SnapshotDiff.differences(snapshot, snapshot).isEmpty)
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("a.snap").path
        let json = folder.appendingPathComponent("a.json").path
        try SnapshotFile.write(snapshot, to: binary, as: .binary)
        try SnapshotFile.write(snapshot, to: json, as: .json)
        let outcome = try SnapshotDiff.run(binary, json)
        #expect(outcome.identical)
        #expect(outcome.lines == ["snapshots are identical"])
    }

    @Test("a changed pending bit is reported by register, index and INTID; status 1")
    func changedRegister() throws {
        let before = Self.snapshot()
        var after = before
        let bank = after.distributor.firstIndex { $0.register == .distributor(.gicdISPENDR) }!
        let old = after.distributor[bank].values[0]
        try after.distributor[bank].edit(at: 0) { $0 ^ (1 << 5) }
        let found = SnapshotDiff.differences(before, after)
        #expect(found == [SnapshotDifference(
            location: "distributor GICD_ISPENDR[1]", before: "0x" + String(old, radix: 16),
            after: "0x" + String(old ^ (1 << 5), radix: 16), intids: [37])])
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.snap").path
        let b = folder.appendingPathComponent("b.snap").path
        try SnapshotFile.write(before, to: a, as: .binary)
        try SnapshotFile.write(after, to: b, as: .binary)
        let outcome = try SnapshotDiff.run(a, b)
        #expect(!outcome.identical)
        #expect(outcome.lines.first?.contains("GICD_ISPENDR[1]") == true)
        #expect(outcome.lines.first?.hasSuffix("(INTID 37)") == true)
        #expect(outcome.lines.last == "1 difference")
    }

    @Test("vCPU registers and identity fields are named too")
    func vcpuAndIdentity() throws {
        let before = Self.snapshot()
        var after = before
        after.identity.interruptCount += 32
        let bank = after.vcpus[0].banks.firstIndex { $0.register == .system(ICCRegister.iccPMR) }!
        try after.vcpus[0].banks[bank].edit(at: 0) { $0 ^ 0xF0 }
        let locations = SnapshotDiff.differences(before, after).map(\.location)
        let identity = before.identity.vcpus[0].identity
        let affinity = "\(identity.affinity.aff3).\(identity.affinity.aff2).\(identity.affinity.aff1).\(identity.affinity.aff0)"
        #expect(locations == ["identity.interruptCount", "vCPU \(identity.id) (\(affinity)) ICC_PMR_EL1[0]"])
    }

    @Test("registers on one side only are shown as absent on the other")
    func absent() {
        let before = Self.snapshot()
        var after = before
        after.distributor.removeAll { $0.register == .distributor(.gicdCTLR) }
        let found = SnapshotDiff.differences(before, after)
        #expect(found.count == 1)
        #expect(found.first?.location == "distributor GICD_CTLR[0]")
        #expect(found.first?.after == nil)
    }

    @Test("a damaged file is refused naming the file and the checksum")
    func unreadable() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = folder.appendingPathComponent("damaged.snap").path
        var bytes = try Self.snapshot().encoded()
        bytes[40] ^= 0xFF
        FileManager.default.createFile(atPath: damaged, contents: Data(bytes))
        #expect {
            _ = try SnapshotDiff.run(damaged, folder.appendingPathComponent("missing").path)
        } throws: { error in
            guard case .inFile(damaged, .binary(.checksumMismatch))? = error as? SnapshotToolError else { return false }
            return true
        }
    }
}
