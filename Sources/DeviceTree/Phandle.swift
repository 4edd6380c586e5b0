/// The number by which one node refers to another (`interrupt-parent = <&gic>`): the value of
/// the target's `phandle` property, unique in the tree (Devicetree Specification v0.4 §2.3.3).
///
/// 0 and 0xFFFF_FFFF are refused: dtc treats both as "no phandle" and libfdt reserves
/// 0xFFFF_FFFF as `-1` (DeviceTree.docc/FlattenedFormat.md, "Phandles").
public struct Phandle: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt32

    /// Accepts 1 ... 0xFFFF_FFFE; anything else throws `.invalidPhandle`.
    public init(_ value: UInt32) throws(DeviceTreeError) {
        guard value != 0, value != UInt32.max else { throw .invalidPhandle(value) }
        self.value = value
    }

    public static func < (lhs: Phandle, rhs: Phandle) -> Bool { lhs.value < rhs.value }

    public var description: String { "<" + String(value) + ">" }
}
