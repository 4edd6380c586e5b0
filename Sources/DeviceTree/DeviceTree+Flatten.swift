/// The writer: a `DeviceTree` as a flattened devicetree blob (DTB).
///
/// Layout, as dtc lays it out (DeviceTree.docc/FlattenedFormat.md, "Layout"): the 40-byte
/// header, the memory reservation block at offset 40 (8-aligned) ending in an all-zero entry,
/// the structure block right after it (4-aligned), the strings block right after that, and no
/// padding at the end; `totalsize` is the sum.
extension DeviceTree {
    /// The blob, version 17 (last compatible version 16).
    ///
    /// - Parameter sizeLimit: the largest blob accepted, by default 2 MiB (`defaultSizeLimit`).
    /// - Throws: a `DeviceTreeError` naming the first node or property that cannot be encoded,
    ///   in document order, or `.tooLarge`. Never traps.
    public func flattened(sizeLimit: Int = DeviceTree.defaultSizeLimit) throws(DeviceTreeError) -> [UInt8] {
        guard root.name.isEmpty else { throw .rootHasName(root.name) }
        var structure: [UInt8] = []
        var strings = StringsBlock()
        try Self.writeStructure(of: root, into: &structure, strings: &strings)

        var blob: [UInt8] = []
        for _ in 0..<FDTHeader.size { blob.append(0) }
        let reservationsOffset = blob.count
        for reservation in memoryReservations {
            guard reservation.size != 0 else { throw .emptyReservation(address: reservation.address) }
            blob.appendBigEndian(reservation.address)
            blob.appendBigEndian(reservation.size)
        }
        blob.appendBigEndian(UInt64(0))
        blob.appendBigEndian(UInt64(0))
        let structureOffset = blob.count
        let stringsOffset = structureOffset + structure.count
        let total = stringsOffset + strings.bytes.count
        guard total <= sizeLimit, total <= Int(UInt32.max) else { throw .tooLarge(size: total, limit: sizeLimit) }
        blob += structure
        blob += strings.bytes

        let header = FDTHeader(
            totalSize: UInt32(total), structureOffset: UInt32(structureOffset), stringsOffset: UInt32(stringsOffset),
            reservationsOffset: UInt32(reservationsOffset), bootCPUID: bootCPUID,
            stringsSize: UInt32(strings.bytes.count), structureSize: UInt32(structure.count))
        for (index, field) in header.fields.enumerated() { blob.setBigEndian(field, at: 4 * index) }
        return blob
    }

    /// One node being written: the node, the next child to visit, and its path for messages.
    private struct Frame {
        var node: DeviceTreeNode
        var nextChild = 0
        var path: String
    }

    /// The structure block: depth first, each node's properties before its children, then
    /// FDT_END. A loop over an explicit stack, so no tree can exhaust the call stack.
    private static func writeStructure(
        of root: DeviceTreeNode, into structure: inout [UInt8], strings: inout StringsBlock
    ) throws(DeviceTreeError) {
        var stack: [Frame] = []
        try begin(root, path: "/", into: &structure, strings: &strings)
        stack.append(Frame(node: root, path: "/"))
        while let top = stack.last {
            guard top.nextChild < top.node.children.count else {
                structure.appendBigEndian(FDTToken.endNode.rawValue)
                stack.removeLast()
                continue
            }
            let child = top.node.children[top.nextChild]
            stack[stack.count - 1].nextChild += 1
            let path = top.path == "/" ? "/" + child.name : top.path + "/" + child.name
            guard stack.count <= maximumDepth else { throw .tooDeep(path: path, limit: maximumDepth) }
            try begin(child, path: path, into: &structure, strings: &strings)
            stack.append(Frame(node: child, path: path))
        }
        structure.appendBigEndian(FDTToken.end.rawValue)
    }

    /// FDT_BEGIN_NODE, the name, and every property, after checking the node's own rules.
    private static func begin(
        _ node: DeviceTreeNode, path: String, into structure: inout [UInt8], strings: inout StringsBlock
    ) throws(DeviceTreeError) {
        try check(node, path: path)
        structure.appendBigEndian(FDTToken.beginNode.rawValue)
        structure += Array(node.name.utf8)
        structure.append(0)
        structure.pad(to: FDTHeader.structureAlignment)
        for property in node.properties {
            let value = property.value.encoded
            structure.appendBigEndian(FDTToken.property.rawValue)
            structure.appendBigEndian(UInt32(truncatingIfNeeded: value.count))
            structure.appendBigEndian(UInt32(truncatingIfNeeded: strings.offset(of: property.name)))
            structure += value
            structure.pad(to: FDTHeader.structureAlignment)
        }
    }

    /// The rules of one node: its properties' names and values, its children's names.
    static func check(_ node: DeviceTreeNode, path: String) throws(DeviceTreeError) {
        var seen: Set<String> = []
        for property in node.properties {
            guard NameRules.isValidPropertyName(property.name) else { throw .invalidPropertyName(node: path, name: property.name) }
            guard seen.insert(property.name).inserted else { throw .duplicateProperty(node: path, name: property.name) }
            guard !property.value.containsEmbeddedNUL else { throw .stringContainsNUL(node: path, property: property.name) }
        }
        var names: Set<String> = []
        for child in node.children {
            guard NameRules.isValidNodeName(child.name) else { throw .invalidNodeName(parent: path, name: child.name) }
            guard names.insert(child.name).inserted else { throw .duplicateNode(parent: path, name: child.name) }
        }
    }
}
