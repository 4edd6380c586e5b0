import DeviceTree
import DeviceTreeTestSupport
import GICDescription
import GICVocabulary
import Testing
import VGIC

@testable import MinimalVMM

/// The guest's devicetree: GICDescription's machine plus the PL011 and its clock
/// (MinimalVMM.docc/LinuxBoot.md, "The devicetree").
@Suite("The machine's devicetree")
struct MachineDescriptionTests {
    static let vcpus = (0..<4).map { VCPUIdentity(id: UInt32($0), affinity: Affinity(aff0: UInt8($0))) }
    static let initrd = AddressRange(address: 0x42DB_1000, size: 0x9_2C00)

    static func tree(its: Bool = false) throws -> DeviceTree {
        try LinuxMachineConfiguration(its: its).deviceTree(vcpus: vcpus, initrd: initrd)
    }

    @Test("the PL011: arm,pl011 + arm,primecell, 4 KiB at 0x9000000, SPI 1 level-high, one fixed clock for uartclk and apb_pclk")
    func uart() throws {
        let tree = try Self.tree()
        let uart = try #require(tree.root.child("pl011@9000000"))
        #expect(uart.properties == [
            .strings("compatible", ["arm,pl011", "arm,primecell"]),
            DeviceTreeProperty("reg", .u64s([0x0900_0000, 0x1000])),
            .cells("interrupts", [0, 1, 4]),
            DeviceTreeProperty("clocks", .cells([3, 3])),
            .strings("clock-names", ["uartclk", "apb_pclk"]),
        ])
        let clock = try #require(tree.root.child("apb-pclk"))
        #expect(clock[property: "compatible"] == .string("fixed-clock"))
        #expect(clock[property: "clock-frequency"] == .cells([24_000_000]))
        #expect(clock[property: "phandle"] == .phandle(try Phandle(3)))
    }

    @Test("chosen: the command line, the PL011 as console, the initrd; psci over hvc; memory; cpus by affinity")
    func machine() throws {
        let tree = try Self.tree()
        let chosen = try #require(tree.root.child("chosen"))
        #expect(chosen[property: "bootargs"] == .string("console=ttyAMA0 quiet"))
        #expect(chosen[property: "stdout-path"] == .string("/pl011@9000000"))
        #expect(chosen[property: "linux,initrd-start"] == .u64s([0x42DB_1000]))
        #expect(chosen[property: "linux,initrd-end"] == .u64s([0x42E4_3C00]), "exclusive end")
        #expect(tree.root.child("psci")?[property: "method"] == .string("hvc"))
        #expect(tree.root.child("memory@40000000")?[property: "reg"] == .u64s([0x4000_0000, 256 << 20]))
        #expect(tree.root.child("cpus")?.children.map(\.name) == ["cpu@0", "cpu@1", "cpu@2", "cpu@3"])
        #expect(tree.root.child("interrupt-controller@8000000")?.children.isEmpty == true, "no ITS node without an ITS")
        let withITS = try Self.tree(its: true)
        #expect(withITS.root.child("interrupt-controller@8000000")?.children.map(\.name) == ["msi-controller@8080000"])
    }

    @Test(
        "dtc decompiles the blob with its checks on and says nothing",
        .enabled(if: DeviceTreeCompiler.found != nil, Comment(rawValue: DeviceTreeCompiler.missingReason)))
    func dtcChecks() throws {
        let dtc = try #require(DeviceTreeCompiler.found)
        let checks = [
            "interrupt_provider", "interrupts_property", "unit_address_vs_reg", "unit_address_format", "reg_format",
            "chosen_node_stdout_path", "chosen_node_bootargs", "node_name_chars_strict", "property_name_chars_strict", "clocks_property",
        ].flatMap { ["-W", $0] }
        for its in [false, true] {
            let run = try dtc.decompile(try Self.tree(its: its).flattened(), arguments: checks)
            #expect(run.status == 0)
            #expect(run.messages.isEmpty, "dtc says: \(run.messages)")
        }
    }
}
