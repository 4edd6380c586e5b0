import Foundation
import GICSnapshot

/// Reading and writing snapshot files in either form, told apart by content: a binary snapshot
/// starts with the "KVMGICSN" magic, anything else is parsed as JSON.
public enum SnapshotFile {
    /// The two file forms.
    public enum Form: String, Sendable, CaseIterable {
        case binary
        case json
    }

    /// Decodes `bytes`, detecting the form.
    public static func decode(_ bytes: [UInt8]) throws(SnapshotToolError) -> GICSnapshot {
        if SnapshotFormat.looksBinary(bytes) {
            do throws(SnapshotDecodingError) {
                return try GICSnapshot(decoding: bytes)
            } catch {
                throw .binary(error)
            }
        }
        let document: SnapshotDocument
        do {
            document = try JSONDecoder().decode(SnapshotDocument.self, from: Data(bytes))
        } catch {
            throw .json("not a snapshot document: \(error)")
        }
        return try document.snapshot()
    }

    /// Encodes `snapshot` in `form`.
    public static func encode(_ snapshot: GICSnapshot, as form: Form) throws(SnapshotToolError) -> [UInt8] {
        switch form {
        case .binary:
            return snapshot.encoded()
        case .json:
            do {
                return [UInt8](try SnapshotDocument(snapshot).json())
            } catch {
                throw .json("encoding failed: \(error)")
            }
        }
    }

    /// Reads and decodes the file at `path`.
    public static func read(_ path: String) throws(SnapshotToolError) -> GICSnapshot {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: "cannot be read")
        }
        do throws(SnapshotToolError) {
            return try decode([UInt8](data))
        } catch {
            switch error {
            case .file: throw error
            default: throw .file(path: path, reason: error.description)
            }
        }
    }

    /// Writes `snapshot` to `path` in `form`.
    public static func write(_ snapshot: GICSnapshot, to path: String, as form: Form) throws(SnapshotToolError) {
        let bytes = try encode(snapshot, as: form)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw .file(path: path, reason: "cannot be written")
        }
    }
}
