import DeviceTree
import GICVocabulary
import VGIC

/// A vgic as a guest is told about it: the `interrupt-controller` node (with its ITS), the
/// architected timer's node, and interrupt specifiers for the VMM's own devices, all from the
/// `VGICConfiguration` the vgic was created with, so the description and the device cannot
/// disagree (GICDescription.docc/GICBinding.md).
///
/// Values first: `interruptController` and `timer(_:)` are `DeviceTreeNode`s a VMM places in
/// its own tree (or hands to `MachineDeviceTree`), and extends as it likes.
public struct GuestGIC: Hashable, Sendable {
    /// The layout KVM was given.
    public let configuration: VGICConfiguration
    /// How many vCPUs the VM has: a legacy redistributor block spans one redistributor each.
    public let vcpuCount: Int
    /// Set when the vCPUs have EL2 (nested virtualisation).
    public let el2: GuestEL2?
    /// The GIC node's phandle, the root's `interrupt-parent`.
    public let phandle: Phandle
    /// The ITS node's phandle, what a PCI host bridge's `msi-parent` or `msi-map` names.
    public let itsPhandle: Phandle

    /// Checks that the layout can be described: a GICv2 or GICv3 (not a GICv5), valid for
    /// `vcpuCount` vCPUs by the rules `VGIC.create` applies, EL2 only with a GICv3, and two
    /// distinct valid phandles.
    public init(
        _ configuration: VGICConfiguration, vcpuCount: Int, el2: GuestEL2? = nil, phandle: UInt32 = 1, itsPhandle: UInt32 = 2
    ) throws(GICDescriptionError) {
        guard configuration.version != .v5 else { throw .noDeviceTreeBinding(.v5) }
        // The IPA size is the VM's business (validated by VGIC.create); here only the shape.
        if let problem = configuration.firstProblem(ipaBits: 64, vcpuCount: vcpuCount) { throw .configuration(problem) }
        guard el2 == nil || configuration.version == .v3 else { throw .el2NeedsGICv3 }
        guard let gicPhandle = try? Phandle(phandle) else { throw .phandle(phandle) }
        guard let msiPhandle = try? Phandle(itsPhandle), msiPhandle != gicPhandle else { throw .phandle(itsPhandle) }
        self.phandle = gicPhandle
        self.itsPhandle = msiPhandle
        self.configuration = configuration
        self.vcpuCount = vcpuCount
        self.el2 = el2
    }

    /// The GIC's model.
    public var version: GICVersion { configuration.version }

    /// The guest-physical windows of the `reg` property, in the binding's order: the
    /// distributor, then the CPU interface (v2) or every redistributor region (v3).
    public var registerWindows: [AddressRange] {
        configuration.placedFrames(vcpuCount: vcpuCount).compactMap { placed in
            placed.frame == .its ? nil : AddressRange(address: placed.base, size: placed.size)
        }
    }

    /// The ITS frame, when there is one: 128 KiB, control page plus doorbell page.
    public var itsWindow: AddressRange? {
        configuration.itsBase.map { AddressRange(address: $0, size: GICVersion.itsSize) }
    }

    /// How many redistributor regions `reg` lists (v3): 1 for the legacy block.
    public var redistributorRegionCount: Int {
        switch configuration.redistributors {
        case .regions(let regions)?: regions.count
        case .legacy?: 1
        case nil: 0
        }
    }

    /// An SPI as a device's `interrupts` entry names it.
    public func interrupt(_ spi: SPI, _ trigger: InterruptTrigger) -> GICInterruptSpecifier {
        GICInterruptSpecifier(spi, trigger)
    }

    /// A PPI as a device's `interrupts` entry names it: on a GICv2 with every vCPU in the
    /// CPU mask, as that binding asks; on a GICv3 without one.
    public func interrupt(_ ppi: PPI, _ trigger: InterruptTrigger) -> GICInterruptSpecifier {
        GICInterruptSpecifier(ppi, trigger, cpuMask: ppiCPUMask)
    }

    /// Bits 15:8 of a GICv2 PPI's flags: one bit per vCPU (at most 8); 0 on a GICv3.
    public var ppiCPUMask: UInt8 {
        guard version == .v2 else { return 0 }
        let count = Swift.min(Swift.max(vcpuCount, 0), 8)
        return UInt8(truncatingIfNeeded: (1 << count) - 1)
    }
}
