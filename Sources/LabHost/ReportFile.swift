import Foundation

/// A report file named on the command line (`--report`, `--junit`), opened before the run so a
/// path that cannot be written fails at once, not after the kernels have booted.
///
/// `open` creates missing parent folders (CI passes `.build-lab/conformance.json` before that
/// folder exists) and opens the file for writing without truncating it, so an existing report
/// stays as it is until `write` replaces its content through the same descriptor. `discard()`
/// removes a file that `open` created and nothing wrote (the lab could not run).
public final class ReportFile {
    /// The option that named the file (`--report`), for messages.
    public let option: String
    public let path: String
    private var descriptor: Int32
    private let created: Bool

    /// Creates the missing parent folders of `path`, then opens it for writing (creating it).
    ///
    /// - Throws: `ReportFileError` naming the folder or file and the system's reason.
    public init(option: String, path: String) throws(ReportFileError) {
        self.option = option
        self.path = path
        func failure(_ action: String, _ code: Int32 = errno) -> ReportFileError {
            ReportFileError(option: option, path: path, action: action, reason: String(cString: strerror(code)))
        }
        guard !path.isEmpty else { throw failure("open it for writing", ENOENT) }
        var folder = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/").dropLast() {
            folder += "/" + component
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw failure("create the folder \(folder.hasPrefix("./") ? String(folder.dropFirst(2)) : folder)")
            }
        }
        created = access(path, F_OK) != 0
        descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open it for writing") }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Replaces the file's content with `data` and closes it.
    public func write(_ data: Data) throws(ReportFileError) {
        func failure(_ action: String) -> ReportFileError {
            ReportFileError(option: option, path: path, action: action, reason: String(cString: strerror(errno)))
        }
        guard descriptor >= 0 else { throw ReportFileError(option: option, path: path, action: "write it", reason: "already closed") }
        defer {
            close(descriptor)
            descriptor = -1
        }
        var info = stat()
        if fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG {
            guard ftruncate(descriptor, 0) == 0 else { throw failure("empty it") }
        }
        var offset = 0
        while offset < data.count {
            let count = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, data.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("write it") }
            offset += count
        }
    }

    /// Closes the file unwritten; removes it when `init` created it.
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        if created { unlink(path) }
    }
}

/// A report file that cannot be written: which option, which path, what failed and why.
public struct ReportFileError: Error, Equatable, CustomStringConvertible {
    public var option: String
    public var path: String
    /// What could not be done: `open it for writing`, `create the folder x`, `write it`.
    public var action: String
    /// The system's reason (`strerror`).
    public var reason: String

    /// `--report /proc/x.json: cannot open it for writing: No such file or directory`.
    public var description: String { "\(option) \(path): cannot \(action): \(reason)" }
}
