import GICVocabulary
import Testing
@testable import GICv5Model
import TestSupport

@Suite("GIC CD* instructions and the guest's pure functions")
struct GuestInstructionTests {
    @Test("Instruction encodings (CRm, op2) match the sysreg table and are unique")
    func instructionEncodings() {
        #expect(GICv5Instruction.cden.encoding == (1, 1))
        #expect(GICv5Instruction.cdeoi.encoding == (1, 7))
        #expect(GICv5Instruction.cddi.encoding == (2, 0))
        #expect(GICv5Instruction.cdhm.encoding == (2, 1))
        #expect(GICv5Instruction.cdnmia.encoding == (3, 1))
        for instruction in GICv5Instruction.allCases {
            let (crm, op2) = instruction.encoding
            #expect(GICv5Instruction(crm: crm, op2: op2) == instruction)
        }
        #expect(GICv5Instruction(crm: 1, op2: 6) == nil)
    }

    @Test("Operand layouts: CDPRI PRIORITY [39:35], CDAFF IRM 28 and IAFFID [47:32], CDPEND/CDHM bit 32")
    func operandLayouts() throws {
        #expect(GICv5Command.setPriority(spi(5), priority: 0x1F).operand == 0xF8_6000_0005)
        #expect(GICv5Command.setAffinity(lpi(9), iaffid: 0xBEEF, routing: .oneOfN).operand == 0xBEEF_5000_0009)
        #expect(GICv5Command.setPending(spi(1), pending: true).operand == 0x1_6000_0001)
        #expect(GICv5Command.setHandlingMode(spi(1), .level).operand == 0x1_6000_0001)
        #expect(GICv5Command.deactivate(GICv5PPI.swPPI.interruptID).operand == 0x2000_0003)
        #expect(try GICv5Command(.cdaff, operand: 0xBEEF_5000_0009) == .setAffinity(lpi(9), iaffid: 0xBEEF, routing: .oneOfN))
        #expect(try GICv5Command(.cdpri, operand: 0xF8_6000_0005) == .setPriority(spi(5), priority: 0x1F))
    }

    @Test("Every command round-trips through its instruction and operand", arguments: [
        GICv5Command.enable(spi(7)), .disable(lpi(0xFF_FFFF)), .setPriority(spi(0), priority: 9),
        .setAffinity(spi(3), iaffid: 1, routing: .targeted), .setPending(lpi(4), pending: false),
        .setPending(lpi(4), pending: true), .setHandlingMode(spi(2), .edge), .requestConfig(spi(2)),
        .deactivate(GICv5PPI.cntv.interruptID), .priorityDrop,
    ])
    func commandRoundTrip(_ command: GICv5Command) throws {
        #expect(try GICv5Command(command.instruction, operand: command.operand) == command)
    }

