import GICVocabulary
import KVM
import Testing
import VGIC

/// Register, sysreg, level-info and line accesses: the attrs they build, 64-bit splits, and
/// per-vCPU selectors taken from MPIDR, never from the vCPU id.
@Suite("Typed access")
struct AccessTests {
    /// MPIDR whose affinity differs from the id: Aff1 = id + 1, Aff0 = 7, Aff2 = 3.
    static func oddMPIDR(_ id: UInt32) -> UInt64 {
        (1 << 31) | (3 << 16) | (UInt64(id + 1) << 8) | 7
    }

    @Test("VCPUIdentity reads the affinity from MPIDR_EL1")
    func identityFromMPIDR() throws {
        let f = try VMFixture(vcpus: 3, mpidr: Self.oddMPIDR, keepCalls: true)
        #expect(f.vcpus[2] == VCPUIdentity(id: 2, affinity: Affinity(aff2: 3, aff1: 3, aff0: 7)))
        #expect(f.sim.calls(.getOneReg).count == 3)
    }

    @Test("64-bit redistributor register: two 32-bit reads at offset and offset + 4, selector = affinity")
    func split64() throws {
        let f = try VGICFixture(vcpus: 2, mpidr: Self.oddMPIDR, gic: .created(try v3Layout()))
        try f.vgic.setRedistributorRegister(.gicrPROPBASER, of: f.vcpus[1], to: 0x1122_3344_5566_7788)
        let value = try f.vgic.redistributorRegister(.gicrPROPBASER, of: f.vcpus[1])
        #expect(value == 0x1122_3344_5566_7788)
        let selector = UInt64(Affinity(aff2: 3, aff1: 2, aff0: 7).packed) << 32
        let writes = f.sim.calls(.setDeviceAttr)
        #expect(writes.map(\.attempt.attribute?.attr) == [selector | 0x70, selector | 0x74])
        #expect(writes.map(\.value) == [0x5566_7788, 0x1122_3344])
        #expect(writes.allSatisfy { $0.attempt.attribute?.group == .redistributorRegisters })
        #expect(f.sim.calls(.getDeviceAttr).map(\.attempt.attribute?.attr) == [selector | 0x70, selector | 0x74])
    }

    @Test("GICD_IROUTER by INTID is the two words at 0x6000 + 8n; 32-bit banks one word")
    func distributorBanks() throws {
        let f = try VGICFixture()
        _ = try f.vgic.distributorRegister(.gicdIROUTER, covering: 40)
        _ = try f.vgic.distributorRegister(.gicdISPENDR, covering: 40)
        _ = try f.vgic.distributorRegister(.gicdCTLR)
        #expect(f.sim.calls(.getDeviceAttr).map(\.attempt.attribute?.attr) == [0x6140, 0x6144, 0x204, 0])
        #expect(f.sim.calls(.getDeviceAttr).allSatisfy { $0.attempt.attribute?.group == .distributorRegisters })
    }

    @Test("caller mistakes are refused before the kernel")
    func argumentProblems() throws {
        let f = try VGICFixture()
        #expect(throws: VGICError.configuration(.registerFrame(.gicrCTLR, expected: .distributor))) {
            _ = try f.vgic.distributorRegister(.gicrCTLR)
        }
        #expect(throws: VGICError.configuration(.registerFrame(.gicdCTLR, expected: .redistributorRD))) {
            _ = try f.vgic.redistributorRegister(.gicdCTLR, of: f.vcpus[0])
        }
        #expect(throws: VGICError.configuration(.registerIndex(.gicrTYPER, index: 1, count: 1))) {
            _ = try f.vgic.redistributorRegister(.gicrTYPER, index: 1, of: f.vcpus[0])
        }
        #expect(throws: VGICError.configuration(.valueTooWide(.gicdCTLR, value: 1 << 32))) {
            try f.vgic.setDistributorRegister(.gicdCTLR, to: 1 << 32)
        }
        #expect(throws: VGICError.self) { _ = try f.vgic.distributorRegister(.gicdISENABLER, covering: 5) }
        #expect(f.sim.calls.isEmpty)
    }

    @Test("ICC registers are 64-bit CPU_SYSREGS attrs selected by affinity")
    func sysregs() throws {
        let f = try VGICFixture(mpidr: Self.oddMPIDR)
        let pmr = ICCRegister.iccPMR
        try f.vgic.setSystemRegister(pmr, of: f.vcpus[0], to: 0xF0)
        #expect(try f.vgic.systemRegister(pmr, of: f.vcpus[0]) == 0xF0)
        let attr = UInt64(Affinity(aff2: 3, aff1: 1, aff0: 7).packed) << 32 | UInt64(pmr.instr)
        #expect(f.sim.calls(.setDeviceAttr).map(\.attempt.attribute) == [AttributeAddress(group: .cpuSysregs, attr: attr)])
    }

    @Test("LEVEL_INFO: selector by affinity, first INTID rounded down to 32")
    func levels() throws {
        let f = try VGICFixture(mpidr: Self.oddMPIDR)
        let selector = try VGIC.levelSelector(covering: 45, of: f.vcpus[0])
        #expect(selector.firstINTID == 32)
        try f.vgic.setLineLevels(selector, to: 1 << 13)
        #expect(try f.vgic.lineLevel(of: 45, on: f.vcpus[0]))
        #expect(try !f.vgic.lineLevel(of: 44, on: f.vcpus[0]))
        let attr = UInt64(Affinity(aff2: 3, aff1: 1, aff0: 7).packed) << 32 | 32
        #expect(f.sim.calls(.setDeviceAttr).last?.attempt.attribute == AttributeAddress(group: .levelInfo, attr: attr))
        #expect(throws: VGICError.self) { _ = try VGIC.levelSelector(covering: 1024, of: f.vcpus[0]) }
    }

    @Test("setLevel: SPI by INTID, PPI by vCPU id (not affinity)")
    func lines() throws {
        let f = try VGICFixture(vcpus: 3, mpidr: Self.oddMPIDR, gic: .created(try v3Layout()))
        try f.vgic.setLevel(try SPI(intid: 40), true)
        try f.vgic.setLevel(try PPI(intid: 27), on: f.vcpus[2], false)
        let words = f.sim.calls(.irqLine)
        #expect(words.map(\.attempt.argument) == [UInt64(1 << 24 | 40), UInt64(2 << 24 | 2 << 16 | 27)])
        #expect(words.map(\.value) == [1, 0])
        // The line goes to the VGIC's own duplicate of the VM fd.
        #expect(words.allSatisfy { $0.fd != words[0].fd || f.sim.objects[$0.fd] == .vm })
    }
}
