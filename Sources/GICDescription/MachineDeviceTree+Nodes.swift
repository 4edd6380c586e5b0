import DeviceTree
import GICVocabulary
import VGIC

/// The machine's nodes other than the GIC's (GICDescription.docc/GICBinding.md, "The machine").
extension MachineDeviceTree {
    /// A cpu node's `reg`: MPIDR_EL1's affinity fields, Aff3 in bits 39:32 and Aff2..Aff0 in
    /// 23:0, the other MPIDR bits cleared (arm/cpus.yaml).
    static func cpuReg(_ affinity: Affinity) -> UInt64 {
        UInt64(affinity.aff3) << 32 | UInt64(affinity.aff2) << 16 | UInt64(affinity.aff1) << 8 | UInt64(affinity.aff0)
    }

    /// Whether the cpu nodes need two address cells: only when some vCPU has a non-zero Aff3.
    var cpuAddressCells: UInt32 { vcpus.contains { $0.affinity.aff3 != 0 } ? 2 : 1 }

    /// `cpus`: `#address-cells` 1 (2 when an Aff3 is set), `#size-cells` 0, one
    /// `cpu@<reg>` per vCPU with `device_type`, `compatible`, `reg` and `enable-method = "psci"`.
    var cpusNode: DeviceTreeNode {
        let cells = cpuAddressCells
        return DeviceTreeNode(
            "cpus",
            properties: [.u32("#address-cells", cells), .u32("#size-cells", 0)],
            children: vcpus.map { vcpu in
                let reg = Self.cpuReg(vcpu.affinity)
                return DeviceTreeNode(
                    "cpu@" + String(reg, radix: 16),
                    properties: [
                        .string("device_type", "cpu"),
                        .string("compatible", cpuCompatible),
                        cells == 2 ? DeviceTreeProperty("reg", .u64s([reg])) : .u32("reg", UInt32(truncatingIfNeeded: reg)),
                        .string("enable-method", "psci"),
                    ])
            })
    }

    /// `psci`: `compatible = "arm,psci-0.2"` (what a vCPU with `KVM_ARM_VCPU_PSCI_0_2` implements
    /// at least; the guest reads the version from the firmware) and the conduit.
    var psciNode: DeviceTreeNode {
        DeviceTreeNode("psci", properties: [.string("compatible", "arm,psci-0.2"), .string("method", psci.rawValue)])
    }

    /// `memory@<base>`: `device_type = "memory"` and the range in the root's 2+2 cells.
    static func memoryNode(_ range: AddressRange) -> DeviceTreeNode {
        DeviceTreeNode(
            "memory@" + String(range.address, radix: 16),
            properties: [.string("device_type", "memory"), DeviceTreeProperty("reg", .u64s([range.address, range.size]))])
    }

    /// `chosen`: `bootargs`, `stdout-path` and the initrd's `linux,initrd-start` and
    /// `linux,initrd-end` (64-bit each, end exclusive) when given.
    var chosenNode: DeviceTreeNode {
        var properties: [DeviceTreeProperty] = []
        if let bootargs { properties.append(.string("bootargs", bootargs)) }
        if let stdoutPath { properties.append(.string("stdout-path", stdoutPath)) }
        if let initrd {
            properties.append(DeviceTreeProperty("linux,initrd-start", .u64s([initrd.address])))
            properties.append(DeviceTreeProperty("linux,initrd-end", .u64s([initrd.address &+ initrd.size])))
        }
        return DeviceTreeNode("chosen", properties: properties)
    }
}
