import GICSnapshot
import SnapshotFuzzSupport

/// What the fuzzer and the replayer do with one input.
enum FuzzInput {
    /// The first broken promise for `bytes`, or nil.
    ///
    /// A binary input is also checked with its trailing CRC-32 recomputed: random byte damage
    /// almost never keeps the checksum right, and without this the fuzzer would explore little
    /// beyond the checksum refusal. Both variants are deterministic, so a crash file replays.
    static func violation(_ bytes: [UInt8]) -> String? {
        if case .violation(let what) = SnapshotTotality.check(bytes, reference: SeedSnapshots.reference) {
            return what
        }
        guard SnapshotFormat.looksBinary(bytes), bytes.count >= 4 else { return nil }
        var sealed = bytes
        let crc = SnapshotFormat.checksum(sealing: sealed)
        for byte in 0..<4 { sealed[sealed.count - 4 + byte] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * byte)) }
        guard sealed != bytes else { return nil }
        if case .violation(let what) = SnapshotTotality.check(sealed, reference: SeedSnapshots.reference) {
            return "with its checksum recomputed: \(what)"
        }
        return nil
    }
}
