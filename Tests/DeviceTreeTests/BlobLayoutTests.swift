import DeviceTree
import Testing

/// The blob's layout as the Devicetree Specification v0.4 chapter 5 fixes it
/// (DeviceTree.docc/FlattenedFormat.md): header fields, block order and alignment, tokens, the
/// strings block.
@Suite("A flattened devicetree's layout")
struct BlobLayoutTests {
    static func word(_ blob: [UInt8], _ at: Int) -> UInt32 {
        UInt32(blob[at]) << 24 | UInt32(blob[at + 1]) << 16 | UInt32(blob[at + 2]) << 8 | UInt32(blob[at + 3])
    }

    static let empty = try! DeviceTree(root: DeviceTreeNode("")).flattened()

    @Test("the smallest tree: header, one terminating reservation, BEGIN_NODE \"\" END_NODE END, no strings")
    func smallest() throws {
        let blob = Self.empty
        #expect(blob.count == 40 + 16 + 16)
        let header = try #require(FDTHeader(blob))
        #expect(header.magic == 0xD00D_FEED)
        #expect(header.totalSize == 72)
        #expect(header.reservationsOffset == 40)
        #expect(header.structureOffset == 56)
        #expect(header.structureSize == 16)
        #expect(header.stringsOffset == 72)
        #expect(header.stringsSize == 0)
        #expect(header.version == 17)
        #expect(header.lastCompatibleVersion == 16)
        #expect(header.bootCPUID == 0)
        #expect(Array(blob[40..<56]) == Array(repeating: 0, count: 16))
        #expect([56, 60, 64, 68].map { Self.word(blob, $0) } == [1, 0, 2, 9])
    }

    @Test("header fields are big-endian words at their offsets; the blocks follow in order without gaps")
    func headerFields() throws {
        let blob = try Samples.tree.flattened()
        let header = try #require(FDTHeader(blob))
        #expect(Self.word(blob, 0) == 0xD00D_FEED)
        #expect(Int(header.totalSize) == blob.count)
        #expect(header.reservationsOffset == 40)
        #expect(header.reservationsOffset % 8 == 0)
        #expect(header.structureOffset == 40 + 2 * 16)
        #expect(header.structureOffset % 4 == 0)
        #expect(header.stringsOffset == header.structureOffset + header.structureSize)
        #expect(header.totalSize == header.stringsOffset + header.stringsSize)
        #expect(Self.word(blob, Int(header.stringsOffset) - 4) == 9, "the structure block ends with FDT_END")
    }

    @Test("the reservation block holds each entry as two big-endian u64 and ends with an all-zero entry")
    func reservations() throws {
        let tree = DeviceTree(
            root: DeviceTreeNode(""),
            memoryReservations: [
                MemoryReservation(address: 0x1_2345_6789, size: 0x1000), MemoryReservation(address: 0x4000_0000, size: 0x20_0000),
            ])
        let blob = try tree.flattened()
        #expect([40, 44, 48, 52].map { Self.word(blob, $0) } == [0x1, 0x2345_6789, 0, 0x1000])
        #expect([56, 60, 64, 68].map { Self.word(blob, $0) } == [0, 0x4000_0000, 0, 0x20_0000])
        #expect(Array(blob[72..<88]) == Array(repeating: 0, count: 16))
        #expect(try #require(FDTHeader(blob)).structureOffset == 88)
    }

    @Test("a node name is NUL-terminated and padded to 4 bytes; a property is PROP, len, nameoff, value, padding")
    func tokens() throws {
        let tree = DeviceTree(root: DeviceTreeNode("", children: [DeviceTreeNode("abc", properties: [DeviceTreeProperty("p", .bytes([7, 8, 9, 10, 11]))])]))
        let blob = try tree.flattened()
        let start = 56
        // BEGIN_NODE "" (4 bytes of name + NUL padding), BEGIN_NODE "abc\0"
        #expect(Self.word(blob, start) == 1)
        #expect(Self.word(blob, start + 4) == 0)
        #expect(Self.word(blob, start + 8) == 1)
        #expect(Array(blob[(start + 12)..<(start + 16)]) == Array("abc".utf8) + [0])
        // PROP, len 5, nameoff 0, 5 bytes, 3 bytes of padding
        #expect(Self.word(blob, start + 16) == 3)
        #expect(Self.word(blob, start + 20) == 5)
        #expect(Self.word(blob, start + 24) == 0)
        #expect(Array(blob[(start + 28)..<(start + 36)]) == [7, 8, 9, 10, 11, 0, 0, 0])
        #expect([36, 40, 44].map { Self.word(blob, start + $0) } == [2, 2, 9])
        let header = try #require(FDTHeader(blob))
        #expect(Array(blob[Int(header.stringsOffset)...]) == Array("p".utf8) + [0])
    }

    @Test("values: cells and u64 big-endian, strings NUL-terminated, a string list one after the other, empty as length 0")
    func valueEncodings() {
        #expect(PropertyValue.cells([1, 0xA0B0_C0D0]).encoded == [0, 0, 0, 1, 0xA0, 0xB0, 0xC0, 0xD0])
        #expect(PropertyValue.u64s([0x1_0000_0002]).encoded == [0, 0, 0, 1, 0, 0, 0, 2])
        #expect(PropertyValue.string("hvc").encoded == [0x68, 0x76, 0x63, 0])
        #expect(PropertyValue.strings(["a", "bc"]).encoded == [0x61, 0, 0x62, 0x63, 0])
        #expect(PropertyValue.empty.encoded == [])
        #expect(PropertyValue.phandle(Samples.phandle(5)).encoded == [0, 0, 0, 5])
    }

    @Test("the strings block keeps each name once, and a name that ends another reuses its tail")
    func stringsShared() throws {
        let node = DeviceTreeNode(
            "", properties: [.u32("#size-cells", 2), .u32("cells", 1)],
            children: [DeviceTreeNode("a", properties: [.u32("#size-cells", 1), .u32("size-cells", 3)])])
        let blob = try DeviceTree(root: node).flattened()
        let header = try #require(FDTHeader(blob))
        #expect(Array(blob[Int(header.stringsOffset)...]) == Array("#size-cells".utf8) + [0])
        // nameoffs in order: #size-cells 0, cells 6, #size-cells 0, size-cells 1
        let structure = Array(blob[Int(header.structureOffset)..<Int(header.stringsOffset)])
        var offsets: [UInt32] = []
        var at = 0
        while at + 4 <= structure.count {
            if Self.word(structure, at) == 3 {
                offsets.append(Self.word(structure, at + 8))
                at += 16
            } else {
                at += 4
            }
        }
        #expect(offsets == [0, 6, 0, 1])
    }

    @Test("reg: addresses and sizes in the cells the parent asks for, high cell first")
    func regCells() throws {
        let ranges = [AddressRange(address: 0x1_0000_0000, size: 0x1000)]
        #expect(try PropertyValue.reg(ranges) == .cells([1, 0, 0, 0x1000]))
        #expect(try PropertyValue.reg([AddressRange(address: 0x100, size: 0)], addressCells: 1, sizeCells: 0) == .cells([0x100]))
        #expect(throws: DeviceTreeError.valueDoesNotFit(value: 0x1_0000_0000, cells: 1)) {
            try PropertyValue.reg(ranges, addressCells: 1, sizeCells: 1)
        }
    }

    @Test("the boot CPU's physical ID goes to boot_cpuid_phys")
    func bootCPU() throws {
        let blob = try DeviceTree(root: DeviceTreeNode(""), bootCPUID: 0x101).flattened()
        #expect(try #require(FDTHeader(blob)).bootCPUID == 0x101)
    }
}
