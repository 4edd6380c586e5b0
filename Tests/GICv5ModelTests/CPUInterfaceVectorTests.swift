import GICVocabulary
import Testing
@testable import GICv5Model

/// The vectors of GICv5Model.docc/GICv5TestVectors.md: 5 priority bits, CR0.EN = 1 unless said.
@Suite("GICv5 CPU interface vectors (GICv5Model.docc/GICv5TestVectors.md)")
struct CPUInterfaceVectorTests {
    /// G5-01's state: SW_PPI enabled at priority 16, PCR 16, APR 0, made pending by SPENDR0.
    func g501() -> (GICv5CPUInterface, GICv5IRS) {
        var cpu = readyCPU(priorityMask: 16)
        configure(&cpu, .swPPI, priority: 16)
        cpu.writeSetPending(.bank0, 1 << 3)
        return (cpu, GICv5IRS())
    }

    @Test("G5-01: W1 to ICC_PPI_SPENDR0 bit 3 makes SW_PPI pending; HPPIR = 0x1_2000_0003")
    func g5_01() {
        let (cpu, irs) = g501()
        #expect(cpu.ppiPending[.swPPI])
        #expect(GICv5Guest.highestPriorityPendingRegister(cpu, irs) == 0x1_2000_0003)
    }

    @Test("G5-02: CDIA acks the SW_PPI, clears edge pending, sets APR bit 16")
    func g5_02() {
        var (cpu, irs) = g501()
        let result = GICv5Guest.acknowledge(cpu: &cpu, irs: &irs)
        #expect(result.rawValue == 0x1_2000_0003)
        #expect(result.interruptID == GICv5PPI.swPPI.interruptID)
        #expect(cpu.ppiActive[.swPPI])
        #expect(!cpu.ppiPending[.swPPI])
        #expect(cpu.activePriorities.bits == 1 << 16)
    }

    @Test("G5-03: CDEOI drops the priority (APR 0) and leaves SW_PPI active")
    func g5_03() {
        var (cpu, irs) = g501()
        GICv5Guest.acknowledge(cpu: &cpu, irs: &irs)
        GICv5Guest.priorityDrop(cpu: &cpu)
        #expect(cpu.activePriorities.bits == 0)
        #expect(cpu.ppiActive[.swPPI])
    }

    @Test("G5-04: CDDI 0x20000003 deactivates SW_PPI")
    func g5_04() {
        var (cpu, irs) = g501()
        GICv5Guest.acknowledge(cpu: &cpu, irs: &irs)
        GICv5Guest.priorityDrop(cpu: &cpu)
        GICv5Guest.execute(.cddi, operand: 0x2000_0003, cpu: &cpu, irs: &irs)
        #expect(!cpu.ppiActive[.swPPI])
        #expect(cpu == GICv5CPUInterface.afterEnable(of: .swPPI, priority: 16, pcr: 16))
    }

    @Test("G5-05: CDIA of level PPI 30 (CNTP) keeps it pending; CPENDR does not clear it")
    func g5_05() {
        var cpu = readyCPU(priorityMask: 16)
        var irs = GICv5IRS()
        configure(&cpu, .cntp, priority: 0)
        cpu.setInput(.cntp, level: true)
        let result = GICv5Guest.acknowledge(cpu: &cpu, irs: &irs)
        #expect(result.rawValue == 0x1_2000_001E)
        #expect(cpu.ppiActive[.cntp])
        #expect(cpu.ppiPending[.cntp])
        cpu.writeClearPending(.bank0, bit(.cntp))
        #expect(cpu.ppiPending[.cntp])
        cpu.setInput(.cntp, level: false)
        #expect(!cpu.ppiPending[.cntp])
    }

