import GICv5Model
import GICVocabulary
import GuestHarness

/// The GICv5 CPU-interface registers, the CD* instructions, the IRS frame and the tables memory on
/// the model, as the guest reaches them.
extension GICv5ModelMachine {
    /// ICC_IDR0_EL1: 24 ID bits (ID_BITS 1) and 5 priority bits (PRI_BITS 0b0100), no legacy interface.
    static let cpuInterfaceIdentification: UInt64 = 0x41
    /// CNTFRQ_EL0 of QEMU 11's `-cpu max` on `virt`: 1 GHz (QEMU 7.2's was 62.5 MHz).
    static let counterFrequency: UInt64 = 1_000_000_000

    func readRegister(_ register: GuestSysReg) -> UInt64? {
        switch register {
        case .v5PPIHMR0: return cpu.ppiHandlingModes.register(.bank0)
        case .v5PPIHMR1: return cpu.ppiHandlingModes.register(.bank1)
        case .v5IDR0: return Self.cpuInterfaceIdentification
        case .v5HPPIR:
            if stalePPICandidate || staleIRSCandidate, cpu.enabled, cpu.activePriorities.bits & 1 == 0 { return V5.valid }
            return GICv5Guest.highestPriorityPendingRegister(cpu, irs)
        case .v5ICSR: return cpu.interruptStatus.rawValue
        case .v5IAFFIDR: return UInt64(cpu.iaffid)
        case .v5PPIENABLER0: return cpu.ppiEnabled.register(.bank0)
        case .v5PPIENABLER1: return cpu.ppiEnabled.register(.bank1)
        case .v5PPICACTIVER0, .v5PPISACTIVER0: return cpu.ppiActive.register(.bank0)
        case .v5PPICACTIVER1, .v5PPISACTIVER1: return cpu.ppiActive.register(.bank1)
        case .v5PPICPENDR0, .v5PPISPENDR0: return cpu.ppiPending.register(.bank0)
        case .v5PPICPENDR1, .v5PPISPENDR1: return cpu.ppiPending.register(.bank1)
        case .v5APR: return cpu.activePriorities.register
        case .v5CR0: return cpu.controlRegister
        case .v5PCR: return UInt64(cpu.priorityMask)
        case .cntvCTL:
            return timerControl & 0b11 | (timerCondition && timerControl & 1 != 0 ? 0b100 : 0)
        case .cntfrq: return Self.counterFrequency
        case .mpidr: return 0x8000_0000
        default:
            guard let index = Self.priorityRegisterIndex(register) else { return nil }
            if irs.implementation.ppiPriorityKeepsReservedBits { return rawPriorities[index] }
            return cpu.readPriority(register: index)
        }
    }

    mutating func writeRegister(_ register: GuestSysReg, _ value: UInt64) -> Bool {
        if register.isGICv5, register.row.name.hasPrefix("ICC_PPI_") { stalePPICandidate = false }
        switch register {
        case .v5ICSR: cpu.interruptStatus = InterruptConfigStatus(rawValue: value)
        case .v5PPIENABLER0: cpu.writeEnable(.bank0, value)
        case .v5PPIENABLER1: cpu.writeEnable(.bank1, value)
        case .v5PPICACTIVER0: cpu.writeClearActive(.bank0, value)
        case .v5PPICACTIVER1: cpu.writeClearActive(.bank1, value)
        case .v5PPISACTIVER0: cpu.writeSetActive(.bank0, value)
        case .v5PPISACTIVER1: cpu.writeSetActive(.bank1, value)
        case .v5PPICPENDR0: cpu.writeClearPending(.bank0, value)
        case .v5PPICPENDR1: cpu.writeClearPending(.bank1, value)
        case .v5PPISPENDR0: cpu.writeSetPending(.bank0, value)
        case .v5PPISPENDR1: cpu.writeSetPending(.bank1, value)
        case .v5APR: cpu.writeActivePriorities(value)
        case .v5CR0: cpu.writeControl(value)
        case .v5PCR: cpu.writePriorityMask(value)
        case .cntvCTL:
            timerControl = value & 0b11
            updateTimerLine()
        case .cntvCVAL:
            timerCompare = value
            updateTimerLine()
        default:
            guard let index = Self.priorityRegisterIndex(register) else { return false }
            cpu.writePriority(register: index, value)
            rawPriorities[index] = value
        }
        return true
    }

    /// ICC_PPI_PRIORITYRn_EL1's n.
    static func priorityRegisterIndex(_ register: GuestSysReg) -> Int? {
        let first = GuestSysReg.v5PPIPRIORITYR0.rawValue
        guard register.rawValue >= first, register.rawValue <= GuestSysReg.v5PPIPRIORITYR15.rawValue else { return nil }
        return Int(register.rawValue - first)
    }

    /// The virtual timer's condition (CNTVCT ≥ CVAL). The model has no clock: a run lasts well under
    /// the 2^32 ticks (68 s at 62.5 MHz) after reset, so a compare value below 2^32 has passed and any
    /// larger one has not (the cases use 0 and all ones).
    var timerCondition: Bool { timerCompare < 1 << 32 }

