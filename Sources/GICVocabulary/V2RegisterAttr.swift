/// The attr for GICv2 `KVM_DEV_ARM_VGIC_GRP_DIST_REGS` / `_CPU_REGS`: `vcpuIndex[39:32] | offset[31:0]`.
///
/// GICVocabulary.docc/AttributeEncodings.md: the selector is the vCPU **index** (`V2CPUSelector`), not an
/// affinity; the value is a `__u32`, and the first access initialises the vGIC implicitly. Offsets are
/// 4-aligned.
public struct V2RegisterAttr: Hashable, Sendable {
    /// The vCPU whose banked registers (or CPU interface) are meant.
    public let cpu: V2CPUSelector
    /// Byte offset in the distributor or CPU interface frame, 4-aligned.
    public let offset: UInt32

    /// Accepts a 4-aligned offset; otherwise throws `.misaligned(field: .registerOffset, value:, alignment: 4)`.
    public init(cpu: V2CPUSelector, offset: UInt32) throws(GICValueError) {
        try requireAligned(UInt64(offset), to: UInt64(RegisterAttr.offsetAlignment), .registerOffset)
        self.cpu = cpu
        self.offset = offset
    }

    /// Decodes an attr. Bits 63:40 set throw `.reservedBitsSet(field: .registerAttr, …)` (the kernel
    /// ignores them, so such an attr was not built by us); a misaligned offset throws `.misaligned`.
    public init(rawValue: UInt64) throws(GICValueError) {
        try requireClear(rawValue, mask: ~(V2CPUSelector.attrMask | RegisterAttr.offsetMask), .registerAttr)
        try self.init(cpu: V2CPUSelector(attr: rawValue),
                      offset: UInt32(truncatingIfNeeded: rawValue & RegisterAttr.offsetMask))
    }

    /// The attr value.
    public var rawValue: UInt64 { cpu.attrBits | UInt64(offset) }
}
