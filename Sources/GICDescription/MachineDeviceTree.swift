import DeviceTree
import GICVocabulary
import VGIC

/// The whole minimal machine an arm64 Linux guest boots with: root, `cpus`, `psci`, `memory`,
/// the GIC, the timer and `chosen`, as a `DeviceTree` a VMM extends with its own devices
/// before flattening it (GICDescription.docc/GICBinding.md, "The machine").
///
/// The cpu nodes' `reg` is each vCPU's affinity as the kernel reports it (`VCPUIdentity`,
/// read from MPIDR_EL1), never its index: that is what the guest's GIC driver and PSCI
/// CPU_ON compare against.
public struct MachineDeviceTree: Hashable, Sendable {
    public var gic: GuestGIC
    /// The vCPUs in creation order; the first is the boot CPU.
    public var vcpus: [VCPUIdentity]
    /// RAM, one `memory@…` node per range.
    public var memory: [AddressRange]
    /// The kernel command line, `chosen/bootargs`.
    public var bootargs: String?
    /// The console, `chosen/stdout-path` (a path such as "/uart@9000000", optionally ":115200").
    public var stdoutPath: String?
    /// Where the VMM loaded an initramfs: `chosen/linux,initrd-start` and `linux,initrd-end`
    /// (the end is exclusive).
    public var initrd: AddressRange?
    public var psci: PSCIConduit
    /// The root's `compatible`: `linux,dummy-virt` names no board, as QEMU's and kvmtool's
    /// virtual machines do.
    public var compatible: [String]
    /// Each cpu node's `compatible`: `arm,armv8`, the binding's generic ARMv8 value.
    public var cpuCompatible: String
    /// The timer's PPIs, KVM's unless the VMM moved them.
    public var timerPPIs: ArchTimerPPIs

    public init(
        gic: GuestGIC, vcpus: [VCPUIdentity], memory: [AddressRange], bootargs: String? = nil, stdoutPath: String? = nil,
        initrd: AddressRange? = nil, psci: PSCIConduit = .hvc, compatible: [String] = ["linux,dummy-virt"], cpuCompatible: String = "arm,armv8",
        timerPPIs: ArchTimerPPIs = .kvm
    ) {
        self.gic = gic
        self.vcpus = vcpus
        self.memory = memory
        self.bootargs = bootargs
        self.stdoutPath = stdoutPath
        self.initrd = initrd
        self.psci = psci
        self.compatible = compatible
        self.cpuCompatible = cpuCompatible
        self.timerPPIs = timerPPIs
    }

    /// The tree: a root with `#address-cells = <2>`, `#size-cells = <2>`, `compatible` and
    /// `interrupt-parent = <&gic>`, then `cpus`, `psci`, the memory nodes, the GIC, the timer and
    /// `chosen`; `boot_cpuid_phys` is the first vCPU's `reg`.
    ///
    /// - Throws: `.vcpuCount` when the vCPUs are not the GIC's count, `.duplicateAffinity`,
    ///   `.noMemory`.
    public func tree() throws(GICDescriptionError) -> DeviceTree {
        guard vcpus.count == gic.vcpuCount else { throw .vcpuCount(machine: vcpus.count, gic: gic.vcpuCount) }
        var seen: Set<Affinity> = []
        for vcpu in vcpus where !seen.insert(vcpu.affinity).inserted { throw .duplicateAffinity(vcpu.affinity) }
        guard !memory.isEmpty else { throw .noMemory }

        var root = DeviceTreeNode(
            "",
            properties: [
                .u32("#address-cells", 2),
                .u32("#size-cells", 2),
                .strings("compatible", compatible),
                .phandle("interrupt-parent", gic.phandle),
            ])
        root.children.append(cpusNode)
        root.children.append(psciNode)
        root.children += memory.map(Self.memoryNode)
        root.children.append(gic.interruptController)
        root.children.append(gic.timer(timerPPIs))
        root.children.append(chosenNode)
        let boot = vcpus.first.map { UInt32(truncatingIfNeeded: Self.cpuReg($0.affinity)) } ?? 0
        return DeviceTree(root: root, bootCPUID: boot)
    }

    /// The blob of `tree()`, as it is (a VMM with devices of its own edits `tree()` first).
    public func flattened(sizeLimit: Int = DeviceTree.defaultSizeLimit) throws(GICDescriptionError) -> [UInt8] {
        let tree = try tree()
        do throws(DeviceTreeError) {
            return try tree.flattened(sizeLimit: sizeLimit)
        } catch {
            throw .deviceTree(error)
        }
    }
}
