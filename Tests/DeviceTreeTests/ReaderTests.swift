import DeviceTree
import Testing

/// The reader gives back what the writer wrote, and refuses damage with an error that points
/// at it (DeviceTree.docc/FlattenedFormat.md, "Reading").
@Suite("Reading a flattened devicetree")
struct ReaderTests {
    static func word(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

    static func patched(_ blob: [UInt8], at offset: Int, _ value: UInt32) -> [UInt8] {
        var copy = blob
        copy.replaceSubrange(offset..<(offset + 4), with: word(value))
        return copy
    }

    @Test("read(write(tree)) is the tree, every value as its bytes; writing it again gives the same blob")
    func roundTrip() throws {
        let blob = try Samples.tree.flattened()
        let read = try DeviceTree(flattened: blob)
        #expect(read == Samples.tree.rawForm)
        #expect(try read.flattened() == blob)
    }

    @Test("the readings recover the kinds from bytes")
    func readings() throws {
        let read = try DeviceTree(flattened: try Samples.tree.flattened())
        let intc = try #require(read.root.node(at: "/intc@8000000"))
        #expect(intc[property: "reg"]?.u64s == [0x800_0000, 0x1_0000, 0x80A_0000, 0x8_0000])
        #expect(intc[property: "phandle"]?.u32 == 1)
        #expect(intc[property: "compatible"]?.string == "arm,gic-v3")
        #expect(read.root.node(at: "psci")?[property: "compatible"]?.strings == ["arm,psci-0.2", "arm,psci"])
        #expect(read.root[property: "empty"]?.encoded == [])
        #expect(read.root[property: "bytes"]?.cells == nil, "3 bytes are not cells")
        #expect(read.root[property: "bytes"]?.strings == nil, "bytes not ending in NUL are not strings")
        #expect(read.memoryReservations == [MemoryReservation(address: 0x1_0000, size: 0x2000)])
        #expect(intc.unitAddress == "8000000")
        #expect(intc.nodeName == "intc")
    }

    @Test("NOP tokens are skipped")
    func nops() throws {
        var blob = try DeviceTree(root: DeviceTreeNode("", properties: [.u32("a", 1)])).flattened()
        // Insert a NOP right after the root's BEGIN_NODE and name (offset 56 + 8) and fix the sizes.
        blob.insert(contentsOf: Self.word(4), at: 64)
        let header = try #require(FDTHeader(blob))
        blob = Self.patched(blob, at: 4, header.totalSize + 4)
        blob = Self.patched(blob, at: 12, header.stringsOffset + 4)
        blob = Self.patched(blob, at: 36, header.structureSize + 4)
        #expect(try DeviceTree(flattened: blob).root[property: "a"]?.u32 == 1)
    }

    @Test("bytes after totalsize are ignored")
    func trailing() throws {
        let blob = try Samples.tree.flattened()
        #expect(try DeviceTree(flattened: blob + [1, 2, 3, 4]) == DeviceTree(flattened: blob))
    }

    static let blob = try! Samples.tree.flattened()
    static let header = FDTHeader(blob)!

    @Test("damaged headers are refused with what is wrong")
    func headers() {
        #expect(throws: FDTDecodingError.truncated(needed: 40, available: 39)) { try DeviceTree(flattened: Array(Self.blob.prefix(39))) }
        #expect(throws: FDTDecodingError.badMagic(0xD00D_FEEE)) { try DeviceTree(flattened: Self.patched(Self.blob, at: 0, 0xD00D_FEEE)) }
        #expect(throws: FDTDecodingError.unsupportedVersion(version: 16, lastCompatible: 16)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: 20, 16))
        }
        #expect(throws: FDTDecodingError.unsupportedVersion(version: 17, lastCompatible: 18)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: 24, 18))
        }
        #expect(throws: FDTDecodingError.truncated(needed: Self.blob.count, available: Self.blob.count - 1)) {
            try DeviceTree(flattened: Array(Self.blob.dropLast()))
        }
        #expect(throws: FDTDecodingError.totalSizeTooSmall(8)) { try DeviceTree(flattened: Self.patched(Self.blob, at: 4, 8)) }
        #expect(throws: FDTDecodingError.blockOutOfBounds(.strings, offset: Self.header.stringsOffset, size: 0xFFFF_FFFF)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: 32, 0xFFFF_FFFF))
        }
        #expect(throws: FDTDecodingError.blockOutOfBounds(.structure, offset: 8, size: Self.header.structureSize)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: 8, 8))
        }
        #expect(throws: FDTDecodingError.misaligned(.reservations, offset: 44)) { try DeviceTree(flattened: Self.patched(Self.blob, at: 16, 44)) }
        #expect(throws: FDTDecodingError.misaligned(.structure, offset: Self.header.structureOffset + 2)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: 8, Self.header.structureOffset + 2))
        }
    }

    @Test("damaged structure blocks are refused at the token")
    func structures() {
        let start = Int(Self.header.structureOffset)
        #expect(throws: FDTDecodingError.unknownToken(7, offset: start)) { try DeviceTree(flattened: Self.patched(Self.blob, at: start, 7)) }
        #expect(throws: FDTDecodingError.unexpectedToken(2, offset: start)) { try DeviceTree(flattened: Self.patched(Self.blob, at: start, 2)) }
        #expect(throws: FDTDecodingError.rootHasName(offset: start)) { try DeviceTree(flattened: Self.patched(Self.blob, at: start + 4, 0x6100_0000)) }
        // The first property's nameoff beyond the strings block.
        #expect(throws: FDTDecodingError.nameOffsetOutOfBounds(Self.header.stringsSize, offset: start + 8)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: start + 16, Self.header.stringsSize))
        }
        // The first property's length past the block.
        #expect(throws: FDTDecodingError.valueOutOfBounds(length: 0x1000, offset: start + 8)) {
            try DeviceTree(flattened: Self.patched(Self.blob, at: start + 12, 0x1000))
        }
        // FDT_END replaced by END_NODE: the structure block runs out.
        let end = Int(Self.header.stringsOffset) - 4
        #expect(throws: FDTDecodingError.unexpectedToken(2, offset: end)) { try DeviceTree(flattened: Self.patched(Self.blob, at: end, 2)) }
        #expect(throws: FDTDecodingError.missingEnd) { try DeviceTree(flattened: Self.patched(Self.blob, at: 36, Self.header.structureSize - 4)) }
    }

    @Test("a blob the writer could not have written is refused: duplicate names, a property after a child")
    func notWritable() throws {
        // Rename the second child "psci" → "intc@8000000"'s first letters would not match; instead build
        // two siblings "a" and "b" and turn "b" into "a".
        let tree = DeviceTree(root: DeviceTreeNode("", children: [DeviceTreeNode("a"), DeviceTreeNode("b")]))
        var blob = try tree.flattened()
        let second = try #require(blob.indices.last { blob[$0] == UInt8(ascii: "b") })
        blob[second] = UInt8(ascii: "a")
        #expect(throws: FDTDecodingError.duplicateNode("a", offset: second - 4)) { try DeviceTree(flattened: blob) }
        blob[second] = UInt8(ascii: "0")
        #expect(throws: FDTDecodingError.invalidNodeName("0", offset: second - 4)) { try DeviceTree(flattened: blob) }
    }

    @Test("a reservation block without its terminator is refused")
    func reservations() throws {
        var blob = try DeviceTree(root: DeviceTreeNode("")).flattened()
        blob = Self.patched(blob, at: 16, 64)   // points at the structure block's last 8 bytes and beyond
        #expect(throws: FDTDecodingError.unterminatedReservations) { try DeviceTree(flattened: blob) }
    }
}
