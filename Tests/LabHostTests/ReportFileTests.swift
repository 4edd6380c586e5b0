import Foundation
import Testing

@testable import LabHost

@Suite("Report files are checked before the run")
struct ReportFileTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("labhost-report-\(UUID().uuidString)")

    @Test("missing parent folders are created and the file exists before anything is written")
    func createsFolders() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let path = base.appendingPathComponent(".build-lab/deeper/conformance.json").path
        let file = try ReportFile(option: "--report", path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        try file.write(Data("{}".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
    }

    @Test("a path that cannot be opened is refused at once, naming the option, the path and the reason")
    func unwritable() {
        #expect(throws: ReportFileError(
            option: "--report", path: "/proc/x.json", action: "open it for writing", reason: "No such file or directory"
        )) { try ReportFile(option: "--report", path: "/proc/x.json") }
        let error = ReportFileError(option: "--junit", path: "/proc/x.xml", action: "open it for writing", reason: "Permission denied")
        #expect(error.description == "--junit /proc/x.xml: cannot open it for writing: Permission denied")
    }

    @Test("a folder that cannot be created is named")
    func folderBlockedByFile() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let blocker = base.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("sub/report.json").path
        #expect(throws: ReportFileError(
            option: "--report", path: path, action: "create the folder \(blocker.path)/sub", reason: "Not a directory"
        )) { try ReportFile(option: "--report", path: path) }
    }

    @Test("an existing report is kept until written, then replaced; discard removes only a file it created")
    func replaceAndDiscard() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let old = base.appendingPathComponent("old.json")
        try Data("the previous, longer report".utf8).write(to: old)

        let kept = try ReportFile(option: "--report", path: old.path)
        #expect(try String(contentsOf: old, encoding: .utf8) == "the previous, longer report")
        kept.discard()
        #expect(try String(contentsOf: old, encoding: .utf8) == "the previous, longer report")

        let replaced = try ReportFile(option: "--report", path: old.path)
        try replaced.write(Data("new".utf8))
        #expect(try String(contentsOf: old, encoding: .utf8) == "new")

        let fresh = base.appendingPathComponent("fresh.json")
        try ReportFile(option: "--junit", path: fresh.path).discard()
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }

    @Test("a write that fails at the end says why (/dev/full opens, then fills)")
    func writeFails() throws {
        let file = try ReportFile(option: "--report", path: "/dev/full")
        #expect(throws: ReportFileError(option: "--report", path: "/dev/full", action: "write it", reason: "No space left on device")) {
            try file.write(Data("{}".utf8))
        }
    }
}