    @Test("G5-06: with PCR 0 (reset) a pending PPI of priority 1 is not acknowledged")
    func g5_06() {
        var cpu = readyCPU(priorityMask: 0)
        var irs = GICv5IRS()
        configure(&cpu, .swPPI, priority: 1)
        cpu.writeSetPending(.bank0, bit(.swPPI))
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs) == .none)
        #expect(!cpu.ppiActive[.swPPI] && cpu.ppiPending[.swPPI] && cpu.activePriorities.bits == 0)
    }

    @Test("G5-07: priority 16 with PCR 16 is signalled (the mask is inclusive)")
    func g5_07() {
        let (cpu, irs) = g501()
        #expect(GICv5Guest.signalled(cpu, irs)?.priority == 16)
    }

    @Test("G5-08: priority 17 with PCR 16 is not acknowledged")
    func g5_08() {
        var (cpu, irs) = g501()
        cpu.ppiPriorities[.swPPI] = 17
        #expect(GICv5Guest.highestPriorityPendingRegister(cpu, irs) == 0)
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs) == .none)
    }

    @Test("G5-09: a PPI of priority 5 does not preempt running priority 5")
    func g5_09() {
        var cpu = readyCPU(priorityMask: 31)
        var irs = GICv5IRS()
        cpu.activePriorities = ActivePriorities(bits: 1 << 5)
        configure(&cpu, .swPPI, priority: 5)
        cpu.writeSetPending(.bank0, bit(.swPPI))
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs) == .none)
    }

    @Test("G5-10: a PPI of priority 4 preempts running priority 5; APR bits 4 and 5 set")
    func g5_10() {
        var cpu = readyCPU(priorityMask: 4)
        var irs = GICv5IRS()
        cpu.activePriorities = ActivePriorities(bits: 1 << 5)
        configure(&cpu, .swPPI, priority: 4)
        cpu.writeSetPending(.bank0, bit(.swPPI))
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs).isValid)
        #expect(cpu.activePriorities.bits == 0b11_0000)
    }

    @Test("G5-11: CDEOI with APR 0b110000 leaves 0b100000 (the highest priority is dropped)")
    func g5_11() {
        var cpu = readyCPU()
        var irs = GICv5IRS()
        cpu.activePriorities = ActivePriorities(bits: 0b11_0000)
        GICv5Guest.execute(.cdeoi, operand: 0, cpu: &cpu, irs: &irs)
        #expect(cpu.activePriorities.bits == 0b10_0000)
    }

    @Test("G5-12: CDEOI with APR 0 changes nothing")
    func g5_12() {
        var cpu = readyCPU()
        let before = cpu
        GICv5Guest.priorityDrop(cpu: &cpu)
        #expect(cpu == before)
    }

    @Test("G5-13: with CR0.EN = 0 HPPIR and CDIA return 0")
    func g5_13() {
        var (cpu, irs) = g501()
        cpu.writeControl(0)
        #expect(cpu.controlRegister == 0b110)
        #expect(GICv5Guest.highestPriorityPendingRegister(cpu, irs) == 0)
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs) == .none)
        #expect(cpu.ppiPending[.swPPI])
    }

    @Test("G5-14: with SCTLR_EL1.NMI = 1 a priority-0 PPI is an NMI: CDIA returns 0, CDNMIA acks it")
    func g5_14() {
        var (cpu, irs) = g501()
        cpu.ppiPriorities[.swPPI] = 0
        cpu.nmiEnabled = true
        #expect(GICv5Guest.acknowledge(.interrupt, cpu: &cpu, irs: &irs) == .none)
        #expect(!cpu.ppiActive[.swPPI])
        let result = GICv5Guest.execute(.cdnmia, operand: 0, cpu: &cpu, irs: &irs)
        #expect(result.rawValue == 0x1_2000_0003)
        #expect(cpu.activePriorities.bits == 1)
    }

    @Test("G5-14 (converse): without SCTLR_EL1.NMI a priority-0 PPI is acked by CDIA, not CDNMIA")
    func g5_14_noNMI() {
        var (cpu, irs) = g501()
        cpu.ppiPriorities[.swPPI] = 0
        #expect(GICv5Guest.acknowledge(.nmi, cpu: &cpu, irs: &irs) == .none)
        #expect(GICv5Guest.acknowledge(.interrupt, cpu: &cpu, irs: &irs).isValid)
    }

    @Test("G5-15: a PPI and an SPI both at priority 8: the model (like QEMU) picks the PPI")
    func g5_15() {
        var cpu = readyCPU(priorityMask: 31)
        var irs = GICv5IRS(spiCount: 4, enabled: true)
        configure(&cpu, .cntv, priority: 8)
        cpu.setInput(.cntv, level: true)
        irs.setEnabled(spi(2), true)
        irs.setPriority(spi(2), 8)
        irs.setPending(spi(2), true)
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs).interruptID == GICv5PPI.cntv.interruptID)
        cpu.activePriorities = ActivePriorities()
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs).interruptID == spi(2))
    }

    @Test("G5-16: writing ICC_PPI_PRIORITYR0 with all ones reads back 0x1F1F1F1F1F1F1F1F")
    func g5_16() {
        var cpu = GICv5CPUInterface()
        cpu.writePriority(register: 0, ~0)
        #expect(cpu.readPriority(register: 0) == 0x1F1F_1F1F_1F1F_1F1F)
        #expect(cpu.readPriority(register: 1) == 0)
    }

    @Test("G5-17: ICC_PPI_HMR0_EL1 reads bit 3 = 0 (edge) and the architected level PPIs 1")
    func g5_17() {
        let cpu = GICv5CPUInterface()
        #expect(cpu.ppiHandlingModes.register(.bank0) & bit(.swPPI) == 0)
        for level in [GICv5PPI.cntp, .cntv, .cnthp, .cnthv, .pmuIRQ] {
            #expect(cpu.ppiHandlingModes.register(.bank0) & bit(level) != 0)
        }
    }
}

extension GICv5CPUInterface {
    /// The state G5-01 started from before SW_PPI was made pending, for whole-value comparisons.
    static func afterEnable(of ppi: GICv5PPI, priority: UInt8, pcr: UInt8) -> GICv5CPUInterface {
        var cpu = readyCPU(priorityMask: pcr)
        configure(&cpu, ppi, priority: priority)
        return cpu
    }
}
