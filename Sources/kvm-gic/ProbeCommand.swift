import ArgumentParser
import KVM

/// `kvm-gic probe`: what this host's KVM offers for GIC work, or why it offers nothing.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Print the KVM API version, IPA size, vCPU limits and the vgic devices this host can create.",
        discussion: "Exit status 0 when the host was probed, 2 when it has no usable arm64 KVM (the reason on stderr), 64 on a usage error."
    )

    @Option(name: .long, help: "The KVM device node.")
    var device: String = "/dev/kvm"

    func run() throws {
        do {
            let probe = try HostProbe.probe(path: device)
            for line in probe.lines { print(line) }
        } catch {
            throw ToolExit.fail("kvm-gic probe", ProbeCommand.explain(error, device: device), ToolExit.badInput)
        }
    }

    /// A sentence a person can act on, for each way a probe can fail.
    static func explain(_ error: KVMError, device: String) -> String {
        switch error {
        case .kernel(.ENOENT, let attempt) where attempt.request == .open:
            return "no \(device): this machine has no KVM. Run on an arm64 Linux host with KVM, "
                + "or use the lab (`swift run kvm-gic conformance`) which boots arm64 KVM under QEMU."
        case .kernel(.EACCES, let attempt) where attempt.request == .open,
            .kernel(.EPERM, let attempt) where attempt.request == .open:
            return "\(device) exists but cannot be opened (permission denied): run as root or join the kvm group."
        case .notArm64(let machine, _):
            return "\(device) is a \(machine) KVM, not arm64: the vgic exists only on arm64 KVM, "
                + "and no arm64 ioctl is sent to another architecture's KVM. "
                + "Use the lab (`swift run kvm-gic conformance`) to run against real arm64 KVM here."
        default:
            return "probe failed: \(error)"
        }
    }
}
