/// Why bytes are not a flattened devicetree this reader accepts. Offsets count from the blob's
/// first byte, so a message points at the damage.
public enum FDTDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the header, or than `totalsize` says.
    case truncated(needed: Int, available: Int)
    /// The first word is not 0xd00dfeed.
    case badMagic(UInt32)
    /// A version this reader cannot read: older than 17, or a `last_comp_version` above 17.
    case unsupportedVersion(version: UInt32, lastCompatible: UInt32)
    /// `totalsize` smaller than the header.
    case totalSizeTooSmall(UInt32)
    /// A block that does not lie inside the blob after the header.
    case blockOutOfBounds(FDTBlock, offset: UInt32, size: UInt32)
    /// A block whose offset or size breaks its alignment (reservations 8, structure 4).
    case misaligned(FDTBlock, offset: UInt32)
    /// The memory reservation block runs to the end of the blob without its all-zero entry.
    case unterminatedReservations
    /// A reservation of size 0 at a non-zero address, which the writer cannot write.
    case emptyReservation(offset: Int)
    /// A token word that is none of the five, at `offset`.
    case unknownToken(UInt32, offset: Int)
    /// A token where it cannot be: a property outside a node or after a child node, a second
    /// root, an FDT_END_NODE with no node open, FDT_END inside a node.
    case unexpectedToken(UInt32, offset: Int)
    /// The structure block ends before FDT_END.
    case missingEnd
    /// A node name or property name without its NUL inside its block.
    case unterminatedName(offset: Int)
    /// The root's name is not empty.
    case rootHasName(offset: Int)
    /// A node name outside the specification's rules.
    case invalidNodeName(String, offset: Int)
    /// A property name outside the specification's rules.
    case invalidPropertyName(String, offset: Int)
    /// A property's name offset beyond the strings block.
    case nameOffsetOutOfBounds(UInt32, offset: Int)
    /// A property value running past the structure block.
    case valueOutOfBounds(length: UInt32, offset: Int)
    /// Two siblings with the same name.
    case duplicateNode(String, offset: Int)
    /// Two properties of a node with the same name.
    case duplicateProperty(String, offset: Int)
    /// Nesting deeper than `DeviceTree.maximumDepth`.
    case tooDeep(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let needed, let available): "truncated: \(needed) bytes needed, \(available) available"
        case .badMagic(let magic): "bad magic 0x\(String(magic, radix: 16)) (expected 0xd00dfeed)"
        case .unsupportedVersion(let version, let last):
            "version \(version) (last compatible \(last)) cannot be read: this reader reads 17 and blobs compatible with it"
        case .totalSizeTooSmall(let size): "totalsize \(size) is smaller than the header"
        case .blockOutOfBounds(let block, let offset, let size):
            "the \(block) block (offset \(offset), \(size) bytes) lies outside the blob"
        case .misaligned(let block, let offset): "the \(block) block at offset \(offset) is misaligned"
        case .unterminatedReservations: "the memory reservation block has no terminating entry"
        case .emptyReservation(let offset): "the memory reservation at offset \(offset) has size 0"
        case .unknownToken(let token, let offset): "unknown token 0x\(String(token, radix: 16)) at offset \(offset)"
        case .unexpectedToken(let token, let offset): "token \(token) at offset \(offset) is out of place"
        case .missingEnd: "the structure block ends without FDT_END"
        case .unterminatedName(let offset): "the name at offset \(offset) has no terminating NUL in its block"
        case .rootHasName(let offset): "the root node at offset \(offset) has a name"
        case .invalidNodeName(let name, let offset): "invalid node name \"\(name)\" at offset \(offset)"
        case .invalidPropertyName(let name, let offset): "invalid property name \"\(name)\" at offset \(offset)"
        case .nameOffsetOutOfBounds(let nameOffset, let offset):
            "property at offset \(offset) names string offset \(nameOffset), beyond the strings block"
        case .valueOutOfBounds(let length, let offset): "property at offset \(offset) has \(length) bytes, past the structure block"
        case .duplicateNode(let name, let offset): "second node named \(name) at offset \(offset)"
        case .duplicateProperty(let name, let offset): "second property named \(name) at offset \(offset)"
        case .tooDeep(let offset): "the node at offset \(offset) is nested deeper than \(DeviceTree.maximumDepth) levels"
        }
    }
}

/// The three blocks a header points at.
public enum FDTBlock: Hashable, Sendable, CustomStringConvertible {
    case reservations
    case structure
    case strings

    public var description: String {
        switch self {
        case .reservations: "memory reservation"
        case .structure: "structure"
        case .strings: "strings"
        }
    }
}
