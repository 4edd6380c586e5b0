/// The reader: a flattened devicetree blob back into a `DeviceTree`.
///
/// Total over byte strings: every offset, length and count is checked against the blob before
/// it is used, nesting is bounded (`maximumDepth`) and walked with an explicit stack, so any
/// input gives a tree or an `FDTDecodingError`, never a trap. It accepts exactly what the
/// writer could have written (names by the specification's rules, unique siblings and
/// properties, properties before children), so a tree it returns flattens again without error
/// (DeviceTree.docc/FlattenedFormat.md, "Reading").
extension DeviceTree {
    /// Reads `bytes`, which must hold at least `totalsize` bytes; bytes after that are ignored.
    ///
    /// Property values come back as `.bytes`; read them with `cells`, `strings`, … .
    public init(flattened bytes: [UInt8]) throws(FDTDecodingError) {
        guard let header = FDTHeader(bytes) else { throw .truncated(needed: FDTHeader.size, available: bytes.count) }
        guard header.magic == FDTHeader.magic else { throw .badMagic(header.magic) }
        guard header.version >= FDTHeader.version, header.lastCompatibleVersion <= FDTHeader.version else {
            throw .unsupportedVersion(version: header.version, lastCompatible: header.lastCompatibleVersion)
        }
        guard header.totalSize >= UInt32(FDTHeader.size) else { throw .totalSizeTooSmall(header.totalSize) }
        guard Int(header.totalSize) <= bytes.count else { throw .truncated(needed: Int(header.totalSize), available: bytes.count) }
        let total = Int(header.totalSize)

        try Self.checkBlock(.structure, offset: header.structureOffset, size: header.structureSize, total: total)
        try Self.checkBlock(.strings, offset: header.stringsOffset, size: header.stringsSize, total: total)
        try Self.checkBlock(.reservations, offset: header.reservationsOffset, size: 0, total: total)
        guard header.reservationsOffset % UInt32(FDTHeader.reservationAlignment) == 0 else {
            throw .misaligned(.reservations, offset: header.reservationsOffset)
        }
        guard header.structureOffset % UInt32(FDTHeader.structureAlignment) == 0,
            header.structureSize % UInt32(FDTHeader.structureAlignment) == 0
        else { throw .misaligned(.structure, offset: header.structureOffset) }

        let reservations = try Self.readReservations(bytes, from: Int(header.reservationsOffset), total: total)
        var reader = StructureReader(
            bytes: bytes, start: Int(header.structureOffset), end: Int(header.structureOffset) + Int(header.structureSize),
            stringsStart: Int(header.stringsOffset), stringsEnd: Int(header.stringsOffset) + Int(header.stringsSize))
        let root = try reader.read()
        self.init(root: root, memoryReservations: reservations, bootCPUID: header.bootCPUID)
    }

    /// A block lies after the header and inside `total` bytes (sums in 64 bits: no overflow).
    private static func checkBlock(_ block: FDTBlock, offset: UInt32, size: UInt32, total: Int) throws(FDTDecodingError) {
        guard offset >= UInt32(FDTHeader.size), UInt64(offset) + UInt64(size) <= UInt64(total) else {
            throw .blockOutOfBounds(block, offset: offset, size: size)
        }
    }

    /// Entries up to the all-zero one, which must lie inside the blob.
    private static func readReservations(_ bytes: [UInt8], from start: Int, total: Int) throws(FDTDecodingError) -> [MemoryReservation] {
        var reservations: [MemoryReservation] = []
        var at = start
        while true {
            guard at + 16 <= total else { throw .unterminatedReservations }
            let address = UInt64(bytes.bigEndianUInt32(at: at)) << 32 | UInt64(bytes.bigEndianUInt32(at: at + 4))
            let size = UInt64(bytes.bigEndianUInt32(at: at + 8)) << 32 | UInt64(bytes.bigEndianUInt32(at: at + 12))
            if address == 0 && size == 0 { return reservations }
            if size == 0 { throw .emptyReservation(offset: at) }
            at += 16
            reservations.append(MemoryReservation(address: address, size: size))
        }
    }
}

/// The structure block's tokens, read into nodes with an explicit stack.
private struct StructureReader {
    let bytes: [UInt8]
    /// The structure block is `start..<end`, the strings block `stringsStart..<stringsEnd`,
    /// both checked to lie inside `bytes`.
    let start: Int
    let end: Int
    let stringsStart: Int
    let stringsEnd: Int

