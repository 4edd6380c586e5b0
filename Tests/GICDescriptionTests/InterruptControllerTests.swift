import DeviceTree
import GICDescription
import GICVocabulary
import Testing
import VGIC

/// The GIC node, property by property, as the kernel's bindings ask and as KVM emulates
/// (GICDescription.docc/GICBinding.md, "The GIC node").
@Suite("The GIC's interrupt-controller node")
struct InterruptControllerTests {
    static func phandle(_ value: UInt32) -> Phandle { try! Phandle(value) }

    @Test("GICv3, legacy redistributors, no ITS: compatible, cells, controller, reg = distributor + 128 KiB per vCPU, #address-cells 0, phandle")
    func legacy() throws {
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: 4)
        #expect(gic.interruptController == DeviceTreeNode(
            "interrupt-controller@8000000",
            properties: [
                .string("compatible", "arm,gic-v3"),
                .u32("#interrupt-cells", 3),
                .flag("interrupt-controller"),
                DeviceTreeProperty("reg", .u64s([0x0800_0000, 0x1_0000, 0x080A_0000, 4 * 0x2_0000])),
                .u32("#address-cells", 0),
                .phandle("phandle", Self.phandle(1)),
            ]))
    }

    @Test("the legacy block grows with the vCPUs: 128 KiB each", arguments: [1, 2, 8, 123])
    func legacySize(vcpus: Int) throws {
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: vcpus)
        #expect(gic.registerWindows == [
            AddressRange(address: 0x0800_0000, size: 0x1_0000), AddressRange(address: 0x080A_0000, size: UInt64(vcpus) * 0x2_0000),
        ])
        #expect(gic.interruptController[property: "#redistributor-regions"] == nil, "one region: the property is optional and left out")
    }

    @Test("with an ITS: #address-cells/#size-cells 2, ranges, and an msi-controller child of 128 KiB")
    func its() throws {
        let gic = try GuestGIC(Layouts.legacyWithITS, vcpuCount: 2)
        let node = gic.interruptController
        #expect(node[property: "#address-cells"] == .cells([2]))
        #expect(node[property: "#size-cells"] == .cells([2]))
        #expect(node[property: "ranges"] == .empty)
        #expect(node.children == [
            DeviceTreeNode(
                "msi-controller@8080000",
                properties: [
                    .string("compatible", "arm,gic-v3-its"),
                    .flag("msi-controller"),
                    .u32("#msi-cells", 1),
                    DeviceTreeProperty("reg", .u64s([0x0808_0000, 0x2_0000])),
                    .phandle("phandle", Self.phandle(2)),
                ])
        ])
    }

    @Test("without an ITS: no child, #address-cells 0 (dtc: interrupt_provider), no #size-cells or ranges (dtc: avoid_unnecessary_addr_size)")
    func noITS() throws {
        let gic = try GuestGIC(Layouts.legacy, vcpuCount: 2)
        let node = gic.interruptController
        #expect(node.children.isEmpty)
        #expect(node[property: "#address-cells"] == .cells([0]))
        #expect(gic.addressCells == 0)
        for name in ["#size-cells", "ranges"] { #expect(node[property: name] == nil) }
    }

    @Test("redistributor regions: each region's base and count × 128 KiB in index order, and #redistributor-regions")
    func regions() throws {
        let gic = try GuestGIC(Layouts.twoRegions, vcpuCount: 5)
        let node = gic.interruptController
        #expect(node[property: "reg"] == .u64s([0x0800_0000, 0x1_0000, 0x080A_0000, 2 * 0x2_0000, 0x40_0000_0000, 4 * 0x2_0000]))
        #expect(node[property: "#redistributor-regions"] == .cells([2]))
    }

    @Test("the maintenance interrupt only for a guest with EL2: <GIC_PPI 9 IRQ_TYPE_LEVEL_HIGH>, or the PPI the VMM chose")
    func maintenance() throws {
        #expect(try GuestGIC(Layouts.legacy, vcpuCount: 1).interruptController[property: "interrupts"] == nil)
        let el2 = try GuestGIC(Layouts.legacy, vcpuCount: 1, el2: GuestEL2())
        #expect(el2.interruptController[property: "interrupts"] == .cells([1, 9, 4]))
        let moved = try GuestGIC(Layouts.legacy, vcpuCount: 1, el2: GuestEL2(maintenanceInterrupt: try PPI(intid: 21)))
        #expect(moved.interruptController[property: "interrupts"] == .cells([1, 5, 4]))
    }

    @Test("GICv2: arm,cortex-a15-gic, reg = 4 KiB distributor + 8 KiB CPU interface, no ITS, no maintenance interrupt")
    func gicv2() throws {
        let gic = try GuestGIC(Layouts.v2, vcpuCount: 4)
        #expect(gic.interruptController == DeviceTreeNode(
            "interrupt-controller@8000000",
            properties: [
                .string("compatible", "arm,cortex-a15-gic"),
                .u32("#interrupt-cells", 3),
                .flag("interrupt-controller"),
                DeviceTreeProperty("reg", .u64s([0x0800_0000, 0x1000, 0x0801_0000, 0x2000])),
                .u32("#address-cells", 0),
                .phandle("phandle", Self.phandle(1)),
            ]))
    }

    @Test("phandles are the VMM's to choose")
    func phandles() throws {
        let gic = try GuestGIC(Layouts.legacyWithITS, vcpuCount: 1, phandle: 0x8001, itsPhandle: 0x8002)
        #expect(gic.interruptController[property: "phandle"] == .phandle(Self.phandle(0x8001)))
        #expect(gic.itsNode?[property: "phandle"] == .phandle(Self.phandle(0x8002)))
    }

    @Test("what cannot be described is a typed error", arguments: [
        (VGICConfiguration.v5, 1, false, GICDescriptionError.noDeviceTreeBinding(.v5)),
        (VGICConfiguration(version: .v3, redistributors: .legacy(base: 0x080A_0000)), 1, false,
         .configuration(.missingFrame(.distributor, .v3))),
        (VGICConfiguration.v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x0800_0000)), 1, false,
         .configuration(.overlap(.distributor, .redistributors))),
        (Layouts.legacy, 0, false, .configuration(.noVCPUs)),
        (Layouts.twoRegions, 7, false, .configuration(.insufficientRedistributors(capacity: 6, vcpus: 7))),
        (Layouts.v2, 9, false, .configuration(.tooManyVCPUs(count: 9, maximum: 8))),
        (Layouts.v2, 2, true, .el2NeedsGICv3),
    ])
    func refusals(configuration: VGICConfiguration, vcpus: Int, el2: Bool, expected: GICDescriptionError) {
        #expect(throws: expected) { try GuestGIC(configuration, vcpuCount: vcpus, el2: el2 ? GuestEL2() : nil) }
    }

    @Test("phandles 0, 0xffffffff and a shared one are refused")
    func badPhandles() {
        #expect(throws: GICDescriptionError.phandle(0)) { try GuestGIC(Layouts.legacy, vcpuCount: 1, phandle: 0) }
        #expect(throws: GICDescriptionError.phandle(0xFFFF_FFFF)) { try GuestGIC(Layouts.legacy, vcpuCount: 1, itsPhandle: 0xFFFF_FFFF) }
        #expect(throws: GICDescriptionError.phandle(1)) { try GuestGIC(Layouts.legacy, vcpuCount: 1, phandle: 1, itsPhandle: 1) }
    }
}
