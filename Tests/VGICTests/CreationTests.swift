import GICVocabulary
import KVM
import Testing
import VGIC

/// The exact ioctl/attr sequence `VGIC.create` issues, recorded by the simulator: order is the
/// contract (device → NR_IRQS → addresses → ITS → CTRL_INIT).
@Suite("VGIC creation")
struct CreationTests {
    typealias Step = (request: Request, group: AttributeGroup?, attr: UInt64?, value: UInt64?)

    func steps(_ sim: SyscallSimulator) -> [Step] {
        // fds closed when a discarded VGIC goes away are not part of the creation sequence.
        sim.calls.filter { $0.attempt.request != .close }.map { ($0.attempt.request, $0.attempt.attribute?.group, $0.attempt.attribute?.attr, $0.value) }
    }

    func same(_ a: [Step], _ b: [Step]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.request == $1.request && $0.group == $1.group && $0.attr == $1.attr && $0.value == $1.value }
    }

    @Test("v3 with regions, NR_IRQS and ITS: exactly this sequence")
    func v3Sequence() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpus = try identities(vm, count: 4)
        sim.clearCalls()
        let configuration = try v3Layout(its: 12 * mib, count: 128)
        let vgic = try VGIC.create(on: vm, configuration: configuration, vcpus: vcpus)
        let (initialised, hasITS, version) = (vgic.isInitialised, vgic.hasITS, vgic.version)
        #expect(initialised && hasITS && version == .v3)
        let region0 = try RedistributorRegion(count: 2, base: 9 * mib, index: 0).rawValue
        let region1 = try RedistributorRegion(count: 2, base: 10 * mib, index: 1).rawValue
        let expected: [Step] = [
            (.duplicate, nil, nil, nil),
            (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .nrIRQs, 0, 128),
            (.setDeviceAttr, .address, AddressType.v3Distributor.rawValue, 8 * mib),
            (.setDeviceAttr, .address, AddressType.v3RedistributorRegion.rawValue, region0),
            (.setDeviceAttr, .address, AddressType.v3RedistributorRegion.rawValue, region1),
            (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .address, AddressType.its.rawValue, 12 * mib),
            (.setDeviceAttr, .control, 0, nil),
            (.setDeviceAttr, .control, 0, nil),
        ]
        #expect(same(steps(sim), expected), "\(sim.calls)")
        let creates = sim.calls(.createDevice).map(\.attempt.argument)
        #expect(creates == [UInt64(DeviceType.vgicV3.rawValue), UInt64(DeviceType.vgicITS.rawValue)])
        // The ITS init goes to the ITS fd, the final CTRL_INIT to the GIC fd.
        let inits = sim.calls.filter { $0.attempt.attribute?.group == .control }.map(\.fd)
        #expect(inits.count == 2 && inits[0] != inits[1])
        #expect(inits[1] == sim.calls(.setDeviceAttr).first?.fd)
    }

    @Test("v3 legacy without NR_IRQS and v2: no NR_IRQS step, model's address types")
    func legacyAndV2() throws {
        let sim = SyscallSimulator(deviceTypes: [.vgicV2, .vgicV3])
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpus = try identities(vm, count: 2)
        sim.clearCalls()
        _ = try VGIC.create(on: vm, configuration: .v3(distributor: 0, redistributors: .legacy(base: 0x10000)), vcpus: vcpus)
        #expect(same(steps(sim), [
            (.duplicate, nil, nil, nil), (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .address, AddressType.v3Distributor.rawValue, 0),
            (.setDeviceAttr, .address, AddressType.v3Redistributor.rawValue, 0x10000),
            (.setDeviceAttr, .control, 0, nil),
        ]))
        let vm2 = try kvm.createVM()
        let two = try identities(vm2, count: 2)
        sim.clearCalls()
        _ = try VGIC.create(on: vm2, configuration: .v2(distributor: 0x8000_0000, cpuInterface: 0x8001_0000, interruptCount: 64), vcpus: two)
        #expect(same(steps(sim), [
            (.duplicate, nil, nil, nil), (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .nrIRQs, 0, 64),
            (.setDeviceAttr, .address, AddressType.v2Distributor.rawValue, 0x8000_0000),
            (.setDeviceAttr, .address, AddressType.v2CPUInterface.rawValue, 0x8001_0000),
            (.setDeviceAttr, .control, 0, nil),
        ]))
    }

    @Test("an invalid configuration sends nothing")
    func invalidSendsNothing() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpus = try identities(vm, count: 4)
        sim.clearCalls()
        #expect(throws: VGICError.configuration(.interruptCount(1024))) {
            _ = try VGIC.create(on: vm, configuration: try v3Layout(count: 1024), vcpus: vcpus)
        }
        #expect(throws: VGICError.configuration(.insufficientRedistributors(capacity: 4, vcpus: 5))) {
            _ = try VGIC.create(on: vm, configuration: try v3Layout(), vcpus: vcpus + [VCPUIdentity(id: 9, affinity: Affinity(aff0: 9))])
        }
        #expect(sim.calls.isEmpty)
    }

    @Test("isSupported probes with KVM_CREATE_DEVICE_TEST and creates nothing")
    func probe() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        #expect(try VGIC.isSupported(.v3, on: vm))
        #expect(try !VGIC.isSupported(.v2, on: vm))
        #expect(try !VGIC.isSupported(.v5, on: vm))
        #expect(!sim.objects.values.contains { if case .device = $0 { true } else { false } })
    }
}
