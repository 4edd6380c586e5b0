import GICVocabulary
import Testing
@testable import GICv5Model

@Suite("KVM userspace access to GICv5 CPU-interface sysregs (Sept-2026 series, GICv5Model.docc/GICv5TestVectors.md)")
struct SysRegAccessTests {
    @Test("The register table: op0 3, CRn 12, unique encodings, the named ones where the sysreg file puts them")
    func table() {
        #expect(GICv5SysReg.table.count == 36)
        #expect(Set(GICv5SysReg.table.map(\.encoding)).count == GICv5SysReg.table.count)
        #expect(GICv5SysReg.table.allSatisfy { $0.encoding.op0 == 3 && $0.encoding.crn == 12 })
        let expected: [(GICv5SysReg, UInt8, UInt8, UInt8)] = [
            (.activePriorities, 1, 0, 0), (.control, 1, 0, 1), (.priorityMask, 1, 0, 2),
            (.highestActivePriority, 1, 0, 3), (.interruptStatus, 0, 10, 4), (.affinityID, 0, 10, 5),
            (.enable(.bank1), 0, 10, 7), (.setPending(.bank0), 0, 13, 6), (.clearPending(.bank1), 0, 13, 5),
            (.priority(0), 0, 14, 0), (.priority(15), 0, 15, 7),
        ]
        for (register, op1, crm, op2) in expected {
            #expect((register.encoding.op1, register.encoding.crm, register.encoding.op2) == (op1, crm, op2),
                    "\(register.name)")
        }
        #expect(GICv5SysReg.lookup(GICv5SysReg.control.encoding)?.name.description == "ICC_CR0_EL1")
    }

    @Test("K5-07: SPENDR0 with CNTP (level) and SW_PPI (edge) sets CNTP's line and SW_PPI's latch; both read back")
    func k5_07() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.setPending(.bank0), vcpu: 0, value: bit(.cntp) | bit(.swPPI))
        #expect(vm.vcpus[0][.cntp].lineLevel && !vm.vcpus[0][.cntp].pendingLatch)
        #expect(vm.vcpus[0][.swPPI].pendingLatch && !vm.vcpus[0][.swPPI].lineLevel)
        #expect(try vm.readCPUSysReg(.setPending(.bank0), vcpu: 0) == bit(.cntp) | bit(.swPPI))
        try vm.writeCPUSysReg(.setPending(.bank0), vcpu: 0, value: 0)
        #expect(try vm.readCPUSysReg(.setPending(.bank0), vcpu: 0) == 0)
    }

    @Test("K5-08: ICC_CR0_EL1 = 1 reads 0x7 (EN + LINK + LINK_IDLE); 0 reads 0x6")
    func k5_08() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.control, vcpu: 0, value: 1)
        #expect(try vm.readCPUSysReg(.control, vcpu: 0) == 0x7)
        #expect(vm.vcpus[0].images.control.enabled)
        try vm.writeCPUSysReg(.control, vcpu: 0, value: 0xFFFF_FFFE)
        #expect(try vm.readCPUSysReg(.control, vcpu: 0) == 0x6)
    }

    @Test("K5-09: ICC_APR_EL1 = 0xFFFF_FFFF_0000_0001 reads 0x1")
    func k5_09() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.activePriorities, vcpu: 0, value: 0xFFFF_FFFF_0000_0001)
        #expect(try vm.readCPUSysReg(.activePriorities, vcpu: 0) == 0x1)
    }

    @Test("K5-10: bank-1 registers are not kept: ENABLER1, SACTIVER1, SPENDR1 read 0 after a write")
    func k5_10() throws {
        var vm = try GICv5VM()
        for register in [GICv5SysReg.enable(.bank1), .setActive(.bank1), .setPending(.bank1), .priority(9)] {
            try vm.writeCPUSysReg(register, vcpu: 0, value: ~0)
            #expect(try vm.readCPUSysReg(register, vcpu: 0) == 0, "\(register.name)")
        }
        #expect(vm.vcpus[0].ppis[64...].allSatisfy { $0 == VirtualPPI(handlingMode: .level) })
    }

    @Test("ENABLER0 and SACTIVER0 are raw images that also set each PPI's enable and active state")
    func rawImages() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.enable(.bank0), vcpu: 0, value: 0x8000_0000_0000_0008)
        try vm.writeCPUSysReg(.setActive(.bank0), vcpu: 0, value: bit(.cntv))
        #expect(try vm.readCPUSysReg(.enable(.bank0), vcpu: 0) == 0x8000_0000_0000_0008)
        #expect(vm.vcpus[0][.swPPI].enabled && vm.vcpus[0][ppi(63)].enabled && !vm.vcpus[0][.cntv].enabled)
        #expect(vm.vcpus[0][.cntv].active)
        #expect(try vm.readCPUSysReg(.setActive(.bank0), vcpu: 0) == bit(.cntv))
    }

    @Test("PRIORITYRn keeps 5 bits per byte and copies them into each PPI's priority; PCR is VMCR.VPMR")
    func priorities() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.priority(3), vcpu: 0, value: 0xFF00_0000_0000_00E7)
        #expect(try vm.readCPUSysReg(.priority(3), vcpu: 0) == 0x1F00_0000_0000_0007)
        #expect(vm.vcpus[0][.cntp].priority == 0 && vm.vcpus[0][.trbIRQ].priority == 0x1F && vm.vcpus[0][ppi(24)].priority == 7)
        try vm.writeCPUSysReg(.priorityMask, vcpu: 0, value: 0x3F)
        #expect(try vm.readCPUSysReg(.priorityMask, vcpu: 0) == 0x1F)
    }

    @Test("ICC_ICSR_EL1 is stored with its RES0 bits cleared")
    func icsr() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.interruptStatus, vcpu: 0, value: ~0)
        #expect(try vm.readCPUSysReg(.interruptStatus, vcpu: 0) == 0x0000_FFFF_0000_F83F)
    }

    @Test("Registers without an accessor are refused", arguments: [
        GICv5SysReg.highestActivePriority, .affinityID, .clearPending(.bank0), .register(.clearActive(.bank0)),
        .register(.handlingModes(.bank0)), .register(.identification), .register(.highestPriorityPending),
    ])
    func unsupported(_ register: GICv5SysReg) throws {
        var vm = try GICv5VM()
        #expect(throws: GICv5ModelError.unsupportedRegister(register.encoding)) { try vm.readCPUSysReg(register, vcpu: 0) }
        #expect(throws: GICv5ModelError.unsupportedRegister(register.encoding)) { try vm.writeCPUSysReg(register, vcpu: 0, value: 0) }
    }

    @Test("Access while the vCPU runs is refused; writes after its first run are refused, reads are not")
    func timing() throws {
        var vm = try GICv5VM()
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(throws: GICv5ModelError.vcpuRunning(index: 0)) { try vm.readCPUSysReg(.control, vcpu: 0) }
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(try vm.readCPUSysReg(.control, vcpu: 0) == 0x6)
        #expect(throws: GICv5ModelError.writeAfterFirstRun(vcpu: 0)) { try vm.writeCPUSysReg(.control, vcpu: 0, value: 1) }
    }

    @Test("A state restored through the accessors is what the guest runs with")
    func restoreThenRun() throws {
        var vm = try GICv5VM()
        try vm.writeCPUSysReg(.enable(.bank0), vcpu: 0, value: bit(.swPPI))
        try vm.writeCPUSysReg(.priority(0), vcpu: 0, value: 0x0900_0000)
        try vm.writeCPUSysReg(.priorityMask, vcpu: 0, value: 9)
        try vm.writeCPUSysReg(.control, vcpu: 0, value: 1)
        try vm.writeCPUSysReg(.setPending(.bank0), vcpu: 0, value: bit(.swPPI))
        var hw = try vm.enterGuest(vcpu: 0)
        var irs = vm.irs
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &irs).rawValue == 0x1_2000_0003)
        #expect(hw.activePriorities.bits == 1 << 9)
    }
}
