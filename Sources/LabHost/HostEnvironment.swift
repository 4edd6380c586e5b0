import Foundation

/// Facts about the machine `kvm-gic conformance` runs on that decide between a native run and
/// the QEMU lab.
public enum HostEnvironment {
    /// `uname -m`.
    public static var machine: String { uname(\.machine) }
    /// `uname -r`: the kernel label of a native run.
    public static var kernelRelease: String { uname(\.release) }

    /// A native run needs an arm64 kernel with `/dev/kvm`. An x86 machine's `/dev/kvm` is an
    /// x86 KVM and does not count: there the lab boots arm64 KVM under QEMU instead.
    public static func canRunNatively(machine: String = machine, kvmPath: String = "/dev/kvm") -> Bool {
        (machine == "aarch64" || machine == "arm64") && FileManager.default.fileExists(atPath: kvmPath)
    }

    private static func uname<Field>(_ field: KeyPath<utsname, Field>) -> String {
        var names = utsname()
        guard Foundation.uname(&names) == 0 else { return "unknown" }
        var value = names[keyPath: field]
        return withUnsafeBytes(of: &value) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
