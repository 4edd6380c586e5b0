import GICVocabulary
import KVM
import Testing
import VGIC

/// One recorded step: request, attribute group and attr, value written.
typealias Step = (request: Request, group: AttributeGroup?, attr: UInt64?, value: UInt64?)

/// The recorded calls as steps; fds closed when a discarded handle goes away are not part of a
/// sequence.
func steps(_ sim: SyscallSimulator) -> [Step] {
    sim.calls.filter { $0.attempt.request != .close }.map { ($0.attempt.request, $0.attempt.attribute?.group, $0.attempt.attribute?.attr, $0.value) }
}

func same(_ a: [Step], _ b: [Step]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.request == $1.request && $0.group == $1.group && $0.attr == $1.attr && $0.value == $1.value }
}

/// `KVM_CHECK_EXTENSION(KVM_CAP_MAX_VCPUS)`, the first thing `VGIC.create` asks after validating.
let maxVCPUsQuery: Step = (.checkExtension, nil, nil, nil)

/// The exact ioctl/attr sequence `VGIC.create` issues, recorded by the simulator: order is the
/// contract (vCPU limit → device → NR_IRQS → addresses → ITS → CTRL_INIT).
@Suite("VGIC creation")
struct CreationTests {
    @Test("v3 with regions, NR_IRQS and ITS: exactly this sequence")
    func v3Sequence() throws {
        let f = try VMFixture(vcpus: 4)
        let configuration = try v3Layout(its: 12 * mib, count: 128)
        let vgic = try VGIC.create(on: f.vm, configuration: configuration, vcpus: f.vcpus)
        let (initialised, hasITS, version) = (vgic.isInitialised, vgic.hasITS, vgic.version)
        #expect(initialised && hasITS && version == .v3)
        let region0 = try RedistributorRegion(count: 2, base: 9 * mib, index: 0).rawValue
        let region1 = try RedistributorRegion(count: 2, base: 10 * mib, index: 1).rawValue
        let expected: [Step] = [
            maxVCPUsQuery,
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
        #expect(same(steps(f.sim), expected), "\(f.sim.calls)")
        #expect(f.sim.calls(.checkExtension).map(\.attempt.argument) == [UInt64(Capability.maxVCPUs.rawValue)])
        let creates = f.sim.calls(.createDevice).map(\.attempt.argument)
        #expect(creates == [UInt64(DeviceType.vgicV3.rawValue), UInt64(DeviceType.vgicITS.rawValue)])
        // The ITS init goes to the ITS fd, the final CTRL_INIT to the GIC fd.
        let inits = f.sim.calls.filter { $0.attempt.attribute?.group == .control }.map(\.fd)
        #expect(inits.count == 2 && inits[0] != inits[1])
        #expect(inits[1] == f.sim.calls(.setDeviceAttr).first?.fd)
    }

    @Test("v3 legacy without NR_IRQS and v2: no NR_IRQS step, model's address types")
    func legacyAndV2() throws {
        let f = try VMFixture(SyscallSimulator(deviceTypes: [.vgicV2, .vgicV3]), vcpus: 2)
        _ = try VGIC.create(on: f.vm, configuration: legacyV3, vcpus: f.vcpus)
        #expect(same(steps(f.sim), [
            maxVCPUsQuery, (.duplicate, nil, nil, nil), (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .address, AddressType.v3Distributor.rawValue, 0),
            (.setDeviceAttr, .address, AddressType.v3Redistributor.rawValue, 0x10000),
            (.setDeviceAttr, .control, 0, nil),
        ]))
        let g = try VMFixture(SyscallSimulator(deviceTypes: [.vgicV2, .vgicV3]), vcpus: 2)
        _ = try VGIC.create(on: g.vm, configuration: .v2(distributor: 0x8000_0000, cpuInterface: 0x8001_0000, interruptCount: 64), vcpus: g.vcpus)
        #expect(same(steps(g.sim), [
            maxVCPUsQuery, (.duplicate, nil, nil, nil), (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .nrIRQs, 0, 64),
            (.setDeviceAttr, .address, AddressType.v2Distributor.rawValue, 0x8000_0000),
            (.setDeviceAttr, .address, AddressType.v2CPUInterface.rawValue, 0x8001_0000),
            (.setDeviceAttr, .control, 0, nil),
        ]))
    }

    @Test("an invalid configuration sends nothing")
    func invalidSendsNothing() throws {
        let f = try VMFixture(vcpus: 4)
        #expect(throws: VGICError.configuration(.interruptCount(1024))) {
            _ = try VGIC.create(on: f.vm, configuration: try v3Layout(count: 1024), vcpus: f.vcpus)
        }
        #expect(throws: VGICError.configuration(.insufficientRedistributors(capacity: 4, vcpus: 5))) {
            _ = try VGIC.create(on: f.vm, configuration: try v3Layout(), vcpus: f.vcpus + [VCPUIdentity(id: 9, affinity: Affinity(aff0: 9))])
        }
        #expect(f.sim.calls.isEmpty)
    }

    @Test("isSupported probes with KVM_CREATE_DEVICE_TEST and creates nothing")
    func probe() throws {
        let f = try VMFixture()
        #expect(try VGIC.isSupported(.v3, on: f.vm))
        #expect(try !VGIC.isSupported(.v2, on: f.vm))
        #expect(try !VGIC.isSupported(.v5, on: f.vm))
        #expect(!f.sim.objects.values.contains { if case .device = $0 { true } else { false } })
    }
}