    /// A node being read, with the names seen so far among its properties and children.
    struct Open {
        var node: DeviceTreeNode
        var propertyNames: Set<String> = []
        var childNames: Set<String> = []
    }

    init(bytes: [UInt8], start: Int, end: Int, stringsStart: Int, stringsEnd: Int) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.stringsStart = stringsStart
        self.stringsEnd = stringsEnd
    }

    mutating func read() throws(FDTDecodingError) -> DeviceTreeNode {
        var at = start
        var stack: [Open] = []
        var root: DeviceTreeNode?
        while true {
            guard at + 4 <= end else { throw .missingEnd }
            let word = bytes.bigEndianUInt32(at: at)
            let tokenOffset = at
            at += 4
            guard let token = FDTToken(rawValue: word) else { throw .unknownToken(word, offset: tokenOffset) }
            switch token {
            case .nop:
                continue
            case .beginNode:
                guard root == nil else { throw .unexpectedToken(word, offset: tokenOffset) }
                let name = try readName(from: at, limit: end)
                at = Self.aligned(name.end)
                let text = String(decoding: name.bytes, as: UTF8.self)
                if stack.isEmpty {
                    guard name.bytes.isEmpty else { throw .rootHasName(offset: tokenOffset) }
                } else {
                    guard stack.count <= DeviceTree.maximumDepth else { throw .tooDeep(offset: tokenOffset) }
                    guard String(validating: name.bytes, as: UTF8.self) != nil, NameRules.isValidNodeName(text) else {
                        throw .invalidNodeName(text, offset: tokenOffset)
                    }
                    guard stack[stack.count - 1].childNames.insert(text).inserted else {
                        throw .duplicateNode(text, offset: tokenOffset)
                    }
                }
                stack.append(Open(node: DeviceTreeNode(text)))
            case .property:
                guard !stack.isEmpty, stack[stack.count - 1].node.children.isEmpty else {
                    throw .unexpectedToken(word, offset: tokenOffset)
                }
                guard at + 8 <= end else { throw .missingEnd }
                let length = bytes.bigEndianUInt32(at: at)
                let nameOffset = bytes.bigEndianUInt32(at: at + 4)
                at += 8
                guard UInt64(at) + UInt64(length) <= UInt64(end) else { throw .valueOutOfBounds(length: length, offset: tokenOffset) }
                let value = Array(bytes[at..<(at + Int(length))])
                at = Self.aligned(at + Int(length))
                guard UInt64(stringsStart) + UInt64(nameOffset) < UInt64(stringsEnd) else {
                    throw .nameOffsetOutOfBounds(nameOffset, offset: tokenOffset)
                }
                let name = try readName(from: stringsStart + Int(nameOffset), limit: stringsEnd)
                let text = String(decoding: name.bytes, as: UTF8.self)
                guard NameRules.isValidPropertyName(text) else { throw .invalidPropertyName(text, offset: tokenOffset) }
                guard stack[stack.count - 1].propertyNames.insert(text).inserted else {
                    throw .duplicateProperty(text, offset: tokenOffset)
                }
                stack[stack.count - 1].node.properties.append(DeviceTreeProperty(text, .bytes(value)))
            case .endNode:
                guard let closed = stack.popLast() else { throw .unexpectedToken(word, offset: tokenOffset) }
                if stack.isEmpty {
                    root = closed.node
                } else {
                    stack[stack.count - 1].node.children.append(closed.node)
                }
            case .end:
                guard stack.isEmpty, let root else { throw .unexpectedToken(word, offset: tokenOffset) }
                return root
            }
        }
    }

    /// The bytes from `from` up to the next NUL before `limit`, and the offset after the NUL.
    func readName(from: Int, limit: Int) throws(FDTDecodingError) -> (bytes: ArraySlice<UInt8>, end: Int) {
        var at = from
        while at < limit {
            if bytes[at] == 0 { return (bytes[from..<at], at + 1) }
            at += 1
        }
        throw .unterminatedName(offset: from)
    }

    /// `offset` rounded up to the next token boundary.
    static func aligned(_ offset: Int) -> Int { (offset + 3) & ~3 }
}
