import GICv5Model
import GuestHarness

/// INTIDs as a GICv5 guest writes them (TYPE [31:29], ID [23:0]; GICVocabulary.docc/GICv5Interrupts.md).
enum V5 {
    static func ppi(_ id: UInt64) -> UInt64 { 0x2000_0000 | id }
    static func lpi(_ id: UInt64) -> UInt64 { 0x4000_0000 | id }
    static func spi(_ id: UInt64) -> UInt64 { 0x6000_0000 | id }
    /// VALID (bit 32) of `GICR CDIA` and HPPIV of ICC_HPPIR_EL1.
    static let valid: UInt64 = 1 << 32
    /// `GIC CDPRI`'s PRIORITY [39:35].
    static func priority(_ priority: UInt64) -> UInt64 { priority << 35 }
    /// `GIC CDPEND`'s PENDING and `GIC CDHM`'s HM (level): bit 32.
    static let bit32: UInt64 = 1 << 32
    /// `GIC CDAFF`'s IRM (bit 28) and IAFFID [47:32].
    static let irm: UInt64 = 1 << 28
    static func iaffid(_ iaffid: UInt64) -> UInt64 { iaffid << 32 }
}

/// The steps a GICv5 driver takes, so a case reads as its guest's actions.
extension GuestScript {
    /// One GICv5 system instruction with an immediate operand.
    mutating func v5(_ instruction: GuestGICv5Instruction, _ operand: UInt64 = 0) {
        append(.gicv5(instruction, .immediate(operand)))
    }

    /// `GIC CDRCFG id`, then ICC_ICSR_EL1 logged.
    mutating func requestConfig(_ id: UInt64) {
        v5(.cdrcfg, id)
        observe(.v5ICSR)
    }

    /// `GICR CDIA` into the accumulator, logged as acknowledged.
    mutating func acknowledgeV5() {
        append(.gicv5(.cdia, .immediate(0)))
        append(.log(.acknowledged, .accumulator))
    }

    /// A register write with an immediate.
    mutating func set(_ register: GuestSysReg, _ value: UInt64) {
        append(.write(register, .immediate(value)))
    }

    /// An IRS configuration-frame register write.
    mutating func irsWrite(_ offset: UInt32, _ value: UInt64) {
        append(.mmioWrite(.absolute, offset: GICv5GuestLayout.irs(offset), .immediate(value)))
    }

    /// An IRS configuration-frame register read, logged.
    mutating func irsObserve(_ offset: UInt32) {
        append(.mmioRead(.absolute, offset: GICv5GuestLayout.irs(offset)))
        append(.log(.observed, .accumulator))
    }

    /// A 32-bit store to guest RAM (an IST entry).
    mutating func memoryWrite(_ address: UInt64, _ value: UInt64) {
        append(.mmioWrite(.absolute, offset: UInt32(address), .immediate(value)))
    }

    /// The CPU interface on with mask `pcr` (ICC_CR0_EL1.EN, ICC_PCR_EL1), after what a driver's
    /// probe does first: a PPI register write (ICC_PPI_CACTIVER1_EL1 = 0, which changes nothing) and
    /// the IRS switched on and off again, each followed by a read of IRS_CR0. QEMU 11 computes its
    /// cached best PPI and best IRS interrupt only on such events; before them, enabling the
    /// interface signals a phantom priority-0 interrupt (`GICv5Implementation.staleCandidatesAtReset`,
    /// case `gicv5_guest.qemu.stale_candidates_at_reset`). The IRS is left off.
    mutating func enableCPUInterface(pcr: UInt64 = 31) {
        set(.v5PPICACTIVER1, 0)
        enableIRS()
        enableIRS(false)
        set(.v5PCR, pcr)
        set(.v5CR0, 1)
    }

    /// IRS_CR0.IRSEN set, then IRS_CR0 read until IDLE, as a driver waits (one read: QEMU is
    /// always idle, and reading is also when QEMU re-evaluates its HPPIs).
    mutating func enableIRS(_ on: Bool = true) {
        irsWrite(GICv5IRSConfigFrame.Offset.cr0, on ? 1 : 0)
        append(.mmioRead(.absolute, offset: GICv5GuestLayout.irs(GICv5IRSConfigFrame.Offset.cr0)))
    }

    /// A linear IST of 4-byte entries with `idBits` LPI ID bits at `GICv5GuestLayout.istBase`:
    /// IRS_IST_CFGR, then IRS_IST_BASER (high word, then the low word with VALID).
    mutating func linearIST(idBits: UInt64 = 14) {
        irsWrite(GICv5IRSConfigFrame.Offset.istConfig, idBits)
        irsWrite(GICv5IRSConfigFrame.Offset.istBaseHigh, 0)
        irsWrite(GICv5IRSConfigFrame.Offset.istBase, GICv5GuestLayout.istBase | 1)
    }

    /// A two-level IST (4 KiB L2 tables of 4-byte entries: 10 ID bits each) with `idBits` ID bits,
    /// every L1 entry pointing at its own L2 table but none valid until `IRS_MAP_L2_ISTR`.
    mutating func twoLevelIST(idBits: UInt64 = 14) {
        let level1Entries = 1 << (idBits - 10)
        for index in 0..<UInt64(level1Entries) {
            memoryWrite(GICv5GuestLayout.istBase + 8 * index, GICv5GuestLayout.level2Base + 0x1000 * index)
        }
        irsWrite(GICv5IRSConfigFrame.Offset.istConfig, idBits | 1 << 16)
        irsWrite(GICv5IRSConfigFrame.Offset.istBaseHigh, 0)
        irsWrite(GICv5IRSConfigFrame.Offset.istBase, GICv5GuestLayout.istBase | 1)
    }

    /// An SPI or LPI configured as a driver does: priority, handling mode, target PE 0, enabled.
    mutating func configure(_ id: UInt64, priority: UInt64, level: Bool = false) {
        v5(.cdpri, id | V5.priority(priority))
        v5(.cdhm, id | (level ? V5.bit32 : 0))
        v5(.cdaff, id)
        v5(.cden, id)
    }
}

extension GuestPrograms {
    /// The GICv5 guest's IRQ handler: acknowledge (logged), and unless nothing was acknowledged,
    /// priority drop and deactivate that INTID.
    static func v5Handler() throws(GuestProgramError) -> GuestProgram {
        var handler = GuestScript()
        let done = handler.label()
        handler.acknowledgeV5()
        handler.append(.jumpIf(.equal, .immediate(0), done))
        handler.append(.gicv5(.cdeoi, .immediate(0)))
        handler.append(.gicv5(.cddi, .accumulator))
        handler.bind(done)
        handler.append(.end)
        return try handler.program()
    }

    /// A GICv5 case's programs: `main` and the acknowledging handler.
    static func v5(_ main: GuestScript) throws(GuestProgramError) -> GuestPrograms {
        var main = main
        main.finish()
        let handler = try v5Handler()
        return GuestPrograms(main: try main.program(), irq: handler, fiq: handler)
    }
}
