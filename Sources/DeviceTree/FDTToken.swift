/// The tokens of the structure block, each a big-endian 32-bit word on a 4-byte boundary
/// (Devicetree Specification v0.4 §5.4.1; DeviceTree.docc/FlattenedFormat.md, "Structure block").
enum FDTToken: UInt32 {
    /// Starts a node; its NUL-terminated name follows, padded to 4 bytes.
    case beginNode = 1
    /// Ends the node begun last.
    case endNode = 2
    /// A property: `len` and `nameoff` words, then `len` bytes of value, padded to 4 bytes.
    case property = 3
    /// Nothing; readers skip it.
    case nop = 4
    /// The end of the structure block.
    case end = 9
}
