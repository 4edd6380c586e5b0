import DeviceTree
import DeviceTreeTestSupport
import GICDescription
import Testing

/// The machines' blobs against dtc: decompiled with dtc's relevant checks switched on they are
/// the reviewed sources in `Expected/` without a warning, and those sources compile to our
/// bytes exactly (GICDescription.docc/GICBinding.md, "What dtc says").
@Suite(
    "The machine's blob agrees with dtc",
    .enabled(if: DeviceTreeCompiler.found != nil, Comment(rawValue: DeviceTreeCompiler.missingReason)))
struct DtcMachineTests {
    /// dtc checks that bear on these nodes, switched on explicitly (some are off by default):
    /// interrupt providers and specifiers, unit addresses against `reg`, address and size
    /// cells, `chosen`, `msi-parent`, and the strict name character sets.
    static let checks = [
        "interrupt_provider", "interrupts_property", "unit_address_vs_reg", "unit_address_format",
        "avoid_unnecessary_addr_size", "avoid_default_addr_size", "unique_unit_address", "unique_unit_address_if_enabled",
        "reg_format", "ranges_format", "chosen_node_stdout_path", "chosen_node_bootargs", "chosen_node_is_root",
        "msi_parent_property", "node_name_chars_strict", "property_name_chars_strict", "node_name_vs_property_name",
        "addr_size_cells", "device_type_is_string", "compatible_is_string_list",
    ].flatMap { ["-W", $0] }

    @Test("dtc -I dtb -O dts with the checks on: the expected source, no warning", arguments: Machines.names)
    func decompile(name: String) throws {
        let dtc = try #require(DeviceTreeCompiler.found)
        let run = try dtc.decompile(try Machines.machine(name).flattened(), arguments: Self.checks)
        #expect(run.status == 0)
        #expect(run.messages.isEmpty, "dtc says: \(run.messages)")
        #expect(run.text == (try Machines.expected(name)))
    }

    @Test("dtc -I dts -O dtb of the expected source is our blob, byte for byte", arguments: Machines.names)
    func compile(name: String) throws {
        let dtc = try #require(DeviceTreeCompiler.found)
        let machine = try Machines.machine(name)
        let run = try dtc.compile(try Machines.expected(name), arguments: ["-b", String(try machine.tree().bootCPUID)])
        #expect(run.status == 0, "\(run.messages)")
        #expect([UInt8](run.output) == (try machine.flattened()))
    }

    @Test("the checks are live: a GIC node without #interrupt-cells or #address-cells, a unit address without reg, draw dtc's warnings")
    func checksAreLive() throws {
        let dtc = try #require(DeviceTreeCompiler.found)
        var tree = try Machines.small().tree()
        let gic = try #require(tree.root.children.firstIndex { $0.name.hasPrefix("interrupt-controller@") })
        var broken = tree
        broken.root.children[gic].properties.removeAll { $0.name == "#interrupt-cells" }
        #expect(try dtc.decompile(try broken.flattened(), arguments: Self.checks).messages.contains("interrupt_provider"))
        broken = tree
        broken.root.children[gic].properties.removeAll { $0.name == "#address-cells" }
        #expect(try dtc.decompile(try broken.flattened(), arguments: Self.checks).messages.contains("interrupt_provider"))
        let timer = try #require(tree.root.children.firstIndex { $0.name == "timer" })
        tree.root.children[timer].name = "timer@0"
        #expect(try dtc.decompile(try tree.flattened(), arguments: Self.checks).messages.contains("unit_address_vs_reg"))
    }
}
