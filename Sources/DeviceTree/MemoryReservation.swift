/// An entry of the blob's memory reservation block: physical memory the guest's OS must not
/// use for general allocation (Devicetree Specification v0.4 §5.3; DeviceTree.docc/FlattenedFormat.md).
///
/// The block ends with an all-zero entry, so an entry of size 0 cannot be represented: the
/// writer refuses it (`.emptyReservation`) rather than end the list early.
public struct MemoryReservation: Hashable, Sendable {
    public var address: UInt64
    public var size: UInt64

    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}
