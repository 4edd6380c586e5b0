import GICv5Model
import GuestHarness

/// `gicv5_guest.irs.*`, `gicv5_guest.spi.*`, `gicv5_guest.lpi.*`: the IRS through its configuration
/// frame and the CD* instructions (transitions V3–V17 of GICv5Model.docc/GICv5Architecture.md).
/// ICC_ICSR_EL1 values: F 0, Enabled 1, Pending 2, IRM 3, Active 4, HM 5, Priority [15:11],
/// IAFFID [47:32].
enum GICv5IRSCases {
    typealias Frame = GICv5IRSConfigFrame.Offset

    static let enabled: UInt64 = 1 << 1
    static let pending: UInt64 = 1 << 2
    static let active: UInt64 = 1 << 4
    static let level: UInt64 = 1 << 5
    static let failed: UInt64 = 1
    static func priority(_ value: UInt64) -> UInt64 { value << 11 }

    /// The interface on (mask 31) and the IRS enabled.
    static func ready() -> GuestScript {
        var main = GuestScript()
        main.enableCPUInterface()
        main.enableIRS()
        return main
    }

    static let all: [GICv5GuestCase] = spi + lpi

    static let spi: [GICv5GuestCase] = [
        GICv5GuestCase("gicv5_guest.irs.identification", expected: [0x1D, 0x004F_0001, 0x3FB8, 0, 0, 0x100, 0x100, 0, 0b10]) { () throws(GuestProgramError) in
            var main = GuestScript()
            for offset in stride(from: UInt32(0), through: 0x1C, by: 4) { main.irsObserve(offset) }
            main.irsObserve(Frame.cr0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.irs.cr0_enable", expected: [0b10, 0b11, 0b10]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.irsObserve(Frame.cr0)
            main.irsWrite(Frame.cr0, 1)
            main.irsObserve(Frame.cr0)
            main.irsWrite(Frame.cr0, 0)
            main.irsObserve(Frame.cr0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.request_config_reach", expected: [0, 0, failed, failed]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.requestConfig(V5.spi(5))
            main.requestConfig(V5.spi(255))
            main.requestConfig(V5.spi(256))      // beyond IRS_IDR5.SPI_RANGE
            main.requestConfig(V5.ppi(3))        // PPIs are not IRS interrupts
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.configuration_reported", expected: [
            enabled | level | priority(9), 5 << 32 | enabled | level | priority(9),
        ]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.configure(V5.spi(9), priority: 9, level: true)
            main.requestConfig(V5.spi(9))
            main.v5(.cdaff, V5.spi(9) | V5.iaffid(5))
            main.requestConfig(V5.spi(9))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.cdaff_irm_res0", expected: [enabled | priority(4)]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.configure(V5.spi(4), priority: 4)
            main.v5(.cdaff, V5.spi(4) | V5.irm)  // no 1-of-N routing (IRS_IDR0.ONE_N 0): IRM is RES0
            main.requestConfig(V5.spi(4))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.cddis_disables", expected: [enabled, enabled],
                       deviation: ("spiDisableAndUnpendIgnored", [enabled, 0])) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.v5(.cden, V5.spi(4))
            main.requestConfig(V5.spi(4))
            main.v5(.cddis, V5.spi(4))
            main.requestConfig(V5.spi(4))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.cdpend_clears", expected: [pending, pending],
                       deviation: ("spiDisableAndUnpendIgnored", [pending, 0])) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.v5(.cdpend, V5.spi(4) | V5.bit32)
            main.requestConfig(V5.spi(4))
            main.v5(.cdpend, V5.spi(4))
            main.requestConfig(V5.spi(4))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.edge_acknowledge_clears_pending", expected: [
            V5.valid | V5.spi(6), V5.valid | V5.spi(6), enabled | active | priority(7), 1 << 7, enabled | priority(7),
        ]) { () throws(GuestProgramError) in
            var main = ready()
            main.configure(V5.spi(6), priority: 7)
            main.v5(.cdpend, V5.spi(6) | V5.bit32)
            main.observe(.v5HPPIR)
            main.acknowledgeV5()
            main.requestConfig(V5.spi(6))
            main.observe(.v5APR)
            main.v5(.cdeoi)
            main.v5(.cddi, V5.spi(6))
            main.requestConfig(V5.spi(6))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.level_acknowledge_keeps_pending", expected: [
            V5.valid | V5.spi(6), enabled | pending | active | level | priority(7), V5.valid | V5.spi(6),
        ]) { () throws(GuestProgramError) in
            var main = ready()
            main.configure(V5.spi(6), priority: 7, level: true)
            main.v5(.cdpend, V5.spi(6) | V5.bit32)
            main.acknowledgeV5()
            main.requestConfig(V5.spi(6))
            main.v5(.cdeoi)
            main.v5(.cddi, V5.spi(6))
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.irsen_gates_delivery", expected: [0, V5.valid | V5.spi(6), 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.enableCPUInterface()
            main.configure(V5.spi(6), priority: 7)
            main.v5(.cdpend, V5.spi(6) | V5.bit32)
            main.observe(.v5HPPIR)
            main.enableIRS()
            main.observe(.v5HPPIR)
            main.enableIRS(false)
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.trigger_mode_by_selector", expected: [0, 0b11, 1, 0b01, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.irsWrite(Frame.spiSelect, 7)
            main.irsObserve(Frame.spiConfig)
            main.irsObserve(Frame.spiStatus)
            main.irsWrite(Frame.spiConfig, 1)
            main.irsObserve(Frame.spiConfig)
            main.irsWrite(Frame.spiSelect, 256)
            main.irsObserve(Frame.spiStatus)     // V 0: no such SPI
            main.irsObserve(Frame.spiConfig)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.to_level_with_low_line_clears_pending", expected: [pending, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.v5(.cdpend, V5.spi(7) | V5.bit32)
            main.requestConfig(V5.spi(7))
            main.irsWrite(Frame.spiSelect, 7)
            main.irsWrite(Frame.spiConfig, 1)    // R_KBPXL: to level with the wire low is CLEAR
            main.requestConfig(V5.spi(7))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.resample_low_wire", expected: [pending, pending, pending, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.v5(.cdpend, V5.spi(7) | V5.bit32)
            main.requestConfig(V5.spi(7))
            main.irsWrite(Frame.spiResample, 7)  // R_DMTFM: edge, low wire: no event
            main.requestConfig(V5.spi(7))
            main.irsWrite(Frame.spiSelect, 8)
            main.irsWrite(Frame.spiConfig, 1)
            main.v5(.cdpend, V5.spi(8) | V5.bit32)
            main.requestConfig(V5.spi(8))
            main.irsWrite(Frame.spiResample, 8)  // level, low wire: CLEAR
            main.requestConfig(V5.spi(8))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.taken_by_priority_then_id", expected: [
            V5.valid | V5.spi(4), V5.valid | V5.spi(5), V5.valid | V5.spi(3), 0,
        ]) { () throws(GuestProgramError) in
            var main = ready()
            main.configure(V5.spi(3), priority: 10)
            main.configure(V5.spi(4), priority: 6)
            main.configure(V5.spi(5), priority: 6)
            for id: UInt64 in [3, 5, 4] { main.v5(.cdpend, V5.spi(id) | V5.bit32) }
            main.takeInterrupts()
            main.observe(.v5APR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.spi.targets_another_pe", expected: [0, V5.valid | V5.spi(3)]) { () throws(GuestProgramError) in
            var main = ready()
            main.configure(V5.spi(3), priority: 8)
            main.v5(.cdaff, V5.spi(3) | V5.iaffid(1))
            main.v5(.cdpend, V5.spi(3) | V5.bit32)
            main.observe(.v5HPPIR)
            main.v5(.cdaff, V5.spi(3))
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
    ]

    static let lpi: [GICv5GuestCase] = [
        GICv5GuestCase("gicv5_guest.lpi.none_without_an_ist", expected: [failed, failed, 0, 0]) { () throws(GuestProgramError) in
            var main = ready()
            main.requestConfig(V5.lpi(0))        // no IST: LPI 0 is no more reachable than any other
            main.configure(V5.lpi(0), priority: 3)
            main.v5(.cdpend, V5.lpi(0) | V5.bit32)
            main.requestConfig(V5.lpi(0))
            main.acknowledgeV5()
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.linear_ist", expected: [
            enabled | priority(12), V5.valid | V5.lpi(100), V5.valid | V5.lpi(100), enabled | active | priority(12),
            enabled | priority(12), 0, failed,
        ]) { () throws(GuestProgramError) in
            var main = ready()
            main.linearIST()
            main.configure(V5.lpi(100), priority: 12)
            main.requestConfig(V5.lpi(100))
            main.v5(.cdpend, V5.lpi(100) | V5.bit32)
            main.observe(.v5HPPIR)
            main.acknowledgeV5()
            main.requestConfig(V5.lpi(100))
            main.v5(.cdeoi)
            main.v5(.cddi, V5.lpi(100))
            main.requestConfig(V5.lpi(100))
            main.requestConfig(V5.lpi(16383))
            main.requestConfig(V5.lpi(16384))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.id_bits_below_minimum", expected: [0, failed]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.linearIST(idBits: 4)            // below IRS_IDR2.MIN_LPI_ID_BITS (14)
            main.requestConfig(V5.lpi(16383))
            main.requestConfig(V5.lpi(16384))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.two_level_ist_maps_l2_tables", expected: [
            failed, 0, failed, GICv5GuestLayout.level2Base | 1,
        ]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.twoLevelIST()
            main.requestConfig(V5.lpi(5))        // its L1 entry is not valid yet
            main.irsWrite(Frame.mapLevel2, 5)
            main.requestConfig(V5.lpi(5))
            main.requestConfig(V5.lpi(1024))     // the next L1 entry: still not valid
            main.append(.mmioRead(.absolute, offset: UInt32(GICv5GuestLayout.istBase)))
            main.append(.log(.observed, .accumulator))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.ist_invalidated_and_restored", expected: [
            enabled | priority(3), failed, enabled | priority(3),
        ]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.linearIST()
            main.configure(V5.lpi(7), priority: 3)
            main.requestConfig(V5.lpi(7))
            main.irsWrite(Frame.istBase, GICv5GuestLayout.istBase)   // VALID 0
            main.requestConfig(V5.lpi(7))
            main.irsWrite(Frame.istBase, GICv5GuestLayout.istBase | 1)
            main.requestConfig(V5.lpi(7))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.tie_with_an_spi", expected: [V5.valid | V5.lpi(7), V5.valid | V5.spi(3)]) { () throws(GuestProgramError) in
            var main = ready()
            main.linearIST()
            main.configure(V5.spi(3), priority: 12)
            main.configure(V5.lpi(7), priority: 12)
            main.v5(.cdpend, V5.spi(3) | V5.bit32)
            main.v5(.cdpend, V5.lpi(7) | V5.bit32)
            main.takeInterrupts()                // R_VVBPS: the implementation chooses
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.level_acknowledge_keeps_pending", expected: [
            V5.valid | V5.lpi(9), enabled | pending | active | level | priority(2),
        ]) { () throws(GuestProgramError) in
            var main = ready()
            main.linearIST()
            main.configure(V5.lpi(9), priority: 2, level: true)
            main.v5(.cdpend, V5.lpi(9) | V5.bit32)
            main.acknowledgeV5()
            main.requestConfig(V5.lpi(9))
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.lpi.taken_as_irq", expected: [V5.valid | V5.lpi(20), enabled | priority(1)]) { () throws(GuestProgramError) in
            var main = ready()
            main.linearIST()
            main.configure(V5.lpi(20), priority: 1)
            main.v5(.cdpend, V5.lpi(20) | V5.bit32)
            main.takeInterrupts()
            main.requestConfig(V5.lpi(20))
            return try .v5(main)
        },
    ]
}
