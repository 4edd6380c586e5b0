import CKVM
import KVM
import GICSnapshot
import MinimalVMM

/// The Linux guest of the `linux.*` scenarios: the lab machine's own kernel image and the guest
/// initramfs the lab packs next to /init (Scripts/lab/make-initramfs.sh, boot.sh), booted by the
/// minimal VMM (Conformance.docc/LinuxGuest.md).
enum LinuxGuest {
    /// The kernel the lab machine booted, handed to /init as a file.
    static let kernelPath = "/guest/Image"
    /// The guest's initramfs: guest-init.c as /init.
    static let initramfsPath = "/guest/initramfs.cpio"
    /// How long a boot may take to reach the guest's first report.
    static let bootTimeoutMilliseconds: Int64 = 120_000

    /// Boots the guest with `configuration`; a missing payload is a skip, anything else a failure.
    static func boot(_ context: ScenarioContext, _ configuration: LinuxMachineConfiguration) throws(ScenarioFailure) -> LinuxMachine {
        let kvm = try LabKernel.open(context)
        for path in [kernelPath, initramfsPath] where path.withCString({ ckvm_file_size($0) }) < 0 {
            throw .skip("no guest payload at \(path) (the lab packs it; a native run has none)")
        }
        do throws(MachineError) {
            return try LinuxMachine.boot(on: kvm, configuration: configuration, kernelImage: kernelPath, initramfs: initramfsPath)
        } catch {
            throw .fail("booting the guest: \(error)")
        }
    }

    /// Waits for the guest's first report (READY); the boot-to-init time in ms.
    static func waitForInit(_ machine: inout LinuxMachine) throws(ScenarioFailure) -> Int64 {
        let ready = machine.wait(timeoutMilliseconds: bootTimeoutMilliseconds) { stream in
            stream.lastReport(with: "READY") != nil
        }
        guard ready else {
            machine.stop()
            throw .fail("the guest did not reach its init within \(bootTimeoutMilliseconds / 1000) s: " + describe(machine))
        }
        return (ckvm_monotonic_ns() - machine.startedAt) / 1_000_000
    }

    /// The console so far and what each vCPU thread saw, for a failure's detail.
    static func describe(_ machine: borrowing LinuxMachine) -> String {
        var text = "console preamble: \"" + printable(machine.stream.preamble.suffix(600)) + "\""
        for (index, statistics) in machine.vcpuStatistics.enumerated() {
            text += "; vCPU \(index): \(statistics.runs) runs, \(statistics.mmioExits) MMIO"
            if let event = statistics.systemEvent { text += ", system event \(event)" }
            if let failure = statistics.failure { text += ", " + failure }
            if statistics.unclaimedAccesses > 0 { text += ", \(statistics.unclaimedAccesses) unclaimed MMIO" }
        }
        return text
    }

    /// Bytes as text with control characters shown as '.'.
    static func printable<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var clean: [UInt8] = []
        for byte in bytes { clean.append(byte == 0x0A ? 0x7C : (byte < 0x20 || byte > 0x7E ? 0x2E : byte)) }
        return String(decoding: clean, as: UTF8.self)
    }

    /// Whether any of `lines` contains `part` (byte-wise: Embedded Swift has no
    /// `String.contains(String)`).
    static func anyLine(_ lines: [String], containing part: String) -> Bool {
        let needle = Array(part.utf8)
        return lines.contains { contains(Array($0.utf8), needle) }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var index = 1
            while index < needle.count, haystack[start + index] == needle[index] { index += 1 }
            if index == needle.count { return true }
        }
        return false
    }

    /// `value` as the kernel prints physical addresses and MPIDRs: "0x" and `digits` lowercase
    /// hex digits, zero-padded.
    static func hex16(_ value: UInt64, digits: Int = 16) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// vCPU `id`'s power state, `.other(UInt32.max)` when it cannot be read.
    static func mpState(of id: UInt32, in vcpus: inout VCPUSet) -> MPState {
        let state = vcpus.withVCPU(id: id) { vcpu in try? vcpu.mpState() }
        return (state ?? nil) ?? .other(UInt32.max)
    }
}
