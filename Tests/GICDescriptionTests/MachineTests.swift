import DeviceTree
import GICDescription
import GICVocabulary
import Testing
import VGIC

/// The minimal machine around the GIC: root, cpus by affinity, psci, memory, timer, chosen
/// (GICDescription.docc/GICBinding.md, "The machine").
@Suite("The minimal machine's devicetree")
struct MachineTests {
    static func machine(vcpus: [VCPUIdentity]) throws -> MachineDeviceTree {
        MachineDeviceTree(gic: try GuestGIC(Layouts.legacy, vcpuCount: vcpus.count), vcpus: vcpus, memory: Machines.memory)
    }

    @Test("the root: 2 address and 2 size cells, linux,dummy-virt, interrupt-parent = the GIC's phandle; children in order")
    func root() throws {
        let tree = try Machines.nested().tree()
        #expect(tree.root.properties == [
            .u32("#address-cells", 2), .u32("#size-cells", 2), .strings("compatible", ["linux,dummy-virt"]),
            .phandle("interrupt-parent", try Phandle(1)),
        ])
        #expect(tree.root.children.map(\.name) == [
            "cpus", "psci", "memory@40000000", "interrupt-controller@8000000", "timer", "chosen",
        ])
    }

    @Test("a cpu node's reg is the vCPU's affinity as the kernel reports it, not its index")
    func cpuRegIsAffinity() throws {
        let vcpus = [
            VCPUIdentity(id: 0, affinity: Affinity(aff1: 1, aff0: 0)), VCPUIdentity(id: 1, affinity: Affinity(aff2: 2, aff1: 1, aff0: 3)),
        ]
        let cpus = try #require(try Self.machine(vcpus: vcpus).tree().root.child("cpus"))
        #expect(cpus[property: "#address-cells"] == .cells([1]))
        #expect(cpus[property: "#size-cells"] == .cells([0]))
        #expect(cpus.children.map(\.name) == ["cpu@100", "cpu@20103"])
        #expect(cpus.children.map { $0[property: "reg"] } == [.cells([0x100]), .cells([0x2_0103])])
        #expect(cpus.children[0].properties == [
            .string("device_type", "cpu"), .string("compatible", "arm,armv8"), .u32("reg", 0x100), .string("enable-method", "psci"),
        ])
    }

    @Test("an Aff3 anywhere makes the cpus two cells wide: Aff3 in the first cell, Aff2..Aff0 in the second")
    func aff3() throws {
        let vcpus = [VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), VCPUIdentity(id: 1, affinity: Affinity(aff3: 1, aff0: 1))]
        let cpus = try #require(try Self.machine(vcpus: vcpus).tree().root.child("cpus"))
        #expect(cpus[property: "#address-cells"] == .cells([2]))
        #expect(cpus.children.map(\.name) == ["cpu@0", "cpu@100000001"])
        #expect(cpus.children[1][property: "reg"]?.cells == [1, 1])
    }

    @Test("boot_cpuid_phys is the first vCPU's reg")
    func bootCPU() throws {
        let vcpus = [VCPUIdentity(id: 0, affinity: Affinity(aff1: 2, aff0: 1)), VCPUIdentity(id: 1, affinity: Affinity(aff0: 0))]
        #expect(try Self.machine(vcpus: vcpus).tree().bootCPUID == 0x201)
    }

    @Test("psci 0.2 over hvc, or smc when asked; memory nodes per range; chosen with bootargs and stdout-path")
    func psciMemoryChosen() throws {
        var machine = try Machines.gicv2()
        #expect(try machine.tree().root.child("psci")?.properties == [.string("compatible", "arm,psci-0.2"), .string("method", "hvc")])
        machine.psci = .smc
        #expect(try machine.tree().root.child("psci")?[property: "method"] == .string("smc"))
        let root = try machine.tree().root
        #expect(root.child("memory@100000000")?.properties == [
            .string("device_type", "memory"), DeviceTreeProperty("reg", .u64s([0x1_0000_0000, 0x4000_0000])),
        ])
        let chosen = try Machines.nested().tree().root.child("chosen")
        #expect(chosen?.properties == [.string("bootargs", "console=ttyAMA0 earlycon"), .string("stdout-path", "/pl011@9000000")])
    }

    @Test("chosen names the initrd by its start and exclusive end, 64 bits each")
    func initrd() throws {
        var machine = try Machines.nested()
        machine.initrd = AddressRange(address: 0x4800_0000, size: 0x9_6000)
        let chosen = try machine.tree().root.child("chosen")
        #expect(chosen?[property: "linux,initrd-start"] == .u64s([0x4800_0000]))
        #expect(chosen?[property: "linux,initrd-end"] == .u64s([0x4809_6000]))
    }

    @Test("a VMM extends the tree with its own devices, interrupts named by the GIC")
    func extend() throws {
        let machine = try Machines.small()
        var tree = try machine.tree()
        tree.root.children.append(DeviceTreeNode(
            "pl011@9000000",
            properties: [
                .strings("compatible", ["arm,pl011", "arm,primecell"]),
                DeviceTreeProperty("reg", .u64s([0x0900_0000, 0x1000])),
                .cells("interrupts", machine.gic.interrupt(try SPI(intid: 33), .levelHigh).cells),
            ]))
        let read = try DeviceTree(flattened: try tree.flattened())
        #expect(read == tree.rawForm)
        #expect(read.root.node(at: "/pl011@9000000")?[property: "interrupts"]?.cells == [0, 1, 4])
    }

    @Test("what does not make a machine is a typed error")
    func refusals() throws {
        var machine = try Machines.small()
        machine.vcpus.append(VCPUIdentity(id: 2, affinity: Affinity(aff0: 2)))
        #expect(throws: GICDescriptionError.vcpuCount(machine: 3, gic: 2)) { try machine.tree() }
        machine = try Machines.small()
        machine.vcpus[1] = VCPUIdentity(id: 1, affinity: Affinity(aff0: 0))
        #expect(throws: GICDescriptionError.duplicateAffinity(Affinity(aff0: 0))) { try machine.tree() }
        machine = try Machines.small()
        machine.memory = []
        #expect(throws: GICDescriptionError.noMemory) { try machine.tree() }
        machine = try Machines.small()
        machine.bootargs = "a\u{0}b"
        #expect(throws: GICDescriptionError.deviceTree(.stringContainsNUL(node: "/chosen", property: "bootargs"))) { try machine.flattened() }
    }

    @Test("our reader reads the machine's blob back as the tree")
    func roundTrip() throws {
        for name in Machines.names {
            let tree = try Machines.machine(name).tree()
            #expect(try DeviceTree(flattened: try tree.flattened()) == tree.rawForm, "\(name)")
        }
    }
}
