import GICModel
import GICVocabulary
import KVM
import VGIC

/// A vgic-v3 that runs alongside its reference model: every state-changing operation goes to the
/// kernel and to a `GICv3Model`, refusals are compared by errno, and `verify()` reads the kernel's
/// whole userspace-visible state back and lists every difference.
///
/// For VMM writers in debug builds: wrap the `VGIC` after creating it, drive interrupts through
/// this type instead, and assert `takeDifferences()` is empty now and then (or call `verify()`).
/// The typed methods behave like `VGIC`'s (they throw the kernel's refusal); differences are
/// recorded, never thrown.
///
/// `~Copyable` because it owns the `VGIC` (and so its fds). Not for use while vCPUs run: every
/// access takes all vCPU locks and the model does not follow what a running guest does.
public struct CheckedVGIC: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this owner.
    deinit {}

    /// The kernel side.
    let vgic: VGIC
    /// The model side.
    public internal(set) var model: GICv3Model
    /// The vCPUs, indexed by id, as read back from the kernel.
    public let vcpus: [VCPUIdentity]
    /// Differences recorded by the typed operations since the last `takeDifferences()`.
    public internal(set) var recordedDifferences: [StateDifference] = []
    /// Kernel accesses issued so far (one per ioctl: a 64-bit element counts two).
    public internal(set) var kernelAccesses: Int = 0

    /// Wraps an initialised GICv3 `vgic` with a model of the same shape.
    ///
    /// The model learns what the kernel decides: NR_IRQS from GICD_TYPER, the host CPU-interface
    /// parameters from ICC_CTLR_EL1 of the first vCPU (the lab's host is QEMU's emulated GIC, not
    /// a known part), ITS presence from the `VGIC`. It assumes the kernel is in its post-CTRL_INIT
    /// state; call `verify()` first if that is not certain.
    ///
    /// - Parameters:
    ///   - vcpus: the VM's vCPUs in id order (`VCPUIdentity(reading:)`).
    ///   - kernel: which kernel line's behaviour the model reproduces.
    ///   - redistributors: how the redistributors were placed (for GICR_TYPER.Last).
    ///   - mutations: deliberate model errors, for the mutation check only.
    /// - Throws: the kernel's refusal of the two reads, or `.configuration(.noVCPUs)`.
    public init(
        wrapping vgic: consuming VGIC, vcpus: [VCPUIdentity], kernel: KernelBehaviour,
        redistributors: RedistributorLayout = .legacy, mutations: ModelMutation = []
    ) throws(VGICError) {
        guard let first = vcpus.first else { throw .configuration(.noVCPUs) }
        let typer = try vgic.distributorRegister(.gicdTYPER)
        let ctlr = try vgic.systemRegister(ICCRegister.iccCTLR, of: first)
        let configuration = GICv3ModelConfiguration(
            interruptCount: (UInt32(truncatingIfNeeded: typer & 0x1F) + 1) * 32,
            vcpuAffinities: vcpus.map { $0.affinity }, hasITS: vgic.hasITS, kernel: kernel,
            host: HostCPUInterface(iccCTLR: ctlr), redistributors: redistributors, mutations: mutations)
        self.vgic = vgic
        self.vcpus = vcpus
        self.model = GICv3Model(configuration: configuration)
        self.kernelAccesses = 2
    }

    /// Creates and initialises a vgic-v3 with `VGIC.create` and wraps it.
    public static func create(
        on vm: borrowing VirtualMachine, configuration: VGICConfiguration, vcpus: [VCPUIdentity],
        kernel: KernelBehaviour, mutations: ModelMutation = []
    ) throws(VGICError) -> CheckedVGIC {
        let vgic = try VGIC.create(on: vm, configuration: configuration, vcpus: vcpus)
        return try CheckedVGIC(
            wrapping: vgic, vcpus: vcpus, kernel: kernel,
            redistributors: RedistributorLayout(configuration.redistributors), mutations: mutations)
    }

    /// Hands back the recorded differences and forgets them.
    public mutating func takeDifferences() -> [StateDifference] {
        defer { recordedDifferences.removeAll() }
        return recordedDifferences
    }

    /// The vCPU identity to address `affinity` with: the real one if a vCPU has it, otherwise an
    /// identity with that affinity (the kernel will refuse it, and the model must too).
    func identity(_ affinity: Affinity) -> VCPUIdentity {
        for vcpu in vcpus where vcpu.affinity == affinity { return vcpu }
        return VCPUIdentity(id: 0, affinity: affinity)
    }
}

extension RedistributorLayout {
    /// The model's view of a `VGICConfiguration`'s redistributor placement.
    public init(_ redistributors: Redistributors?) {
        switch redistributors {
        case .regions(let regions)?:
            self = .regions(regions.map { Region(base: $0.base, count: $0.count) })
        case .legacy?, nil:
            self = .legacy
        }
    }
}
