import Foundation
import GICSnapshot
import SnapshotFuzzSupport
import SnapshotTools

#if SNAPSHOT_LIBFUZZER
import CLibFuzzer

/// libFuzzer's per-input callback: a broken promise traps, which libFuzzer reports as a crash,
/// saving the input for replay with the plain build.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { [UInt8](UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if let what = FuzzInput.violation(bytes) {
        fatalError("snapshot totality violated: \(what)")
    }
    return 0
}
#endif

/// The fuzz target. Its plain build replays inputs (a crash file, the corpus) through the same
/// check without a fuzzer runtime, and writes the seed corpus:
///
///     SnapshotFuzz FILE|DIR...          exit 0: every input kept the promise; 1: one did not
///     SnapshotFuzz --write-corpus DIR   the seeds, each as binary (.bin) and JSON (.json)
///
/// Built with `-sanitize=fuzzer -DSNAPSHOT_LIBFUZZER` (Scripts/fuzz-snapshots.sh) it is the
/// libFuzzer binary and takes libFuzzer's arguments instead.
@main
struct SnapshotFuzz {
    static func main() {
        #if SNAPSHOT_LIBFUZZER
        // libFuzzer leaves alone a signal that already has a handler, and the Swift runtime's
        // backtracer installs one for each of these: without this, a trap would end the process
        // before libFuzzer reports it and saves the input.
        for deadly in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
            signal(deadly, SIG_DFL)
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzz))
        #else
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-corpus", arguments.count == 2 {
            exit(writeCorpus(arguments[1]))
        }
        guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) else {
            printError("usage: SnapshotFuzz FILE|DIR... | --write-corpus DIR")
            exit(2)
        }
        exit(replay(arguments))
        #endif
    }

    /// Runs every file named, or inside a directory named, through `FuzzInput`.
    static func replay(_ paths: [String]) -> Int32 {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        var violations = 0
        var accepted = 0
        for file in files {
            let bytes: [UInt8]
            do throws(SnapshotToolError) {
                bytes = try SnapshotFile.readBytes(file)
            } catch {
                printError("SnapshotFuzz: \(error)")
                return 2
            }
            if let what = FuzzInput.violation(bytes) {
                printError("\(file): snapshot totality violated: \(what)")
                violations += 1
            } else if SnapshotTotality.check(bytes, reference: SeedSnapshots.reference) == .accepted {
                accepted += 1
            }
        }
        print("replayed \(files.count) inputs: \(accepted) accepted, \(files.count - accepted - violations) refused, \(violations) violations")
        return violations == 0 ? 0 : 1
    }

    /// Writes each seed shape in both forms into `directory`, after checking it is accepted.
    static func writeCorpus(_ directory: String) -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            printError("SnapshotFuzz: cannot create \(directory): \(error.localizedDescription)")
            return 2
        }
        for (position, shape) in SeedSnapshots.shapes.enumerated() {
            let snapshot = SeedSnapshots.snapshot(shape, seed: UInt64(position))
            if let problem = snapshot.structuralProblem() {
                printError("SnapshotFuzz: seed \(shape.name) is not valid: \(problem)")
                return 1
            }
            for form in SnapshotFile.Form.allCases {
                let path = "\(directory)/\(shape.name).\(form == .binary ? "bin" : "json")"
                do throws(SnapshotToolError) {
                    let bytes = try SnapshotFile.encode(snapshot, as: form)
                    guard SnapshotTotality.check(bytes, reference: SeedSnapshots.reference) == .accepted else {
                        printError("SnapshotFuzz: seed \(path) is not accepted")
                        return 1
                    }
                    try SnapshotFile.writeBytes(bytes, to: path)
                } catch {
                    printError("SnapshotFuzz: \(error)")
                    return 2
                }
                print(path)
            }
        }
        return 0
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
