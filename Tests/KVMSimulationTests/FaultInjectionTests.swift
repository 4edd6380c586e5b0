import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// `KernelFault`: make chosen calls fail with a chosen errno, for the error paths of a VMM that
/// no model reaches. A failing call is recorded, changes nothing, and comes back typed.
@Suite("Fault injection")
struct FaultInjectionTests {
    @Test("every matching call fails; a group narrows the match to one attribute group")
    func every() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        machine.kernel.clearCalls()
        machine.kernel.faults = [.every(.setDeviceAttr, group: .cpuSysregs, errno: .EIO)]
        #expect(errno { () throws(VGICError) in try gic.setSystemRegister(ICCRegister.iccPMR, of: machine.vcpus[0], to: 0xF0) } == .EIO)
        #expect(machine.kernel.gicv3?.redistributors[0].cpuInterface.pmr == 0)
        try gic.setDistributorRegister(.gicdCTLR, to: 2)
        #expect(machine.kernel.calls(.setDeviceAttr).count == 2, "the failed call is recorded too")
    }

    @Test("only the nth matching call fails, counted from when the fault was added")
    func nth() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        machine.kernel.faults = [.nth(3, .irqLine, errno: .EINTR)]
        let spi = try SPI(intid: 40)
        try gic.setLevel(spi, true)
        try gic.setLevel(spi, false)
        #expect(errno { () throws(VGICError) in try gic.setLevel(spi, true) } == .EINTR)
        try gic.setLevel(spi, true)
        #expect(machine.kernel.faults.first?.matched == 4)
    }

    @Test("each fault counts every matching call, whichever fires")
    func independentCounts() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        machine.kernel.faults = [.nth(1, .irqLine, errno: .EIO), .nth(2, .irqLine, errno: .EINTR)]
        let spi = try SPI(intid: 40)
        #expect(errno { () throws(VGICError) in try gic.setLevel(spi, true) } == .EIO)
        #expect(errno { () throws(VGICError) in try gic.setLevel(spi, true) } == .EINTR)
        try gic.setLevel(spi, true)
    }

    @Test("a refusal halfway through a restore comes back as the step that failed")
    func restoreHalfway() throws {
        let kernel = SimulatedKernel()
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        var vcpus = VCPUSet()
        for id: UInt32 in 0..<2 { try vcpus.insert(try vm.createVCPU(id: id)) }
        let gic = try VGIC.create(on: vm, configuration: Machine.layout, vcpus: vcpus.identities)
        try gic.setLevel(try SPI(intid: 40), true)
        let snapshot = try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.captureSnapshot(stopped) }
        kernel.faults = [.nth(5, .setDeviceAttr, group: .distributorRegisters, errno: .EIO)]
        do throws(SnapshotError) {
            try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.restoreSnapshot(snapshot, stopped) }
            Issue.record("the restore succeeded")
        } catch {
            guard case .writing(_, .distributor, _, let cause) = error else {
                Issue.record("expected a distributor write failure, got \(error)")
                return
            }
            #expect(cause.errno == .EIO)
        }
    }

    @Test("the plain simulator's failure rules still apply")
    func failures() throws {
        let machine = try Machine()
        machine.kernel.failures = [(.createDevice, nil, .ENOMEM)]
        #expect(errno { () throws(VGICError) in try machine.gicv3() } == .ENOMEM)
    }
}
