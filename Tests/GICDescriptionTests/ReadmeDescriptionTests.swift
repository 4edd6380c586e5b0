import DeviceTree
import GICDescription
import GICVocabulary
import Testing
import VGIC

/// README.md's "Describing the GIC to the guest" example, run: the part after the kernel,
/// with the vCPU identities KVM reports by default (ReadmeTests only type-checks the block).
@Suite("README: describing the GIC")
struct ReadmeDescriptionTests {
    @Test("the README's machine with a PL011: the blob reads back with the UART on SPI index 1, the GIC with its ITS")
    func readmeExample() throws {
        let vcpus = [VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), VCPUIdentity(id: 1, affinity: Affinity(aff0: 1))]
        let layout = VGICConfiguration.v3(
            distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), its: 0x0808_0000)
        let gic = try GuestGIC(layout, vcpuCount: vcpus.count)
        let machine = MachineDeviceTree(
            gic: gic, vcpus: vcpus, memory: [AddressRange(address: 0x4000_0000, size: 0x4000_0000)],
            bootargs: "console=ttyAMA0", stdoutPath: "/pl011@9000000")
        var tree = try machine.tree()
        tree.root.children.append(DeviceTreeNode("pl011@9000000", properties: [
            .strings("compatible", ["arm,pl011", "arm,primecell"]),
            DeviceTreeProperty("reg", .u64s([0x0900_0000, 0x1000])),
            .cells("interrupts", gic.interrupt(try SPI(intid: 33), .levelHigh).cells),
        ]))
        let dtb = try tree.flattened()

        let read = try DeviceTree(flattened: dtb)
        #expect(read.root.node(at: "/pl011@9000000")?[property: "interrupts"]?.cells == [0, 1, 4])
        #expect(read.root.node(at: "/interrupt-controller@8000000")?[property: "reg"]?.u64s
            == [0x0800_0000, 0x1_0000, 0x080A_0000, 2 * 0x2_0000])
        #expect(read.root.node(at: "/interrupt-controller@8000000/msi-controller@8080000") != nil)
        #expect(read.root.node(at: "/chosen")?[property: "stdout-path"]?.string == "/pl011@9000000")
        #expect(read.root.node(at: "/cpus")?.children.map(\.name) == ["cpu@0", "cpu@1"])
    }
}
