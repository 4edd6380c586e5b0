import DeviceTree
import Foundation
import GICDescription
import GICVocabulary
import VGIC

/// The machines the dtc tests compare, each with its expected source in `Expected/<name>.dts`
/// (dtc 1.6's output format, reviewed against the bindings in GICDescription.docc/GICBinding.md).
enum Machines {
    static let memory = [AddressRange(address: 0x4000_0000, size: 0x1000_0000)]

    /// GICv3 with an ITS, two redistributor regions, vCPUs with EL2; 4 vCPUs, a console.
    static func nested() throws -> MachineDeviceTree {
        MachineDeviceTree(
            gic: try GuestGIC(Layouts.twoRegions, vcpuCount: 4, el2: GuestEL2()), vcpus: Layouts.vcpus(4), memory: memory,
            bootargs: "console=ttyAMA0 earlycon", stdoutPath: "/pl011@9000000")
    }

    /// GICv3, legacy redistributors, no ITS, 2 vCPUs: the smallest usual VM.
    static func small() throws -> MachineDeviceTree {
        MachineDeviceTree(gic: try GuestGIC(Layouts.legacy, vcpuCount: 2), vcpus: Layouts.vcpus(2), memory: memory, bootargs: "quiet")
    }

    /// GICv2, 2 vCPUs, two memory ranges.
    static func gicv2() throws -> MachineDeviceTree {
        MachineDeviceTree(
            gic: try GuestGIC(Layouts.v2, vcpuCount: 2), vcpus: Layouts.vcpus(2),
            memory: memory + [AddressRange(address: 0x1_0000_0000, size: 0x4000_0000)])
    }

    static let names = ["gicv3-its-regions-el2", "gicv3-legacy", "gicv2"]

    /// The machine called `name` (one of `names`).
    static func machine(_ name: String) throws -> MachineDeviceTree {
        switch name {
        case "gicv3-its-regions-el2": try nested()
        case "gicv3-legacy": try small()
        default: try gicv2()
        }
    }

    /// The expected source of machine `name`.
    static func expected(_ name: String) throws -> String {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")
        return try String(contentsOf: folder.appendingPathComponent("\(name).dts"), encoding: .utf8)
    }
}
