/// The `KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION` value: `count[63:52] | base[51:16] | flags[15:12] | index[11:0]`.
///
/// Layout and rules from GICVocabulary.docc/AttributeEncodings.md, VGIC.docc/DeviceLifecycle.md and the
/// kernel-internal masks `KVM_VGIC_V3_RDIST_*_MASK` (the selftests build it with
/// `REDIST_REGION_ATTR_ADDR(count, base, flags, index)`):
/// * `count` redistributors, each `KVM_VGIC_V3_REDIST_SIZE` (2 × 64 KiB) long; 0 is EINVAL, and the
///   12-bit field caps it at 4095;
/// * `base` is a guest-physical address placed as-is in bits 51:16, so it must be 64 KiB aligned and
///   below 2^52;
/// * `flags` must be 0 (EINVAL otherwise), so this type has no flags property;
/// * `index` numbers the regions 0, 1, 2, … in creation order (the kernel demands index == last + 1).
///
/// Whether the region fits the IPA space or overlaps another is for the kernel (E2BIG / EINVAL).
public struct RedistributorRegion: Hashable, Sendable {
    /// The counts the 12-bit field can carry, without the forbidden 0.
    public static let counts: ClosedRange<UInt32> = 1...4095
    /// The indices the 12-bit field can carry.
    public static let indices: ClosedRange<UInt32> = 0...4095
    /// The largest address below 2^52; bases must also be 64 KiB aligned.
    public static let bases: ClosedRange<UInt64> = 0...((1 << 52) - 1)
    /// 64 KiB, the alignment of `base`.
    public static let baseAlignment: UInt64 = 0x1_0000
    /// `KVM_VGIC_V3_REDIST_SIZE`: one redistributor is an RD frame plus an SGI frame.
    public static let redistributorSize: UInt64 = 2 * 0x1_0000

    public static let countShift: UInt64 = 52
    public static let countMask: UInt64 = 0xFFF << countShift
    public static let baseMask: UInt64 = 0x000F_FFFF_FFFF_0000
    public static let flagsMask: UInt64 = 0xF << 12
    public static let indexMask: UInt64 = 0xFFF

    /// Number of redistributors in the region, 1–4095.
    public let count: UInt32
    /// Guest-physical base address, 64 KiB aligned, below 2^52.
    public let base: UInt64
    /// Region number, 0–4095.
    public let index: UInt32

    /// Checks each field: count 1–4095 (`.outOfRange(field: .redistRegionCount, …)`), base below 2^52
    /// (`.outOfRange(field: .redistRegionBase, …)`) and 64 KiB aligned
    /// (`.misaligned(field: .redistRegionBase, …)`), index 0–4095
    /// (`.outOfRange(field: .redistRegionIndex, …)`).
    public init(count: UInt32, base: UInt64, index: UInt32) throws(GICValueError) {
        try require(count, in: Self.counts, .redistRegionCount)
        try require(base, in: Self.bases, .redistRegionBase)
        try requireAligned(base, to: Self.baseAlignment, .redistRegionBase)
        try require(index, in: Self.indices, .redistRegionIndex)
        self.count = count
        self.base = base
        self.index = index
    }

    /// Decodes a value (for example one read back with `KVM_GET_DEVICE_ATTR`). Non-zero flags throw
    /// `.reservedBitsSet(field: .redistRegionFlags, value: rawValue, reservedMask: 0xF000)`; a zero
    /// count throws `.outOfRange(field: .redistRegionCount, value: 0, allowed: 1...4095)`.
    public init(rawValue: UInt64) throws(GICValueError) {
        try requireClear(rawValue, mask: Self.flagsMask, .redistRegionFlags)
        try self.init(
            count: UInt32(truncatingIfNeeded: (rawValue & Self.countMask) >> Self.countShift),
            base: rawValue & Self.baseMask,
            index: UInt32(truncatingIfNeeded: rawValue & Self.indexMask))
    }

    /// The 64-bit value for `KVM_SET_DEVICE_ATTR`.
    public var rawValue: UInt64 {
        UInt64(count) << Self.countShift | base | UInt64(index)
    }

    /// Bytes of guest-physical address space the region covers: `count × 128 KiB`.
    public var size: UInt64 { UInt64(count) * Self.redistributorSize }

    /// The value to preset before `KVM_GET_DEVICE_ATTR` of region `index`: the kernel reads the index from
    /// the buffer and answers ENOENT if that region does not exist
    /// (GICVocabulary.docc/AttributeEncodings.md). Indices above 4095 throw `.outOfRange(field:
    /// .redistRegionIndex, …)`.
    public static func readRequest(index: UInt32) throws(GICValueError) -> UInt64 {
        try require(index, in: indices, .redistRegionIndex)
        return UInt64(index)
    }
}
