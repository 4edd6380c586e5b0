import GICVocabulary
import KVM
import Testing
import VGIC

/// GICv2 CPU interface registers through `KVM_DEV_ARM_VGIC_GRP_CPU_REGS`: the GICC table, the
/// attr (vCPU id in bits 39:32, offset in 31:0), the PMR format, and the refusals.
@Suite("GICv2 CPU interface (CPU_REGS)")
struct GICv2CPUInterfaceTests {
    static func gicv2(vcpus: UInt32 = 2) throws -> VGICFixture {
        try VGICFixture(SyscallSimulator(deviceTypes: [.vgicV2, .vgicV3]), vcpus: vcpus, mpidr: AccessTests.oddMPIDR, gic: .created(v2Layout))
    }

    @Test("GICC table: offsets of arm-vgic.rst / vgic_v2_cpu_registers[]", arguments: [
        (GICv2CPURegister.giccCTLR, UInt32(0x00), "GICC_CTLR"), (.giccPMR, 0x04, "GICC_PMR"), (.giccBPR, 0x08, "GICC_BPR"),
        (.giccABPR, 0x1C, "GICC_ABPR"), (.giccAPR0, 0xD0, "GICC_APR0"), (.giccAPR1, 0xD4, "GICC_APR1"),
        (.giccAPR2, 0xD8, "GICC_APR2"), (.giccAPR3, 0xDC, "GICC_APR3"), (.giccIIDR, 0xFC, "GICC_IIDR"),
    ])
    func table(register: GICv2CPURegister, offset: UInt32, name: String) {
        #expect(register.offset == offset)
        #expect(register.description == name)
        #expect(GICv2CPURegister.table.contains(register))
    }

    @Test("the table is in offset order, APRn are the four 0xD0 + 4n, only IIDR is read-only")
    func tableShape() {
        let offsets = GICv2CPURegister.table.map(\.offset)
        #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count)
        #expect(GICv2CPURegister.activePriorities.enumerated().allSatisfy { $0.element.offset == 0xD0 + 4 * UInt32($0.offset) })
        #expect(GICv2CPURegister.table.filter { $0.uaccess == .readOnly } == [.giccIIDR])
        #expect(GICv2CPURegister.giccPMR.uaccess == .priorityMaskField)
    }

    @Test("a register of vCPU 1 is group CPU_REGS, attr (1 << 32) | offset: the id, not the affinity")
    func attr() throws {
        let f = try Self.gicv2()
        try f.vgic.setCPUInterfaceRegister(.giccBPR, of: f.vcpus[1], to: 3)
        #expect(try f.vgic.cpuInterfaceRegister(.giccBPR, of: f.vcpus[1]) == 3)
        #expect(try f.vgic.hasCPUInterfaceRegister(.giccAPR2, of: f.vcpus[1]))
        let expected = [
            AttributeAddress(group: .cpuRegisters, attr: 1 << 32 | 0x08),
            AttributeAddress(group: .cpuRegisters, attr: 1 << 32 | 0x08),
            AttributeAddress(group: .cpuRegisters, attr: 1 << 32 | 0xD8),
        ]
        #expect(f.sim.calls.map(\.attempt.attribute) == expected)
        #expect(f.sim.calls.map(\.attempt.request) == [.setDeviceAttr, .getDeviceAttr, .hasDeviceAttr])
        #expect(f.sim.calls.first?.value == 3)
        #expect(f.vcpus[1].affinity.packed != 1)
    }

    @Test("GICC_PMR: userspace carries the mask >> 3 (VMCR.VMPriMask); the low 3 bits are dropped", arguments: [
        (UInt8(0xF8), UInt64(0x1F)), (0xA5, 0x14), (0x08, 0x01), (0x07, 0x00), (0x00, 0x00),
    ])
    func priorityMask(mask: UInt8, field: UInt64) throws {
        let f = try Self.gicv2()
        try f.vgic.setPriorityMask(mask, of: f.vcpus[0])
        #expect(f.sim.calls(.setDeviceAttr).map(\.value) == [field])
        #expect(f.sim.calls(.setDeviceAttr).first?.attempt.attribute == AttributeAddress(group: .cpuRegisters, attr: 0x04))
        #expect(try f.vgic.priorityMask(of: f.vcpus[0]) == mask & 0xF8)
    }

    @Test("refused before the ioctl: a GICv3 or GICv5 has no CPU interface frame; vCPU ids stop at 255")
    func refusals() throws {
        let v3 = try VGICFixture()
        #expect(throws: VGICError.configuration(.frameNotInModel(.cpuInterface, .v3))) {
            _ = try v3.vgic.cpuInterfaceRegister(.giccCTLR, of: v3.vcpus[0])
        }
        #expect(throws: VGICError.configuration(.frameNotInModel(.cpuInterface, .v3))) {
            try v3.vgic.setPriorityMask(0xF0, of: v3.vcpus[0])
        }
        #expect(v3.sim.calls.isEmpty)
        let v5 = try VGICFixture(gicv5Kernel(), gic: .created(.v5))
        #expect(throws: VGICError.configuration(.frameNotInModel(.cpuInterface, .v5))) {
            _ = try v5.vgic.hasCPUInterfaceRegister(.giccIIDR, of: v5.vcpus[0])
        }
        let v2 = try Self.gicv2()
        let far = VCPUIdentity(id: 256, affinity: Affinity(aff0: 0))
        #expect(throws: VGICError.configuration(.invalidValue(.outOfRange(field: .v2CPUIndex, value: 256, allowed: 0...255)))) {
            _ = try v2.vgic.cpuInterfaceRegister(.giccCTLR, of: far)
        }
        #expect(v2.sim.calls.isEmpty)
    }

    @Test("kernel refusals: EBUSY is vcpusRunning (GICv2 initialises itself), EINVAL and ENXIO stay .kernel, HAS ENXIO is false")
    func errnos() throws {
        let f = try Self.gicv2()
        f.sim.failures = [(.getDeviceAttr, .cpuRegisters, .EBUSY)]
        do { _ = try f.vgic.cpuInterfaceRegister(.giccCTLR, of: f.vcpus[0]); Issue.record("expected EBUSY") } catch {
            if case .vcpusRunning(let e) = error { #expect(e.errno == .EBUSY) } else { Issue.record("got \(error)") }
        }
        f.sim.failures = [(.setDeviceAttr, .cpuRegisters, .EINVAL)]
        do { try f.vgic.setCPUInterfaceRegister(.giccCTLR, of: f.vcpus[0], to: 1); Issue.record("expected EINVAL") } catch {
            if case .kernel(let e) = error { #expect(e.errno == .EINVAL && e.attempt.attribute?.offset == 0) } else { Issue.record("got \(error)") }
        }
        f.sim.failures = [(.hasDeviceAttr, .cpuRegisters, .ENXIO)]
        #expect(try !f.vgic.hasCPUInterfaceRegister(.giccAPR3, of: f.vcpus[0]))
        f.sim.failures = [(.hasDeviceAttr, .cpuRegisters, .EBUSY)]
        #expect(throws: VGICError.self) { _ = try f.vgic.hasCPUInterfaceRegister(.giccAPR3, of: f.vcpus[0]) }
    }
}