    /// CNTV's output, ENABLE and the condition and not IMASK, is the level of PPI 27 (CNTV).
    mutating func updateTimerLine() {
        let level = timerControl & 1 != 0 && timerControl & 2 == 0 && timerCondition
        cpu.setInput(.cntv, level: level)
    }

    // MARK: Instructions

    mutating func execute(_ instruction: GuestGICv5Instruction, operand: UInt64) -> UInt64 {
        guard let modelInstruction = GICv5Instruction(crm: instruction.encoding.crm, op2: instruction.encoding.op2) else { return 0 }
        var operand = operand
        if mutations.contains(.cdpriIgnoresLowBit), instruction == .cdpri { operand &= ~(1 << 35) }
        var cpu = self.cpu
        var irs = self.irs
        let result = GICv5Guest.execute(modelInstruction, operand: operand, cpu: &cpu, irs: &irs)
        if mutations.contains(.cdrcfgReportsNoActive), instruction == .cdrcfg {
            cpu.interruptStatus = InterruptConfigStatus(rawValue: cpu.interruptStatus.rawValue & ~(1 << 4))
        }
        if mutations.contains(.acknowledgeKeepsEdgePending), modelInstruction == .cdia,
           let id = result.interruptID, id.type != .ppi, irs.interrupt(id)?.handlingMode == .edge {
            irs.setPending(id, true)
        }
        self.cpu = cpu
        self.irs = irs
        return result.rawValue
    }

    // MARK: Memory-mapped

    /// SPI 1's wire follows the UART's interrupt line (sampled only on a change, R_QBXXV).
    mutating func updateUARTWire() {
        try? frame.irs.setLine(spi: GICv5GuestLayout.uartSPI, level: uart.level)
    }

    mutating func mmioRead(_ address: UInt64) -> UInt32? {
        if address >= GICv5GuestLayout.uart, address < GICv5GuestLayout.uart + 0x1000 {
            return uart.read(UInt32(address - GICv5GuestLayout.uart))
        }
        if address >= GICv5GuestLayout.irsConfigFrame, address < GICv5GuestLayout.irsConfigFrame + GICv5GuestLayout.irsConfigFrameBytes {
            let offset = UInt32(address - GICv5GuestLayout.irsConfigFrame)
            if offset == GICv5IRSConfigFrame.Offset.cr0, irs.enabled { staleIRSCandidate = false }
            return frame.read(offset)
        }
        guard GICv5GuestLayout.tables.contains(address) else { return nil }
        return memory[address] ?? 0
    }

    mutating func mmioWrite(_ address: UInt64, _ value: UInt32) -> Bool {
        if address >= GICv5GuestLayout.uart, address < GICv5GuestLayout.uart + 0x1000 {
            guard uart.write(UInt32(address - GICv5GuestLayout.uart), value) else { return false }
            updateUARTWire()
            return true
        }
        if address >= GICv5GuestLayout.irsConfigFrame, address < GICv5GuestLayout.irsConfigFrame + GICv5GuestLayout.irsConfigFrameBytes {
            let offset = UInt32(address - GICv5GuestLayout.irsConfigFrame)
            frame.write(offset, value)
            if offset == GICv5IRSConfigFrame.Offset.mapLevel2, irs.validLevel1Entries != nil {
                // The IRS sets the L1 entry's VALID bit in memory (ISTLevel1Entry).
                let entry = frame.stateTableBase + 8 * UInt64((value & 0xFF_FFFF) >> irs.level2IndexBits)
                memory[entry] = (memory[entry] ?? 0) | 1
            }
            if mutations.contains(.irsDisableIgnored), address - GICv5GuestLayout.irsConfigFrame == 0x80, value & 1 == 0 {
                frame.irs.enabled = true
            }
            return true
        }
        guard GICv5GuestLayout.tables.contains(address) else { return false }
        memory[address] = value
        return true
    }
}

/// Deliberately wrong models, for `gicv5_guest.differential.mutants`: each must mispredict QEMU
/// somewhere, which proves the comparison can fail.
struct GICv5Mutation: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    /// `GIC CDPRI` drops the lowest priority bit.
    static let cdpriIgnoresLowBit = GICv5Mutation(rawValue: 1 << 0)
    /// `GIC CDRCFG` never reports Active.
    static let cdrcfgReportsNoActive = GICv5Mutation(rawValue: 1 << 1)
    /// `GICR CDIA` leaves an edge SPI or LPI pending.
    static let acknowledgeKeepsEdgePending = GICv5Mutation(rawValue: 1 << 2)
    /// Clearing IRS_CR0.IRSEN is ignored.
    static let irsDisableIgnored = GICv5Mutation(rawValue: 1 << 3)

    static let each: [(GICv5Mutation, String)] = [
        (.cdpriIgnoresLowBit, "CDPRI drops priority bit 0"),
        (.cdrcfgReportsNoActive, "CDRCFG never reports Active"),
        (.acknowledgeKeepsEdgePending, "CDIA leaves an edge SPI/LPI pending"),
        (.irsDisableIgnored, "IRSEN cannot be cleared"),
    ]
}
