import DeviceTree
import GICDescription
import GICVocabulary
import VGIC

extension LinuxMachineConfiguration {
    /// The guest's devicetree: `MachineDeviceTree` (cpus by the affinities the kernel reported,
    /// psci over hvc, memory, the GIC with its ITS, the timer, chosen with the command line,
    /// the console and the initramfs), plus the PL011 and the fixed clock it names
    /// (MinimalVMM.docc/LinuxBoot.md).
    public func deviceTree(vcpus: [VCPUIdentity], initrd: AddressRange) throws(GICDescriptionError) -> DeviceTree {
        let gic = try GuestGIC(self.gic, vcpuCount: vcpus.count)
        let machine = MachineDeviceTree(
            gic: gic, vcpus: vcpus, memory: [ram], bootargs: bootargs, stdoutPath: uartPath, initrd: initrd, psci: .hvc)
        var tree = try machine.tree()
        guard let clock = try? Phandle(Self.clockPhandle) else { throw .phandle(Self.clockPhandle) }
        tree.root.children.append(DeviceTreeNode("apb-pclk", properties: [
            .string("compatible", "fixed-clock"),
            .u32("#clock-cells", 0),
            .u32("clock-frequency", Self.uartClockHz),
            .string("clock-output-names", "clk24mhz"),
            .phandle("phandle", clock),
        ]))
        tree.root.children.append(DeviceTreeNode(String(uartPath.dropFirst()), properties: [
            .strings("compatible", ["arm,pl011", "arm,primecell"]),
            DeviceTreeProperty("reg", .u64s([uartBase, PL011.windowSize])),
            .cells("interrupts", gic.interrupt(uartSPI, .levelHigh).cells),
            DeviceTreeProperty("clocks", .cells([clock.value, clock.value])),
            .strings("clock-names", ["uartclk", "apb_pclk"]),
        ]))
        return tree
    }
}
