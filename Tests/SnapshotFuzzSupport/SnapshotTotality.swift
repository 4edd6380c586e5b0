import GICSnapshot
import SnapshotTools

/// The promise every snapshot consumer keeps, checked on one input: bytes either are refused
/// with a one-line typed error, or decode to a snapshot that validates, encodes in both forms to
/// bytes that decode back to the same value, diffs against anything, and lists its entries, all
/// without a trap. What the fuzz target and the deterministic mutation test both run.
public enum SnapshotTotality {
    /// What one input did.
    public enum Outcome: Equatable {
        case refused
        case accepted
        /// A broken promise, described for a failure message.
        case violation(String)
    }

    /// Runs `bytes` through every consumer; `reference` is what it is diffed against.
    public static func check(_ bytes: [UInt8], reference: GICSnapshot) -> Outcome {
        let snapshot: GICSnapshot
        do throws(SnapshotToolError) {
            snapshot = try SnapshotFile.decode(bytes)
        } catch {
            let message = error.description
            if message.isEmpty || message.contains("\n") { return .violation("refusal is not one line: \(message)") }
            return .refused
        }
        _ = snapshot.structuralProblem()
        _ = snapshot.entries.count
        _ = snapshot.minimumAccesses
        let binary: [UInt8]
        do throws(SnapshotToolError) {
            binary = try SnapshotFile.encode(snapshot, as: .binary)
        } catch {
            return .violation("accepted but not encodable: \(error)")
        }
        if SnapshotFormat.looksBinary(bytes) && binary != bytes {
            return .violation("an accepted binary encoding is not canonical")
        }
        do throws(SnapshotToolError) {
            guard try SnapshotFile.decode(binary) == snapshot else { return .violation("binary round trip changed the snapshot") }
            let json = try SnapshotFile.encode(snapshot, as: .json)
            guard try SnapshotFile.decode(json) == snapshot else { return .violation("JSON round trip changed the snapshot") }
        } catch {
            return .violation("re-decoding its own encoding failed: \(error)")
        }
        let forward = SnapshotDiff.differences(reference, snapshot)
        let backward = SnapshotDiff.differences(snapshot, reference)
        if forward.count != backward.count { return .violation("diff is not symmetric in count") }
        for difference in forward + backward where difference.description.contains("\n") {
            return .violation("a diff line spans lines")
        }
        if !SnapshotDiff.differences(snapshot, snapshot).isEmpty { return .violation("a snapshot differs from itself") }
        return .accepted
    }
}