    @Test("An operand with TYPE 0 or a PPI ID of 128 does not decode, and executing it changes nothing")
    func badOperands() {
        #expect(throws: GICv5ModelError.value(.outOfRange(field: .gicv5Type, value: 0, allowed: 1...3))) {
            try GICv5Command(.cden, operand: 0x0000_0005)
        }
        #expect(throws: GICv5ModelError.value(.outOfRange(field: .gicv5PPI, value: 128, allowed: 0...127))) {
            try GICv5Command(.cddi, operand: 0x2000_0080)
        }
        var cpu = readyCPU()
        cpu.ppiActive = .all
        var irs = GICv5IRS(spiCount: 1, enabled: true)
        let before = (cpu, irs)
        GICv5Guest.execute(.cddi, operand: 0x2000_0080, cpu: &cpu, irs: &irs)
        GICv5Guest.execute(.cden, operand: 0x0000_0000, cpu: &cpu, irs: &irs)
        #expect(cpu == before.0 && irs == before.1)
    }

    @Test("Configuration commands on a PPI do nothing; CDRCFG of a PPI reports F = 1")
    func configurationIgnoresPPIs() {
        var cpu = readyCPU()
        var irs = GICv5IRS(spiCount: 2, enabled: true)
        let before = cpu
        for command in [GICv5Command.enable(GICv5PPI.swPPI.interruptID), .setPriority(GICv5PPI.swPPI.interruptID, priority: 3),
                        .setPending(GICv5PPI.swPPI.interruptID, pending: true)] {
            GICv5Guest.execute(command, cpu: &cpu, irs: &irs)
        }
        #expect(cpu == before)
        GICv5Guest.execute(.requestConfig(GICv5PPI.swPPI.interruptID), cpu: &cpu, irs: &irs)
        #expect(cpu.interruptStatus == .failed)
    }

    @Test("ICC_PPI_S/CACTIVER set and clear active bits; ENABLER writes replace the bank")
    func activeAndEnableRegisters() {
        var cpu = GICv5CPUInterface()
        cpu.writeSetActive(.bank1, 0b101)
        #expect(cpu.ppiActive.members == [ppi(64), ppi(66)])
        cpu.writeClearActive(.bank1, 0b001)
        #expect(cpu.ppiActive.members == [ppi(66)])
        cpu.writeEnable(.bank0, 0xF0)
        cpu.writeEnable(.bank0, 0x0F)
        #expect(cpu.ppiEnabled.bank0 == 0x0F)
    }

    @Test("ICC_PPI_SPENDR/CPENDR change only edge PPIs (V1, V2)")
    func pendingRegistersRespectHandlingMode() {
        var cpu = GICv5CPUInterface()
        cpu.writeSetPending(.bank0, ~0)
        #expect(cpu.ppiPending.members == [.swPPI])
        cpu.writeSetPending(.bank1, ~0)
        #expect(cpu.ppiPending.bank1 == 0)
        cpu.setInput(.cntv, level: true)
        cpu.writeClearPending(.bank0, ~0)
        #expect(cpu.ppiPending.members == [.cntv])
    }

    @Test("CR0 reads LINK and LINK_IDLE; PCR keeps 5 bits; HAPR reports the running priority or 0xFF")
    func controlRegisters() {
        var cpu = GICv5CPUInterface()
        cpu.writeControl(0xFFFF)
        #expect(cpu.controlRegister == 0b111 && cpu.enabled)
        cpu.writePriorityMask(0xFF)
        #expect(cpu.priorityMask == 0x1F)
        #expect(cpu.highestActivePriority == 0xFF)
        cpu.writeActivePriorities(0x1_0000_0300)
        #expect(cpu.highestActivePriority == 8)
    }

    @Test("Sufficient priority is prio <= PCR && prio < running && CR0.EN, for every combination (seed 0x5EED)")
    func sufficientPriorityProperty() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<2000 {
            var cpu = GICv5CPUInterface()
            cpu.enabled = rng.next() & 3 != 0
            cpu.priorityMask = UInt8(rng.next() % 32)
            cpu.activePriorities = ActivePriorities(bits: UInt32(truncatingIfNeeded: rng.next()) & (rng.next() & 1 == 0 ? 0 : ~0))
            let priority = UInt8(rng.next() % 32)
            let apr = cpu.activePriorities.bits
            let running = apr == 0 ? 32 : apr.trailingZeroBitCount
            let expected = cpu.enabled && priority <= cpu.priorityMask && Int(priority) < running
            #expect(cpu.hasSufficientPriority(priority) == expected, "seed 0x5EED: prio \(priority) PCR \(cpu.priorityMask) APR \(apr)")
        }
    }

    @Test("Among PPIs the lowest priority value wins; equal priorities go to the lowest PPI number")
    func ppiArbitration() {
        var cpu = readyCPU(priorityMask: 31)
        for (n, priority) in [(UInt32(40), UInt8(9)), (30, 7), (27, 7), (3, 12)] {
            configure(&cpu, ppi(n), priority: priority)
            cpu.ppiPending[ppi(n)] = true
        }
        #expect(cpu.highestPriorityPendingPPI == PendingInterrupt(id: GICv5PPI.cntv.interruptID, priority: 7))
        cpu.ppiActive[.cntv] = true
        #expect(cpu.highestPriorityPendingPPI?.id == GICv5PPI.cntp.interruptID)
        cpu.ppiEnabled[.cntp] = false
        #expect(cpu.highestPriorityPendingPPI?.id == ppi(40).interruptID)
    }

    @Test("A full handler (ack, CDEOI, CDDI) on an SPI goes through the IRS: active, then inactive")
    func spiHandler() {
        var cpu = readyCPU(priorityMask: 31, iaffid: 2)
        var irs = GICv5IRS(spiCount: 8, enabled: true)
        for command in [GICv5Command.setPriority(spi(6), priority: 3), .setAffinity(spi(6), iaffid: 2, routing: .targeted),
                        .setHandlingMode(spi(6), .edge), .enable(spi(6)), .setPending(spi(6), pending: true)] {
            GICv5Guest.execute(command, cpu: &cpu, irs: &irs)
        }
        #expect(GICv5Guest.acknowledge(cpu: &cpu, irs: &irs).interruptID == spi(6))
        #expect(irs.interrupt(spi(6)) == IRSInterrupt(enabled: true, pending: false, active: true, priority: 3, target: 2))
        #expect(cpu.activePriorities.bits == 1 << 3)
        GICv5Guest.execute(.priorityDrop, cpu: &cpu, irs: &irs)
        GICv5Guest.execute(.deactivate(spi(6)), cpu: &cpu, irs: &irs)
        #expect(irs.interrupt(spi(6))?.active == false)
        #expect(cpu.activePriorities.bits == 0)
    }
}
