/// A vCPU id as `KVM_IRQ_LINE` addresses it: 0–4095.
///
/// `KVM_IRQ_LINE` looks the target up by **vcpu id** (the number passed to `KVM_CREATE_VCPU`), not by MPIDR,
/// as `vcpu_index + 256 * vcpu2_index` (GICVocabulary.docc/InterruptNumbers.md). The word has 8 + 4 bits for
/// it, so 4095 is the most it can name; ids above 255 need `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`
/// (GICVocabulary.docc/Pitfalls.md item 10). Whether that vCPU exists (KVM on arm64 allows at most
/// `KVM_MAX_VCPUS`, 512 with a GICv3) is for the kernel to answer.
///
/// Not to be confused with the selectors of device attributes: GICv3 REDIST/CPU_SYSREGS/LEVEL_INFO
/// select by `Affinity`, GICv2 by `V2CPUSelector` (GICVocabulary.docc/Pitfalls.md item 4).
public struct VCPUIndex: Hashable, Comparable, Sendable {
    /// Every id the `KVM_IRQ_LINE` word can carry.
    public static let allowed: ClosedRange<UInt32> = 0...4095
    /// The ids that fit the original layout's 8-bit field.
    public static let layout1: ClosedRange<UInt32> = 0...255

    /// The vCPU id, 0–4095.
    public let value: UInt32

    /// Accepts 0–4095; anything else throws `.outOfRange(field: .vcpuIndex, …)`.
    public init(_ value: UInt32) throws(GICValueError) {
        try require(value, in: Self.allowed, .vcpuIndex)
        self.value = value
    }

    /// vCPU 0, the only target an SPI word ever names.
    public static let zero = VCPUIndex(checked: 0)

    init(checked value: UInt32) {
        self.value = value
    }

    /// True when the id does not fit in 8 bits, so the word needs the `vcpu2_index` field and the
    /// kernel must have `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`.
    public var needsLayout2: Bool { value > Self.layout1.upperBound }

    public static func < (lhs: VCPUIndex, rhs: VCPUIndex) -> Bool { lhs.value < rhs.value }
}
