import Foundation
import GICSnapshot

#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing snapshot files in either form, told apart by content: a binary snapshot
/// starts with the "KVMGICSN" magic, anything else is parsed as JSON.
///
/// Total: every input either decodes to a snapshot that encodes back (in both forms) to the same
/// value, or is refused with a `SnapshotToolError` that names what is wrong and where.
public enum SnapshotFile {
    /// The two file forms.
    public enum Form: String, Sendable, CaseIterable {
        case binary
        case json
    }

    /// Decodes `bytes`, detecting the form.
    public static func decode(_ bytes: [UInt8]) throws(SnapshotToolError) -> GICSnapshot {
        if bytes.isEmpty { throw .empty }
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
        } catch let error as DecodingError {
            throw refusal(error, bytes)
        } catch {
            throw .notJSON("\(error)")
        }
        return try document.snapshot()
    }

    /// Encodes `snapshot` in `form`.
    ///
    /// - Throws: `.unrepresentable` for a snapshot the binary format cannot hold (in either form:
    ///   a JSON file that could not become a binary one is not written either).
    public static func encode(_ snapshot: GICSnapshot, as form: Form) throws(SnapshotToolError) -> [UInt8] {
        let binary: [UInt8]
        do throws(SnapshotValueError) {
            binary = try snapshot.encoded()
        } catch {
            throw .unrepresentable(error)
        }
        switch form {
        case .binary:
            return binary
        case .json:
            do {
                return [UInt8](try SnapshotDocument(snapshot).json())
            } catch {
                throw .notJSON("encoding failed: \(error)")
            }
        }
    }

    /// Reads and decodes the file at `path`; every error names the file.
    public static func read(_ path: String) throws(SnapshotToolError) -> GICSnapshot {
        let bytes = try readBytes(path)
        do throws(SnapshotToolError) {
            return try decode(bytes)
        } catch {
            throw .inFile(path, error)
        }
    }

    /// Writes `snapshot` to `path` in `form`.
    public static func write(_ snapshot: GICSnapshot, to path: String, as form: Form) throws(SnapshotToolError) {
        let bytes: [UInt8]
        do throws(SnapshotToolError) {
            bytes = try encode(snapshot, as: form)
        } catch {
            throw .inFile(path, error)
        }
        try writeBytes(bytes, to: path)
    }

    /// The whole file at `path`, or `.file` with the system's reason.
    public static func readBytes(_ path: String) throws(SnapshotToolError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .file(path: path, reason: "is a directory")
        }
        guard let file = fopen(path, "rb") else { throw .file(path: path, reason: systemReason()) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 { throw .file(path: path, reason: systemReason()) }
                return bytes
            }
        }
    }

    /// Replaces the file at `path` with `bytes`, or `.file` with the system's reason.
    public static func writeBytes(_ bytes: [UInt8], to path: String) throws(SnapshotToolError) {
        guard let file = fopen(path, "wb") else { throw .file(path: path, reason: systemReason()) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let flushed = fflush(file) == 0
        let reason = systemReason()
        let closed = fclose(file) == 0
        guard written == bytes.count, flushed, closed else { throw .file(path: path, reason: reason) }
    }

    /// `strerror(errno)` as every Unix tool prints it ("Permission denied").
    static func systemReason() -> String {
        String(cString: strerror(errno))
    }

    /// A JSON decoding failure as a field path and a reason, or `.notJSON` when the bytes are
    /// not JSON at all.
    static func refusal(_ error: DecodingError, _ bytes: [UInt8]) -> SnapshotToolError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // Foundation reports a number it cannot represent (1e300, 1.5 for an integer) like
            // text that is not JSON at all: tell the two apart, and name the number's field.
            guard let tree = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
                let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return .notJSON(underlying ?? context.debugDescription)
            }
            if let (path, number) = firstNonInteger(tree, path: "") {
                return .json(path: path, reason: "\(number) is not a whole number that fits 64 bits")
            }
            return .json(path: "", reason: context.debugDescription)
        case .dataCorrupted(let context):
            return .json(path: path(context.codingPath), reason: context.debugDescription)
        case .keyNotFound(let key, let context):
            return .json(path: path(context.codingPath + [key]), reason: "is missing")
        case .valueNotFound(_, let context):
            return .json(path: path(context.codingPath), reason: "is null")
        case .typeMismatch(let type, let context):
            return .json(path: path(context.codingPath), reason: "is not \(describe(type)): \(context.debugDescription)")
        @unknown default:
            return .notJSON("\(error)")
        }
    }

    /// The path and text of the first JSON number in `tree` that is not an integer in `Int`'s
    /// range (every number of a snapshot document is one), or nil.
    static func firstNonInteger(_ tree: Any, path: String) -> (String, String)? {
        switch tree {
        case let dictionary as [String: Any]:
            for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                if let found = firstNonInteger(value, path: path.isEmpty ? key : path + "." + key) { return found }
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = firstNonInteger(element, path: path + "[\(index)]") { return found }
            }
        case let number as NSNumber where !(tree is Bool):
            let double = number.doubleValue
            if double != double.rounded() || double < -9.2e18 || double > 9.2e18 { return (path, number.stringValue) }
        default:
            break
        }
        return nil
    }

    /// `vcpus[0].registers[2].firstIndex`.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }
}
