import DeviceTree

/// Trees the suites share: a small machine-like tree with every kind of value, and its dts
/// text as dtc prints it.
enum Samples {
    static func phandle(_ value: UInt32) -> Phandle { try! Phandle(value) }

    /// Every value kind, a memory reservation, nesting two deep, a name that shares its tail
    /// with another ("cells" inside "#size-cells").
    static let tree = DeviceTree(
        root: DeviceTreeNode(
            "",
            properties: [
                .u32("#address-cells", 2),
                .u32("#size-cells", 2),
                .string("compatible", "linux,dummy-virt"),
                .phandle("interrupt-parent", phandle(1)),
                .flag("empty"),
                DeviceTreeProperty("bytes", .bytes([1, 2, 3])),
            ],
            children: [
                DeviceTreeNode(
                    "psci", properties: [.strings("compatible", ["arm,psci-0.2", "arm,psci"]), .string("method", "hvc")]),
                DeviceTreeNode(
                    "intc@8000000",
                    properties: [
                        .string("compatible", "arm,gic-v3"),
                        DeviceTreeProperty("reg", .u64s([0x800_0000, 0x1_0000, 0x80A_0000, 0x8_0000])),
                        .phandle("phandle", phandle(1)),
                        .u32("cells", 7),
                        .u32("#address-cells", 1),
                        .u32("#size-cells", 0),
                    ],
                    children: [DeviceTreeNode("child@1", properties: [.cells("reg", [1])])]),
            ]),
        memoryReservations: [MemoryReservation(address: 0x1_0000, size: 0x2000)],
        bootCPUID: 0)

    /// `tree` as `dtc -I dtb -O dts` prints it (dtc 1.6).
    static let dts = """
        /dts-v1/;

        /memreserve/\t0x0000000000010000 0x0000000000002000;
        / {
        \t#address-cells = <0x02>;
        \t#size-cells = <0x02>;
        \tcompatible = "linux,dummy-virt";
        \tinterrupt-parent = <0x01>;
        \tempty;
        \tbytes = [01 02 03];

        \tpsci {
        \t\tcompatible = "arm,psci-0.2\\0arm,psci";
        \t\tmethod = "hvc";
        \t};

        \tintc@8000000 {
        \t\tcompatible = "arm,gic-v3";
        \t\treg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x80000>;
        \t\tphandle = <0x01>;
        \t\tcells = <0x07>;
        \t\t#address-cells = <0x01>;
        \t\t#size-cells = <0x00>;

        \t\tchild@1 {
        \t\t\treg = <0x01>;
        \t\t};
        \t};
        };

        """
}
