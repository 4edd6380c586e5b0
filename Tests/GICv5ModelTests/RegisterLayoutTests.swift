import GICVocabulary
import Testing
@testable import GICv5Model

/// Vector ids are those of GICv5Model.docc/GICv5TestVectors.md.
@Suite("Register images and field layouts")
struct RegisterLayoutTests {
    @Test("A PPI set keeps PPI n at bit n%64 of bank n/64", arguments: [UInt32(0), 3, 63, 64, 100, 127])
    func ppiSetLayout(_ n: UInt32) {
        var set = PPISet()
        set[ppi(n)] = true
        let expected: UInt64 = 1 << UInt64(n % 64)
        #expect(set.register(n < 64 ? .bank0 : .bank1) == expected)
        #expect(set.register(n < 64 ? .bank1 : .bank0) == 0)
        #expect(set.members == [ppi(n)])
        set[ppi(n)] = false
        #expect(set.isEmpty)
    }

    @Test("Set algebra on PPI sets is bank-wise")
    func ppiSetAlgebra() {
        let a = PPISet([ppi(1), ppi(2), ppi(70)])
        let b = PPISet([ppi(2), ppi(70), ppi(127)])
        #expect(a.union(b) == PPISet([ppi(1), ppi(2), ppi(70), ppi(127)]))
        #expect(a.intersection(b) == PPISet([ppi(2), ppi(70)]))
        #expect(a.subtracting(b) == PPISet([ppi(1)]))
        #expect(PPISet.keptByKVM.bank1 == 0 && PPISet.keptByKVM.bank0 == ~0)
    }

    @Test("PPI 8n+k's priority sits at bits [8k+4:8k] of PRIORITYR n", arguments: [UInt32(0), 3, 7, 8, 27, 30, 63, 127])
    func priorityFieldLocation(_ n: UInt32) {
        var registers = PPIPriorityRegisters()
        registers[ppi(n)] = 0x15
        for index in 0..<16 {
            let expected: UInt64 = index == Int(n / 8) ? 0x15 << (UInt64(n % 8) * 8) : 0
            #expect(registers.register(index) == expected, "register \(index)")
        }
        #expect(registers[ppi(n)] == 0x15)
    }

    @Test("G5-16 (layout): PRIORITYR writes drop bits [7:5] of every byte")
    func priorityRES0() {
        var registers = PPIPriorityRegisters()
        registers.setRegister(2, 0xFFFF_FFFF_FFFF_FFFF)
        #expect(registers.register(2) == 0x1F1F_1F1F_1F1F_1F1F)
        registers.setRegister(2, 0xE0E0_E0E0_E0E0_E0E0)
        #expect(registers.register(2) == 0)
    }

    @Test("Unimplemented low-order priority bits are ignored", arguments: [
        (5, UInt8(0x1F)), (4, 0x1E), (3, 0x1C), (2, 0x18), (1, 0x10),
    ])
    func implementedPriorityBits(_ bits: Int, _ mask: UInt8) {
        #expect(GICv5Priority.mask(implementedBits: bits) == mask)
        #expect(GICv5Priority.implemented(0xFF, bits: bits) == mask)
        var registers = PPIPriorityRegisters()
        registers.setRegister(0, 0x1F1F_1F1F_1F1F_1F1F, implementedBits: bits)
        #expect(registers[ppi(5)] == mask)
    }

    @Test("The running priority is the lowest set APR bit, 32 when none", arguments: [
        (UInt32(0), UInt8(32)), (1 << 16, 16), (0b11_0000, 4), (1 << 31, 31), (0xFFFF_FFFF, 0),
    ])
    func runningPriority(_ bits: UInt32, _ running: UInt8) {
        #expect(ActivePriorities(bits: bits).runningPriority == running)
    }

    @Test("ICC_APR_EL1 keeps bits [31:0]; priority drop clears the lowest set bit")
    func activePriorityRegister() {
        var apr = ActivePriorities(register: 0xFFFF_FFFF_0000_0001)
        #expect(apr.register == 1)
        apr.activate(7)
        #expect(apr.bits == 0b1000_0001)
        apr.dropRunningPriority()
        #expect(apr.bits == 0b1000_0000)
        apr.dropRunningPriority()
        apr.dropRunningPriority()
        #expect(apr.bits == 0)
    }

    @Test("G5-17: ICC_PPI_HMR0 has bit 3 (SW_PPI, edge) clear and the architected level PPIs set")
    func handlingModeRegister() {
        let hmr = GICv5CPUInterface().ppiHandlingModes
        #expect(hmr.bank0 & (1 << 3) == 0)
        for architected in GICv5ArchitectedPPI.table where architected.handling == .level {
            #expect(hmr[architected.ppi], "PPI \(architected.ppi.id) should read level")
        }
        #expect(hmr.bank0 == 0xFFFF_FFFF_FFFF_FFF7)
        #expect(hmr.bank1 == ~0)
    }

    @Test("ICH_VMCR_EL2 (GCIE): EN in bit 0, VPMR in bits [31:27]")
    func vmcrLayout() {
        let vmcr = VirtualMachineControl(enabled: true, priorityMask: 0x1F)
        #expect(vmcr.register == 0xF800_0001)
        #expect(VirtualMachineControl(register: 0x8000_0000) == VirtualMachineControl(enabled: false, priorityMask: 0x10))
        #expect(VirtualMachineControl(register: 0x7_07FF_FFFE) == VirtualMachineControl(enabled: false, priorityMask: 0))
    }

    @Test("ICC_ICSR_EL1 fields: F 0, Enabled 1, Pending 2, IRM 3, Active 4, HM 5, Priority [15:11], IAFFID [47:32]")
    func icsrLayout() {
        let state = IRSInterrupt(enabled: true, pending: true, active: true, handlingMode: .level,
                                 priority: 0x1F, target: 0xFFFF, routing: .oneOfN)
        #expect(InterruptConfigStatus(state).rawValue == 0x0000_FFFF_0000_F83E)
        let one = IRSInterrupt(pending: true, priority: 1, target: 2)
        #expect(InterruptConfigStatus(one).rawValue == 0x0000_0002_0000_0804)
        #expect(InterruptConfigStatus.failed.failed)
        #expect(InterruptConfigStatus(rawValue: ~0).rawValue == InterruptConfigStatus.definedBits)
    }
}
