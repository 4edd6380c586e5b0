/// A GICv3.1 extended SPI: INTID 4096–5119 (1024 of them, index 0–1023).
///
/// Part of the architectural INTID map; KVM's vGIC stops at `VGIC_MAX_SPI` (1019) and has no
/// GICD_*RnE registers, so this type exists to classify INTIDs correctly, not to be injected.
public struct ExtendedSPI: Hashable, Comparable, Sendable {
    /// The extended SPI INTIDs.
    public static let intids: ClosedRange<UInt32> = 4096...5119
    /// The extended SPI indices, INTID − 4096.
    public static let indices: ClosedRange<UInt32> = 0...1023

    /// The INTID, 4096–5119.
    public let intid: UInt32

    /// Accepts INTIDs 4096–5119; anything else throws `.outOfRange(field: .extendedSPI, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .extendedSPI)
        self.intid = intid
    }

    /// Builds the extended SPI from its index 0–1023; anything else throws
    /// `.outOfRange(field: .extendedSPIIndex, …)`.
    public init(index: UInt32) throws(GICValueError) {
        try require(index, in: Self.indices, .extendedSPIIndex)
        self.intid = index + Self.intids.lowerBound
    }

    /// The extended SPI index, INTID − 4096.
    public var index: UInt32 { intid - Self.intids.lowerBound }

    public static func < (lhs: ExtendedSPI, rhs: ExtendedSPI) -> Bool { lhs.intid < rhs.intid }
}
