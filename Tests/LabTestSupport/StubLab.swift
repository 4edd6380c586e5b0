import Foundation

/// A package root whose `Scripts/lab` are stubs: no packages, no compiler, no QEMU. The lab (in
/// process, or `kvm-gic conformance` run from `root`: the tool finds its package from the
/// working directory first) runs these scripts instead. Stubs that start a long `sleep` write
/// its pid to `<root>/<name>.pid`.
public struct StubLab: Sendable {
    public let root = FileManager.default.temporaryDirectory.appendingPathComponent("kvm-gic-stub-\(UUID().uuidString)")

    /// A boot whose runner reports one passing scenario and its verdict.
    public static let passingBoot = """
        echo "@@BEGIN\tstub-kernel\t1"
        echo "@@SCENARIO\thost.probe\tpass\tstub"
        echo "@@END\t1\t0\t0"
        """

    /// A boot that reports one scenario, starts the next (a `sleep` whose pid goes to
    /// `sleeper.pid`) and hangs: what an interruption test signals.
    public static let hangingBoot = """
        echo "@@BEGIN\tstub-kernel\t2"
        sleep 300 >/dev/null 2>&1 &
        echo $! > sleeper.pid
        echo "@@SCENARIO\thost.probe\tpass\tstub"
        echo "conformance: running vgic_init.v3.redist_regions"
        wait
        """

    public init(boot: String, buildRunner: String = #"echo "$1/init""#) throws {
        let lab = root.appendingPathComponent("Scripts/lab")
        try FileManager.default.createDirectory(at: lab, withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("Package.swift"))
        let scripts = [
            "install-host-packages.sh": "exit 0",
            "build-runner.sh": buildRunner,
            "make-initramfs.sh": "exit 0",
            "fetch-kernel.sh": #"echo "$PWD/Image-$1""#,
            // The default QEMU is 11, fetched into the cache: the stub names the one on PATH.
            "fetch-qemu.sh": "echo qemu-system-aarch64",
            "boot.sh": boot,
        ]
        for (name, body) in scripts {
            try writeExecutable("#!/bin/sh\n" + body + "\n", to: lab.appendingPathComponent(name))
        }
    }

    /// The pid a stub wrote to `<root>/<name>.pid`.
    public func pid(_ name: String) throws -> pid_t {
        let text = try String(contentsOf: root.appendingPathComponent(name + ".pid"), encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return pid
    }

    public func remove() { try? FileManager.default.removeItem(at: root) }

    /// True while `pid` runs (a zombie waiting for its reaper does not).
    public static func running(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }
}

/// Writes an executable file through a descriptor closed on exec, so no child that a parallel
/// test starts meanwhile keeps it open for writing (executing it would then fail: ETXTBSY).
public func writeExecutable(_ text: String, to url: URL) throws {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    guard write(descriptor, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
}

/// A value one thread sets and another reads.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public func set(_ value: Value) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    public var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
