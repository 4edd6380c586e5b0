import CKVM
import Conformance

// The conformance runner: the lab's /init inside an emulated arm64 machine (Embedded Swift,
// built by Scripts/lab/build-runner.sh), or a plain program on an arm64 KVM host.
//
// As pid 1 it owns the machine: it mounts /dev (for /dev/kvm) and /proc, and powers off at
// the end, which is what makes QEMU exit. Anywhere else (a host, qemu-aarch64 on x86) it
// never touches mounts or power and exits 0 if nothing failed, 1 otherwise. Either way an
// optional scenario-name filter comes as argv[1] (the lab puts it after "--" on the kernel
// command line, which the kernel passes to init as arguments).

/// `uname -r`, or "unknown" (the report still names the kernel by the lab's own label).
func kernelRelease() -> String {
    var buffer = [CChar](repeating: 0, count: 65)
    let result = buffer.withUnsafeMutableBufferPointer { ckvm_kernel_release($0.baseAddress, $0.count) }
    if result != 0 { return "unknown" }
    return string(buffer)
}

/// A NUL-terminated C buffer as a String (UTF-8, no Foundation).
func string(_ buffer: [CChar]) -> String {
    var bytes: [UInt8] = []
    for char in buffer {
        if char == 0 { break }
        bytes.append(UInt8(bitPattern: char))
    }
    return String(decoding: bytes, as: UTF8.self)
}

let isInit = ckvm_is_pid1() != 0
if isInit {
    let mounted = ckvm_mount_devtmpfs()
    if mounted != 0 { print("conformance: mounting /dev and /proc failed: errno \(-mounted)") }
}

/// argv[1] as a scenario-name filter. Read through the C shim: Embedded Swift has no
/// `CommandLine`.
func nameFilter() -> String? {
    var buffer = [CChar](repeating: 0, count: 256)
    let length = buffer.withUnsafeMutableBufferPointer { ckvm_command_line_argument(1, $0.baseAddress, $0.count) }
    if length <= 0 { return nil }
    return string(buffer)
}

let filter: String? = nameFilter()
let totals = ConformanceRun.run(
    ScenarioCatalog.all, kernelRelease: kernelRelease(), filter: filter, emit: { print($0) })
ckvm_flush_stdout()

if isInit {
    let result = ckvm_power_off()
    // Still running: power-off failed. Exiting makes the kernel panic ("attempted to kill
    // init"), which ends QEMU under panic=-1 and which boot.sh reports as a panic.
    print("conformance: power-off failed: errno \(-result)")
}
ckvm_exit(totals.failed == 0 ? 0 : 1)
