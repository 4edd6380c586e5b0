import Foundation

/// Finds the package root the lab scripts live in (`Package.swift` next to `Scripts/lab`).
///
/// `swift run` starts the tool in the package root, so the working directory is tried first;
/// then its parents (run from a subfolder), then the executable's own folders
/// (`<root>/.build/<config>/kvm-gic` run from anywhere).
public enum RepoRoot {
    public static func locate(
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL? = Bundle.main.executableURL
    ) -> URL? {
        var starts = [currentDirectory.standardizedFileURL]
        if let executable { starts.append(executable.deletingLastPathComponent().standardizedFileURL) }
        for start in starts {
            var directory = start
            while true {
                if isRoot(directory) { return directory }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    /// True when `directory` holds `Package.swift` and `Scripts/lab/boot.sh`.
    public static func isRoot(_ directory: URL) -> Bool {
        let files = FileManager.default
        return files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            && files.fileExists(atPath: directory.appendingPathComponent("Scripts/lab/boot.sh").path)
    }
}
