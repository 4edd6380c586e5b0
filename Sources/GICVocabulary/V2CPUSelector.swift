/// The selector for GICv2 DIST_REGS and CPU_REGS attributes: a vCPU **index** in attr bits 39:32.
///
/// `KVM_DEV_ARM_VGIC_CPUID_SHIFT` 32, `KVM_DEV_ARM_VGIC_CPUID_MASK` 0xff << 32; the kernel resolves it with
/// `kvm_get_vcpu_by_id` and answers EINVAL if there is no such vCPU
/// (GICVocabulary.docc/AttributeEncodings.md). A different type from `Affinity` on purpose: GICv3 selects by
/// packed affinity (GICVocabulary.docc/Pitfalls.md item 4).
public struct V2CPUSelector: Hashable, Sendable {
    /// The ids the 8-bit field can carry. (A GICv2 VM has at most 8 vCPUs, `VGIC_V2_MAX_CPUS`.)
    public static let allowed: ClosedRange<UInt32> = 0...255
    /// `KVM_DEV_ARM_VGIC_CPUID_SHIFT`.
    public static let attrShift: UInt64 = 32
    /// `KVM_DEV_ARM_VGIC_CPUID_MASK`.
    public static let attrMask: UInt64 = 0xFF << attrShift

    /// The vCPU id, 0–255.
    public let vcpuIndex: UInt32

    /// Accepts 0–255; anything else throws `.outOfRange(field: .v2CPUIndex, …)`.
    public init(vcpuIndex: UInt32) throws(GICValueError) {
        try require(vcpuIndex, in: Self.allowed, .v2CPUIndex)
        self.vcpuIndex = vcpuIndex
    }

    /// Reads the selector out of bits 39:32 of an attr (the kernel ignores bits 63:40).
    public init(attr: UInt64) {
        vcpuIndex = UInt32(truncatingIfNeeded: (attr & Self.attrMask) >> Self.attrShift)
    }

    /// The index in place at attr bits 39:32.
    public var attrBits: UInt64 { UInt64(vcpuIndex) << Self.attrShift }
}
