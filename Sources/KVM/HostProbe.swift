/// What an arm64 KVM host offers for GIC work, found without side effects.
///
/// Devices are probed on a scratch VM with `KVM_CREATE_DEVICE_TEST`, which creates nothing;
/// the VM is closed before `probe` returns.
public struct HostProbe: Sendable, Equatable {
    /// `uname -m` of the kernel.
    public var machine: String
    /// `KVM_GET_API_VERSION` (12).
    public var apiVersion: Int
    /// `KVM_CAP_ARM_VM_IPA_SIZE`: the largest IPA a VM may request (0: fixed 40 bits).
    public var ipaLimit: Int
    /// `KVM_CAP_NR_VCPUS`: the recommended vCPU count.
    public var recommendedVCPUs: Int
    /// `KVM_CAP_MAX_VCPUS` before any GIC exists (the GIC model lowers it: v2 8, v3/v5 512).
    public var maxVCPUs: Int
    /// `KVM_CAP_MAX_VCPU_ID`.
    public var maxVCPUID: Int
    /// `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`: vCPU indexes above 255 in `KVM_IRQ_LINE`.
    public var irqLineLayout2: Bool
    /// `KVM_CAP_ARM_EL2`: nested virtualisation.
    public var nestedVirtualization: Bool
    /// Each vgic device type, and whether this host can create it.
    public var devices: [DeviceSupport]

    public struct DeviceSupport: Sendable, Equatable {
        public var type: DeviceType
        public var creatable: Bool
    }

    /// The device types probed, in the order reported.
    public static let probedDevices: [DeviceType] = [.vgicV2, .vgicV3, .vgicITS, .vgicV5]

    /// Whether `type` can be created on this host.
    public func canCreate(_ type: DeviceType) -> Bool {
        devices.contains { $0.type == type && $0.creatable }
    }

    /// Probes the KVM at `path`.
    ///
    /// - Throws: `.kernel(ENOENT/EACCES, open)` without a usable `/dev/kvm`; `.notArm64`
    ///   on another architecture's KVM (after reading only the API version).
    public static func probe(path: String = "/dev/kvm", interface: KernelInterface = .live) throws(KVMError) -> HostProbe {
        let kvm = try KVM.open(path: path, interface: interface)
        let vm = try kvm.createVM()
        var devices: [DeviceSupport] = []
        for type in probedDevices {
            devices.append(DeviceSupport(type: type, creatable: try vm.canCreate(type)))
        }
        return HostProbe(
            machine: kvm.machine,
            apiVersion: kvm.apiVersion,
            ipaLimit: try kvm.ipaLimit(),
            recommendedVCPUs: try kvm.checkExtension(.nrVCPUs),
            maxVCPUs: try kvm.checkExtension(.maxVCPUs),
            maxVCPUID: try kvm.checkExtension(.maxVCPUID),
            irqLineLayout2: vm.supportsIRQLineLayout2,
            nestedVirtualization: try kvm.checkExtension(.armEL2) > 0,
            devices: devices)
    }

    /// The report as `key: value` lines, the same on the host tool and in the lab runner.
    public var lines: [String] {
        var out = [
            "machine: \(machine)",
            "KVM API version: \(apiVersion)",
            "IPA size limit: \(ipaLimit == 0 ? "40 bits (fixed)" : "\(ipaLimit) bits")",
            "vCPUs: recommended \(recommendedVCPUs), max \(maxVCPUs), max id \(maxVCPUID)",
            "KVM_IRQ_LINE layout 2 (vCPU index > 255): \(irqLineLayout2 ? "yes" : "no")",
            "nested virtualisation (KVM_CAP_ARM_EL2): \(nestedVirtualization ? "yes" : "no")",
        ]
        for device in devices {
            out.append("device \(device.type): \(device.creatable ? "can be created" : "not offered by this host (ENODEV)")")
        }
        return out
    }
}
