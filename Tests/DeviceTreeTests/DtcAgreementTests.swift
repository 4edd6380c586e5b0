import DeviceTree
import DeviceTreeTestSupport
import Testing

/// The blob agrees with dtc, the reference implementation, both ways: dtc decompiles ours to
/// the expected source, and compiles that source to our bytes exactly
/// (DeviceTree.docc/FlattenedFormat.md, "Checked against dtc").
@Suite(
    "The writer agrees with dtc",
    .enabled(if: DeviceTreeCompiler.found != nil, Comment(rawValue: DeviceTreeCompiler.missingReason)))
struct DtcAgreementTests {
    static let dtc = DeviceTreeCompiler.found

    @Test("dtc -I dtb -O dts of our blob prints the expected source, without a message")
    func decompile() throws {
        let dtc = try #require(Self.dtc)
        let run = try dtc.decompile(try Samples.tree.flattened())
        #expect(run.status == 0, "\(run.messages)")
        #expect(run.messages.isEmpty)
        #expect(run.text == Samples.dts)
    }

    @Test("dtc -I dts -O dtb of the expected source is our blob, byte for byte")
    func compile() throws {
        let dtc = try #require(Self.dtc)
        let run = try dtc.compile(Samples.dts)
        #expect(run.status == 0, "\(run.messages)")
        #expect([UInt8](run.output) == (try Samples.tree.flattened()))
    }

    @Test("our reader reads dtc's blob of a source with every kind of value")
    func readDtcBlob() throws {
        let dtc = try #require(Self.dtc)
        let source = """
            /dts-v1/;
            /memreserve/ 0x40000000 0x1000;
            / {
                #address-cells = <2>;
                #size-cells = <1>;
                model = "m";
                list = "a", "bb", "";
                wide = /bits/ 64 <0x123456789>;
                bytes = [de ad be ef 01];
                node@1000 { reg = <0 0x1000 0x10>; flag; };
                node@2000 { reg = <0 0x2000 0x10>; };
            };
            """
        let run = try dtc.compile(source, arguments: ["-b", "3"])
        #expect(run.status == 0, "\(run.messages)")
        let tree = try DeviceTree(flattened: [UInt8](run.output))
        #expect(tree.bootCPUID == 3)
        #expect(tree.memoryReservations == [MemoryReservation(address: 0x4000_0000, size: 0x1000)])
        #expect(tree.root[property: "list"]?.strings == ["a", "bb", ""])
        #expect(tree.root[property: "wide"]?.u64s == [0x1_2345_6789])
        #expect(tree.root[property: "bytes"]?.encoded == [0xDE, 0xAD, 0xBE, 0xEF, 0x01])
        #expect(tree.root.children.map(\.name) == ["node@1000", "node@2000"])
        #expect(tree.root.node(at: "/node@1000")?[property: "flag"] == .bytes([]))
        #expect(try tree.flattened() == [UInt8](run.output), "dtc's blob re-written is the same bytes")
    }
}
