import GICSnapshot

/// Why a snapshot file could not be read, decoded or written: one line a person can act on,
/// naming the file and where in it the problem is.
public indirect enum SnapshotToolError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened, read or written; `reason` is the system's word for why.
    case file(path: String, reason: String)
    /// The file is empty.
    case empty
    /// A binary snapshot (it has the magic) that does not decode.
    case binary(SnapshotDecodingError)
    /// Neither a binary snapshot nor JSON at all.
    case notJSON(String)
    /// JSON whose field at `path` (`vcpus[0].priorityBits`) is missing, of the wrong type or
    /// out of range; `reason` says which.
    case json(path: String, reason: String)
    /// A snapshot the binary format cannot hold (an encoding would change it).
    case unrepresentable(SnapshotValueError)
    /// One of the above, in the file at `path`.
    case inFile(String, SnapshotToolError)

    public var description: String {
        switch self {
        case .file(let path, let reason): "\(path): \(reason)"
        case .empty: "empty file"
        case .binary(let error): "binary snapshot: \(error)"
        case .notJSON(let reason): "not a snapshot: neither the binary form (no KVMGICSN magic) nor JSON (\(reason))"
        case .json(let path, let reason): path.isEmpty ? "JSON snapshot: \(reason)" : "JSON snapshot: \(path): \(reason)"
        case .unrepresentable(let error): "cannot be encoded: \(error)"
        case .inFile(let path, let error): "\(path): \(error)"
        }
    }
}
