/// A GICv3.1 extended PPI: INTID 1056–1119 (64 of them, index 0–63).
///
/// Part of the architectural INTID map; KVM's vGIC does not implement extended PPIs (it has 32
/// private INTIDs, `VGIC_NR_PRIVATE_IRQS`), so this type exists to classify INTIDs correctly, not to
/// be injected.
public struct ExtendedPPI: Hashable, Comparable, Sendable {
    /// The extended PPI INTIDs.
    public static let intids: ClosedRange<UInt32> = 1056...1119
    /// The extended PPI indices, INTID − 1056.
    public static let indices: ClosedRange<UInt32> = 0...63

    /// The INTID, 1056–1119.
    public let intid: UInt32

    /// Accepts INTIDs 1056–1119; anything else throws `.outOfRange(field: .extendedPPI, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .extendedPPI)
        self.intid = intid
    }

    /// Builds the extended PPI from its index 0–63; anything else throws
    /// `.outOfRange(field: .extendedPPIIndex, …)`.
    public init(index: UInt32) throws(GICValueError) {
        try require(index, in: Self.indices, .extendedPPIIndex)
        self.intid = index + Self.intids.lowerBound
    }

    /// The extended PPI index, INTID − 1056.
    public var index: UInt32 { intid - Self.intids.lowerBound }

    public static func < (lhs: ExtendedPPI, rhs: ExtendedPPI) -> Bool { lhs.intid < rhs.intid }
}
