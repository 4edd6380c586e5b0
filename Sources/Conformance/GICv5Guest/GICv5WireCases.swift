import GICv5Model
import GuestHarness

/// `gicv5_guest.wire.*`: SPI 1, whose wire is the PL011's interrupt line (`GICv5UARTLine`), raised
/// and lowered by the guest, so the IRS's sampling rules meet QEMU's (transitions V3–V6 of
/// GICv5Model.docc/GICv5Architecture.md: R_HHKMN, R_QBXXV, R_DMTFM, R_KBPXL), and
/// `gicv5_guest.ppi.superpriority_*`: a priority-0 PPI with SCTLR_EL1.NMI clear.
enum GICv5WireCases {
    typealias Frame = GICv5IRSConfigFrame.Offset
    static let spi1 = V5.spi(1)
    static let enabled = GICv5IRSCases.enabled
    static let pending = GICv5IRSCases.pending
    static let active = GICv5IRSCases.active
    static let level = GICv5IRSCases.level
    static func priority(_ value: UInt64) -> UInt64 { GICv5IRSCases.priority(value) }

    static func uartWrite(_ main: inout GuestScript, _ offset: UInt32, _ value: UInt64) {
        main.append(.mmioWrite(.absolute, offset: UInt32(GICv5GuestLayout.uart) + offset, .immediate(value)))
    }

    /// The wire high: a byte to UARTDR (a blank line on the console) sets the transmit interrupt's
    /// raw status, and UARTIMSC unmasks it.
    static func raise(_ main: inout GuestScript) {
        uartWrite(&main, GICv5UARTLine.data, 0x0A)
        uartWrite(&main, GICv5UARTLine.interruptMask, UInt64(GICv5UARTLine.transmit))
    }

    /// The wire low: the transmit interrupt masked.
    static func lower(_ main: inout GuestScript) {
        uartWrite(&main, GICv5UARTLine.interruptMask, 0)
    }

    /// SPI 1 level-triggered (IRS_SPI_SELR, IRS_SPI_CFGR.TM 1).
    static func levelTriggered(_ main: inout GuestScript) {
        main.irsWrite(Frame.spiSelect, 1)
        main.irsWrite(Frame.spiConfig, 1)
    }

    static let all: [GICv5GuestCase] = [
        GICv5GuestCase("gicv5_guest.wire.uart_line_follows_the_mask", expected: [0, 0x20, 0x20, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.append(.mmioRead(.absolute, offset: UInt32(GICv5GuestLayout.uart) + GICv5UARTLine.maskedStatus))
            main.append(.log(.observed, .accumulator))
            raise(&main)
            for offset in [GICv5UARTLine.rawStatus, GICv5UARTLine.maskedStatus] {
                main.append(.mmioRead(.absolute, offset: UInt32(GICv5GuestLayout.uart) + offset))
                main.append(.log(.observed, .accumulator))
            }
            lower(&main)
            main.append(.mmioRead(.absolute, offset: UInt32(GICv5GuestLayout.uart) + GICv5UARTLine.maskedStatus))
            main.append(.log(.observed, .accumulator))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.edge_rising_wire_pends_once", expected: [
            enabled | pending | priority(5), V5.valid | spi1, enabled | active | priority(5),
            enabled | active | priority(5), enabled | active | pending | priority(5),
        ]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            raise(&main)                         // V3: a rising wire: pending, HM edge
            main.requestConfig(spi1)
            main.acknowledgeV5()                 // edge: acknowledge clears pending
            main.requestConfig(spi1)
            raise(&main)                         // still high: no new edge (R_QBXXV)
            main.requestConfig(spi1)
            lower(&main)
            raise(&main)
            main.requestConfig(spi1)
            lower(&main)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.level_wire_pends_and_clears", expected: [
            enabled | pending | level | priority(5), V5.valid | spi1, enabled | pending | active | level | priority(5),
            enabled | active | level | priority(5),
        ]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            levelTriggered(&main)
            raise(&main)                         // V4: SET_LEVEL
            main.requestConfig(spi1)
            main.acknowledgeV5()                 // level: pending stays while the wire is high
            main.requestConfig(spi1)
            lower(&main)                         // CLEAR
            main.requestConfig(spi1)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.resample_a_high_wire", expected: [
            V5.valid | spi1, enabled | active | priority(5), enabled | active | pending | priority(5),
        ]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            raise(&main)
            main.acknowledgeV5()                 // edge: pending cleared, the wire still high
            main.requestConfig(spi1)
            main.irsWrite(Frame.spiResample, 1)  // R_DMTFM: a high wire sampled again: SET_EDGE
            main.requestConfig(spi1)
            lower(&main)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.to_edge_with_a_high_wire_clears_pending", expected: [
            enabled | pending | level | priority(5), enabled | level | priority(5), 0,
        ]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            levelTriggered(&main)
            raise(&main)
            main.requestConfig(spi1)
            main.irsWrite(Frame.spiConfig, 0)    // R_KBPXL: to edge with the wire high: CLEAR
            main.requestConfig(spi1)
            main.irsObserve(Frame.spiConfig)
            lower(&main)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.to_level_with_a_high_wire_pends", expected: [
            V5.valid | spi1, enabled | priority(5), enabled | pending | level | priority(5),
        ]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            raise(&main)
            main.acknowledgeV5()
            main.v5(.cdeoi)
            main.v5(.cddi, spi1)
            main.requestConfig(spi1)
            levelTriggered(&main)                // R_KBPXL: to level with the wire high: SET_LEVEL
            main.requestConfig(spi1)
            lower(&main)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.wire.taken_as_irq", expected: [V5.valid | spi1, enabled | priority(5)]) { () throws(GuestProgramError) in
            var main = GICv5IRSCases.ready()
            main.configure(spi1, priority: 5)
            main.append(.unmask(.irq))
            raise(&main)                         // taken as soon as the wire rises
            main.append(.mask(.irq))
            lower(&main)
            main.requestConfig(spi1)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.superpriority_without_nmi_is_an_irq", expected: [
            V5.valid | V5.ppi(3), 0xAA,
        ]) { () throws(GuestProgramError) in
            var main = GuestScript()
            GICv5CPUInterfaceCases.pendingSWPPI(&main, priority: 0)
            main.takeInterrupts()                // SCTLR_EL1.NMI is 0: no superpriority, an IRQ
            main.append(.log(.marker, .immediate(0xAA)))
            return try .v5(main)
        },
    ]
}
