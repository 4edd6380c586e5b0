import GICVocabulary
import KVM
import Testing
import VGIC

/// The vCPU limit of a GIC model: the kernel's `KVM_CAP_MAX_VCPUS` answer where it gives one,
/// the `GICVersion.maxVCPUs` table otherwise.
@Suite("vCPU limit")
struct VCPULimitTests {
    func simulator(maxVCPUs: Int) -> SyscallSimulator {
        let sim = gicv5Kernel()
        sim.capabilities[.maxVCPUs] = maxVCPUs
        return sim
    }

    @Test("the table: V2 8, V3 512, V5 512 (VGIC_V{2,3,5}_MAX_CPUS)")
    func table() {
        #expect(GICVersion.v2.maxVCPUs == 8)
        #expect(GICVersion.v3.maxVCPUs == 512)
        #expect(GICVersion.v5.maxVCPUs == 512)
    }

    @Test("the kernel's answer, when lower, is the limit", arguments: GICVersion.allCases)
    func lowerAnswer(version: GICVersion) throws {
        let f = try VMFixture(simulator(maxVCPUs: 4))
        #expect(try VGIC.maxVCPUs(version, on: f.vm) == Swift.min(4, version.maxVCPUs))
        #expect(f.sim.calls(.checkExtension).map(\.attempt.argument) == [UInt64(Capability.maxVCPUs.rawValue)])
    }

    @Test("an answer above the table, or none (0), leaves the table's limit")
    func higherOrNoAnswer() throws {
        let high = try VMFixture(simulator(maxVCPUs: 4096))
        #expect(try VGIC.maxVCPUs(.v2, on: high.vm) == 8)
        #expect(try VGIC.maxVCPUs(.v5, on: high.vm) == 512)
        let none = try VMFixture(simulator(maxVCPUs: 0))
        #expect(try VGIC.maxVCPUs(.v5, on: none.vm) == 512)
        #expect(try VGIC.maxVCPUs(.v3, on: none.vm) == 512)
    }

    @Test("create refuses more vCPUs than the kernel's answer before KVM_CREATE_DEVICE")
    func createRefuses() throws {
        let f = try VMFixture(simulator(maxVCPUs: 4), vcpus: 5)
        #expect(throws: VGICError.configuration(.tooManyVCPUs(count: 5, maximum: 4))) {
            _ = try VGIC.create(on: f.vm, configuration: .v5, vcpus: f.vcpus)
        }
        #expect(f.sim.calls.map(\.attempt.request) == [.checkExtension])
        let g = try VMFixture(simulator(maxVCPUs: 4), vcpus: 4)
        _ = try VGIC.create(on: g.vm, configuration: .v5, vcpus: g.vcpus)
        #expect(g.sim.calls(.createDevice).count == 1)
    }

    @Test("a failing capability query is a kernel error, not a silent fallback")
    func queryFails() throws {
        let f = try VMFixture(simulator(maxVCPUs: 4))
        f.sim.failures = [(.checkExtension, nil, .EIO)]
        #expect(throws: VGICError.kernel(.kernel(.EIO, Attempt(.checkExtension, argument: UInt64(Capability.maxVCPUs.rawValue))))) {
            _ = try VGIC.maxVCPUs(.v5, on: f.vm)
        }
    }
}
