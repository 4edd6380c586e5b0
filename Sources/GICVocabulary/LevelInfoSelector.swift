/// The attr for `KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO`: `affinity[63:32] | info[31:10] | vINTID[9:0]`.
///
/// Rules from GICVocabulary.docc/AttributeEncodings.md (`vgic_v3_line_level_info_uaccess`):
/// * `info` must be `VGIC_LEVEL_INFO_LINE_LEVEL` (0), the only kind defined, else EINVAL; this type
///   always writes 0;
/// * `vINTID` is the first of 32 INTIDs and must be a multiple of 32, else EINVAL;
/// * the field is 10 bits, so vINTID is below 1024; LPIs are not supported.
///
/// The value is a `__u32` bitmap: bit n is the line level of `firstINTID + n`. SGIs and INTIDs at or
/// above `NR_IRQS` read as zero; PPIs are per vCPU (selected by `affinity`); for SPIs the affinity
/// still has to name an existing vCPU, but which one does not matter.
///
/// This is the half of the pending state that ISPENDR does not show: restoring a level interrupt
/// needs both (GICVocabulary.docc/Pitfalls.md item 6).
public struct LevelInfoSelector: Hashable, Sendable {
    /// The vINTIDs the 10-bit field can carry; `firstINTID` must also be a multiple of 32.
    public static let intids: ClosedRange<UInt32> = 0...1023
    /// `KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK`: bits 31:10.
    public static let infoMask: UInt64 = 0x3F_FFFF << 10
    /// `KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK`: bits 9:0.
    public static let intidMask: UInt64 = 0x3FF
    /// Each access covers 32 INTIDs.
    public static let intidsPerAccess: UInt32 = 32

    /// The vCPU whose private INTIDs are meant.
    public let affinity: Affinity
    /// The first INTID of the 32 covered: 0, 32, …, 992.
    public let firstINTID: UInt32

    /// Accepts a `firstINTID` that is a multiple of 32 and below 1024. Above 1023 throws
    /// `.outOfRange(field: .levelInfoINTID, …)`; otherwise not a multiple of 32 throws
    /// `.misaligned(field: .levelInfoINTID, …, alignment: 32)`.
    public init(affinity: Affinity, firstINTID: UInt32) throws(GICValueError) {
        try require(firstINTID, in: Self.intids, .levelInfoINTID)
        try requireAligned(UInt64(firstINTID), to: UInt64(Self.intidsPerAccess), .levelInfoINTID)
        self.affinity = affinity
        self.firstINTID = firstINTID
    }

    /// The selector whose 32 INTIDs include `intid` (rounding down to a multiple of 32); above 1023
    /// throws `.outOfRange(field: .levelInfoINTID, …)`.
    public init(affinity: Affinity, covering intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .levelInfoINTID)
        try self.init(affinity: affinity, firstINTID: intid & ~(Self.intidsPerAccess - 1))
    }

    /// Decodes an attr. Non-zero info bits throw `.reservedBitsSet(field: .levelInfoInfo, value: attr,
    /// reservedMask: 0xFFFF_FC00)`; a vINTID that is not a multiple of 32 throws `.misaligned`.
    public init(attr: UInt64) throws(GICValueError) {
        try requireClear(attr, mask: Self.infoMask, .levelInfoInfo)
        try self.init(affinity: Affinity(attr: attr),
                      firstINTID: UInt32(truncatingIfNeeded: attr & Self.intidMask))
    }

    /// The attr for `KVM_{GET,SET}_DEVICE_ATTR`.
    public var attr: UInt64 { affinity.attrBits | UInt64(firstINTID) }

    /// The 32 INTIDs whose levels the bitmap carries.
    public var intids: ClosedRange<UInt32> { firstINTID...(firstINTID + Self.intidsPerAccess - 1) }

    /// The bit of the bitmap that holds `intid`'s level, or nil if this selector does not cover it.
    public func bit(for intid: UInt32) -> UInt32? {
        intids.contains(intid) ? intid - firstINTID : nil
    }
}
