import GuestHarness

/// `gicv5_guest.cpuif.*`, `gicv5_guest.ppi.*`, `gicv5_guest.timer.*`: the CPU interface and its
/// PPIs (vectors G5-01 … G5-17 of GICv5Model.docc/GICv5TestVectors.md, transitions V1, V2, V8–V13).
enum GICv5CPUInterfaceCases {
    static let ppi3 = V5.ppi(3)
    static let acknowledgedPPI3 = V5.valid | V5.ppi(3)

    /// SW_PPI (3) enabled at `priority`, made pending, the interface on with mask `pcr`.
    static func pendingSWPPI(_ script: inout GuestScript, priority: UInt64 = 16, pcr: UInt64 = 31) {
        script.set(.v5PPIPRIORITYR0, priority << 24)
        script.set(.v5PPIENABLER0, 1 << 3)
        script.enableCPUInterface(pcr: pcr)
        script.set(.v5PPISPENDR0, 1 << 3)
    }

    static let all: [GICv5GuestCase] = [
        GICv5GuestCase("gicv5_guest.cpuif.reset", expected: [6, 0, 0, 0, 0xFFFF_FFFF_FFFF_FFF7, ~0, 0x41, 0, 0, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            for register in [GuestSysReg.v5CR0, .v5PCR, .v5APR, .v5HPPIR, .v5PPIHMR0, .v5PPIHMR1, .v5IDR0, .v5IAFFIDR, .v5PPIENABLER0, .v5ICSR] {
                main.observe(register)
            }
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.cpuif.cr0_only_en_writable", expected: [7, 6]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5CR0, ~0)
            main.observe(.v5CR0)
            main.set(.v5CR0, 0)
            main.observe(.v5CR0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.cpuif.pcr_priority_field", expected: [0x1F, 0x10]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PCR, 0xFF)
            main.observe(.v5PCR)
            main.set(.v5PCR, 0x10)
            main.observe(.v5PCR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.cpuif.apr_high_half_res0", expected: [5, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5APR, 0xFFFF_FFFF_0000_0005)
            main.observe(.v5APR)
            main.set(.v5APR, 0)
            main.observe(.v5APR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.sw_ppi_edge_life_cycle",
                       expected: [8, acknowledgedPPI3, acknowledgedPPI3, 0, 8, 1 << 16, 0, 8, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 16, pcr: 16)
            main.observe(.v5PPISPENDR0)          // G5-01
            main.observe(.v5HPPIR)
            main.acknowledgeV5()                 // G5-02
            main.observe(.v5PPISPENDR0)
            main.observe(.v5PPISACTIVER0)
            main.observe(.v5APR)
            main.v5(.cdeoi)                      // G5-03
            main.observe(.v5APR)
            main.observe(.v5PPISACTIVER0)
            main.v5(.cddi, ppi3)                 // G5-04
            main.observe(.v5PPISACTIVER0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.level_pending_bits_read_only", expected: [0, 8, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PPISPENDR0, 1 << 30)     // CNTP: level, its pending bit follows the timer
            main.observe(.v5PPISPENDR0)
            main.set(.v5PPISPENDR0, 1 << 30 | 1 << 3)
            main.observe(.v5PPISPENDR0)
            main.set(.v5PPICPENDR0, 1 << 30 | 1 << 3)
            main.observe(.v5PPICPENDR0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.priority_mask_inclusive", expected: [acknowledgedPPI3, 0, 0, acknowledgedPPI3]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 16, pcr: 16)
            main.observe(.v5HPPIR)               // G5-07
            main.set(.v5PCR, 15)
            main.observe(.v5HPPIR)               // G5-08
            main.acknowledgeV5()
            main.set(.v5PCR, 16)
            main.acknowledgeV5()
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.running_priority_must_be_beaten", expected: [0, 0, acknowledgedPPI3, 0x30]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 5)
            main.set(.v5APR, 1 << 5)
            main.observe(.v5HPPIR)               // G5-09
            main.acknowledgeV5()
            main.set(.v5PPIPRIORITYR0, 4 << 24)
            main.acknowledgeV5()                 // G5-10
            main.observe(.v5APR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.priority_drop_clears_lowest_bit", expected: [0b10_0000, 0, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.enableCPUInterface()
            main.set(.v5APR, 0b11_0000)
            main.v5(.cdeoi)                      // G5-11
            main.observe(.v5APR)
            main.v5(.cdeoi)
            main.observe(.v5APR)
            main.v5(.cdeoi)                      // G5-12
            main.observe(.v5APR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.disabled_interface_signals_nothing", expected: [0, 0, acknowledgedPPI3]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 8)
            main.set(.v5CR0, 0)
            main.observe(.v5HPPIR)               // G5-13
            main.acknowledgeV5()
            main.set(.v5CR0, 1)
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.active_is_not_a_candidate", expected: [8, 0, 0, acknowledgedPPI3]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 8)
            main.set(.v5PPISACTIVER0, 1 << 3)    // V12
            main.observe(.v5PPISACTIVER0)
            main.observe(.v5HPPIR)
            main.set(.v5PPICACTIVER0, 1 << 3)
            main.observe(.v5PPICACTIVER0)
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.bank1_enable_and_level_pending", expected: [~0, 0, ~0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PPIENABLER1, ~0)
            main.observe(.v5PPIENABLER1)
            main.set(.v5PPISPENDR1, ~0)          // HMR1 is all level: read-only pending bits
            main.observe(.v5PPISPENDR1)
            main.observe(.v5PPIHMR1)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.taken_as_irq", expected: [acknowledgedPPI3, 0, 0, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 8)
            main.takeInterrupts()
            main.observe(.v5PPISACTIVER0)
            main.observe(.v5PPISPENDR0)
            main.observe(.v5APR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.cdnmia_only_for_nmis", expected: [0, acknowledgedPPI3]) { () throws(GuestProgramError) in
            var main = GuestScript()
            pendingSWPPI(&main, priority: 0)
            main.append(.gicv5(.cdnmia, .immediate(0)))   // G5-14: SCTLR_EL1.NMI is 0, so no NMI
            main.append(.log(.acknowledged, .accumulator))
            main.acknowledgeV5()
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.ppi.priority_register_reserved_bits", expected: [~0, 0x0102_0304_0506_0708],
                       deviation: ("ppiPriorityKeepsReservedBits", [0x1F1F_1F1F_1F1F_1F1F, 0x0102_0304_0506_0708])) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PPIPRIORITYR0, ~0)       // G5-16
            main.observe(.v5PPIPRIORITYR0)
            main.set(.v5PPIPRIORITYR0, 0x0102_0304_0506_0708)
            main.observe(.v5PPIPRIORITYR0)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.qemu.stale_candidates_at_reset", expected: [V5.valid, V5.valid, 0],
                       deviation: ("staleCandidatesAtReset", [0, 0, 0])) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PCR, 31)                 // no PPI register written, the IRS never on
            main.set(.v5CR0, 1)
            main.observe(.v5HPPIR)               // the architecture: 0 (nothing pending); QEMU 11: a phantom
            main.set(.v5PPICACTIVER1, 0)         // recomputes QEMU's PPI candidate
            main.observe(.v5HPPIR)               // the IRS's is still the zeroed record
            main.enableIRS()                     // recomputes it
            main.observe(.v5HPPIR)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.timer.counter_frequency", expected: [1_000_000_000]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.observe(.cntfrq)
            return try .v5(main)
        },
        GICv5GuestCase("gicv5_guest.timer.cntv_is_a_level_ppi",
                       expected: [0b101, V5.valid | V5.ppi(27), V5.valid | V5.ppi(27), 1 << 27, 0, 0]) { () throws(GuestProgramError) in
            var main = GuestScript()
            main.set(.v5PPIPRIORITYR3, 8 << 24)  // PPI 27 is byte 3 of PRIORITYR3
            main.set(.v5PPIENABLER0, 1 << 27)
            main.enableCPUInterface()
            main.set(.cntvCVAL, 0)
            main.set(.cntvCTL, 1)
            main.observe(.cntvCTL)               // ENABLE and ISTATUS
            main.observe(.v5HPPIR)
            main.acknowledgeV5()
            main.observe(.v5PPISPENDR0)          // level: still pending while the timer asserts
            main.set(.cntvCTL, 3)                // IMASK: the line falls
            main.observe(.v5PPISPENDR0)
            main.v5(.cdeoi)
            main.v5(.cddi, V5.ppi(27))
            main.observe(.v5PPISACTIVER0)
            return try .v5(main)
        },
    ]
}
