import DeviceTree
import GICVocabulary
import VGIC

/// The `interrupt-controller@…` node (GICDescription.docc/GICBinding.md, "The GIC node").
extension GuestGIC {
    /// `"arm,gic-v3"`, or `"arm,cortex-a15-gic"` for the GICv2 KVM emulates.
    public var compatible: String { version == .v2 ? "arm,cortex-a15-gic" : "arm,gic-v3" }

    /// The node's name: the generic `interrupt-controller`, at the distributor's address.
    public var nodeName: String { "interrupt-controller@" + String(configuration.distributorBase ?? 0, radix: 16) }

    /// The GIC node, with its ITS child when the layout has an ITS.
    public var interruptController: DeviceTreeNode {
        var properties: [DeviceTreeProperty] = [
            .string("compatible", compatible),
            .u32("#interrupt-cells", 3),
            .flag("interrupt-controller"),
            DeviceTreeProperty("reg", .u64s(registerWindows.flatMap { [$0.address, $0.size] })),
        ]
        if redistributorRegionCount > 1 {
            properties.append(.u32("#redistributor-regions", UInt32(redistributorRegionCount)))
        }
        if let el2 {
            properties.append(.cells("interrupts", GICInterruptSpecifier(el2.maintenanceInterrupt, .levelHigh).cells))
        }
        var children: [DeviceTreeNode] = []
        properties.append(.u32("#address-cells", addressCells))
        if let its = itsNode {
            properties += [.u32("#size-cells", 2), .flag("ranges")]
            children.append(its)
        }
        properties.append(.phandle("phandle", phandle))
        return DeviceTreeNode(nodeName, properties: properties, children: children)
    }

    /// The node's `#address-cells`: 2 with an ITS child (its `reg` is in the root's 2+2
    /// cells, mapped 1:1 by an empty `ranges`), else 0. Always present, because it is also
    /// the number of "parent unit address" cells an `interrupt-map` entry naming this GIC
    /// carries (Devicetree Specification v0.4 §2.4.3.1); a VMM describing PCI INTx reads it here.
    public var addressCells: UInt32 { itsWindow == nil ? 0 : 2 }

    /// The ITS as `msi-controller@…`, the name the GICv3 binding prefers, or nil without an ITS.
    public var itsNode: DeviceTreeNode? {
        guard let window = itsWindow else { return nil }
        return DeviceTreeNode(
            "msi-controller@" + String(window.address, radix: 16),
            properties: [
                .string("compatible", "arm,gic-v3-its"),
                .flag("msi-controller"),
                .u32("#msi-cells", 1),
                DeviceTreeProperty("reg", .u64s([window.address, window.size])),
                .phandle("phandle", itsPhandle),
            ])
    }
}
