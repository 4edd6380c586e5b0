import DeviceTree
import Testing

/// What cannot be encoded is a typed error naming the node, never a trap or a blob a reader
/// would misread (Devicetree Specification v0.4 §2.2; DeviceTree.docc/FlattenedFormat.md, "Names").
@Suite("The writer refuses what the format cannot hold")
struct WriterRefusalTests {
    static func flatten(_ children: [DeviceTreeNode], properties: [DeviceTreeProperty] = []) throws(DeviceTreeError) -> [UInt8] {
        try DeviceTree(root: DeviceTreeNode("", properties: properties, children: children)).flattened()
    }

    @Test("valid node names: letters first, Table 2.1 characters, a unit address after @", arguments: [
        "cpus", "cpu@0", "interrupt-controller@8000000", "msi-controller@8080000", "child@1,2", "A.b_c+d-e",
        "n234567890123456789012345678901", "memory@40000000", "x@ABC",
    ])
    func validNodeNames(name: String) throws {
        _ = try Self.flatten([DeviceTreeNode(name)])
    }

    @Test("invalid node names are refused with the parent's path", arguments: [
        "", "0cpu", "-a", "cpu@", "@0", "cpu#0", "cpu 0", "a/b", "cpu@0@1", "n2345678901234567890123456789012", "é", "cpu@é",
    ])
    func invalidNodeNames(name: String) {
        #expect(throws: DeviceTreeError.invalidNodeName(parent: "/", name: name)) { try Self.flatten([DeviceTreeNode(name)]) }
    }

    @Test("valid property names: Table 2.2, including ? and #", arguments: [
        "#address-cells", "linux,phandle", "a?b", "interrupt-controller", "p", "A_b.c+d", "p234567890123456789012345678901",
    ])
    func validPropertyNames(name: String) throws {
        _ = try Self.flatten([], properties: [.flag(name)])
    }

    @Test("invalid property names are refused with the node's path", arguments: [
        "", "a b", "a@b", "a/b", "p2345678901234567890123456789012", "ü",
    ])
    func invalidPropertyNames(name: String) {
        let node = DeviceTreeNode("cpus", children: [DeviceTreeNode("cpu@0", properties: [.flag(name)])])
        #expect(throws: DeviceTreeError.invalidPropertyName(node: "/cpus/cpu@0", name: name)) { try Self.flatten([node]) }
    }

    @Test("two siblings with one name are refused; the same name under different parents is fine")
    func duplicateNodes() throws {
        #expect(throws: DeviceTreeError.duplicateNode(parent: "/", name: "cpu@0")) {
            try Self.flatten([DeviceTreeNode("cpu@0"), DeviceTreeNode("cpu@0")])
        }
        _ = try Self.flatten([DeviceTreeNode("a", children: [DeviceTreeNode("x")]), DeviceTreeNode("b", children: [DeviceTreeNode("x")])])
        _ = try Self.flatten([DeviceTreeNode("cpu@0"), DeviceTreeNode("cpu@1")])
    }

    @Test("two properties with one name are refused")
    func duplicateProperties() {
        #expect(throws: DeviceTreeError.duplicateProperty(node: "/", name: "reg")) {
            try Self.flatten([], properties: [.u32("reg", 1), .u32("reg", 2)])
        }
    }

    @Test("a string holding NUL is refused: the reader would see two strings")
    func embeddedNUL() {
        #expect(throws: DeviceTreeError.stringContainsNUL(node: "/", property: "bootargs")) {
            try Self.flatten([], properties: [.string("bootargs", "a\u{0}b")])
        }
        #expect(throws: DeviceTreeError.stringContainsNUL(node: "/", property: "compatible")) {
            try Self.flatten([], properties: [.strings("compatible", ["ok", "a\u{0}"])])
        }
    }

    @Test("the root must be unnamed")
    func rootName() {
        #expect(throws: DeviceTreeError.rootHasName("root")) { try DeviceTree(root: DeviceTreeNode("root")).flattened() }
    }

    @Test("a blob above the size limit is refused with its size; at the limit it is written")
    func sizeLimit() throws {
        let tree = DeviceTree(root: DeviceTreeNode("", properties: [DeviceTreeProperty("big", .bytes(Array(repeating: 0xAA, count: 1000)))]))
        let size = try tree.flattened().count
        #expect(throws: DeviceTreeError.tooLarge(size: size, limit: size - 1)) { try tree.flattened(sizeLimit: size - 1) }
        #expect(try tree.flattened(sizeLimit: size).count == size)
        let huge = DeviceTree(root: DeviceTreeNode("", properties: [DeviceTreeProperty("big", .bytes(Array(repeating: 0, count: 2 * 1024 * 1024)))]))
        #expect(throws: DeviceTreeError.self) { try huge.flattened() }
    }

    @Test("nesting deeper than the limit is refused, at the limit it is written")
    func depth() throws {
        func chain(_ depth: Int) -> DeviceTree {
            var node = DeviceTreeNode("n")
            for _ in 1..<depth { node = DeviceTreeNode("n", children: [node]) }
            return DeviceTree(root: DeviceTreeNode("", children: [node]))
        }
        _ = try chain(DeviceTree.maximumDepth).flattened()
        #expect(throws: DeviceTreeError.self) { try chain(DeviceTree.maximumDepth + 1).flattened() }
        #expect(throws: DeviceTreeError.self) { try chain(1_000).flattened() }
    }

    @Test("a reservation of size 0 is refused: it would end the block")
    func emptyReservation() {
        let tree = DeviceTree(root: DeviceTreeNode(""), memoryReservations: [MemoryReservation(address: 0x1000, size: 0)])
        #expect(throws: DeviceTreeError.emptyReservation(address: 0x1000)) { try tree.flattened() }
    }

    @Test("phandles 0 and 0xffffffff are refused")
    func phandles() throws {
        #expect(throws: DeviceTreeError.invalidPhandle(0)) { try Phandle(0) }
        #expect(throws: DeviceTreeError.invalidPhandle(0xFFFF_FFFF)) { try Phandle(0xFFFF_FFFF) }
        #expect(try Phandle(1).value == 1)
    }

    @Test("every refusal says what and where", arguments: [
        DeviceTreeError.invalidNodeName(parent: "/cpus", name: "0"), .duplicateNode(parent: "/", name: "psci"),
        .tooLarge(size: 3_000_000, limit: 2_097_152), .stringContainsNUL(node: "/chosen", property: "bootargs"),
    ])
    func descriptions(error: DeviceTreeError) {
        #expect(!error.description.isEmpty)
    }
}
