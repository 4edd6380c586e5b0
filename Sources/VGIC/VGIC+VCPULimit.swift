import GICVocabulary
import KVM

/// How many vCPUs a GIC model may serve, asked of the kernel.
///
/// `KVM_CAP_MAX_VCPUS` on the VM fd answers `kvm->max_vcpus`: before a GIC exists that is the
/// host GIC's own limit (`kvm_vgic_global_state.max_gic_vcpus`: 8 on a GICv2 host, 512 on GICv3
/// and GICv5 hosts), and `kvm_vgic_create` then lowers it to the model's: 8 for V2, 512 for V3,
/// and for V5 `min(VGIC_V5_MAX_CPUS = 512, max_gic_vcpus)` (Linux 7.1 `vgic-init.c`,
/// `arm_vgic.h`). The smaller of the answer and `GICVersion.maxVCPUs` is therefore the
/// kernel's own V5 rule and never looser than its V2/V3 rule.
extension VGIC {
    /// The most vCPUs `version` can serve on `vm`: `min(version.maxVCPUs, KVM_CAP_MAX_VCPUS)`,
    /// or the table alone when the kernel answers 0 (no answer).
    ///
    /// Once a vgic exists on `vm`, the capability reports that vgic's limit instead.
    public static func maxVCPUs(_ version: GICVersion, on vm: borrowing VirtualMachine) throws(VGICError) -> Int {
        let answer: Int
        do throws(KVMError) {
            answer = try vm.checkExtension(.maxVCPUs)
        } catch {
            throw .kernel(error)
        }
        guard answer > 0 else { return version.maxVCPUs }
        return Swift.min(version.maxVCPUs, answer)
    }
}

extension VirtualMachine {
    /// Whether this VM's host can create `version` (`KVM_CREATE_DEVICE_TEST`: nothing is
    /// created). False for `.v5` on every host without a GICv5 (ENODEV), including every
    /// emulated one the lab boots.
    public func canCreate(_ version: GICVersion) throws(VGICError) -> Bool {
        try VGIC.isSupported(version, on: self)
    }
}
