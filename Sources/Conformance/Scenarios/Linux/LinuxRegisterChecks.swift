import GICModel
import KVM
import MinimalVMM

/// What a vCPU's register list and a restored register file must look like on each kernel line
/// (GICModel's `KernelBehaviour+VCPURegisters`, Conformance.docc/LinuxGuest.md).
enum LinuxRegisterChecks {
    /// TCR2_EL1 (3,0,2,0,3), gated by FEAT_TCR2; PIRE0_EL1 (3,0,10,2,2) and PIR_EL1
    /// (3,0,10,2,3), gated by FEAT_S1PIE.
    static let featureGated: [(register: OneRegister, feature: MMFR3Feature)] = [
        (OneRegister(id: 0x6030_0000_0013_C103), .tcrx), (OneRegister(id: 0x6030_0000_0013_C512), .s1pie),
        (OneRegister(id: 0x6030_0000_0013_C513), .s1pie),
    ]
    /// ID_AA64MMFR3_EL1 (3,0,0,7,3): the vCPU's view of FEAT_TCR2 and FEAT_S1PIE.
    static let idAA64MMFR3 = OneRegister(id: 0x6030_0000_0013_C03B)

    /// The two ID_AA64MMFR3_EL1 fields that gate the registers above (Arm ARM D24.2.83):
    /// TCRX in bits 3:0, S1PIE in bits 11:8, each nonzero when implemented. QEMU 7.2's
    /// `-cpu max` has neither; QEMU 11's has both.
    enum MMFR3Feature: CustomStringConvertible {
        case tcrx, s1pie

        func isImplemented(_ mmfr3: UInt64) -> Bool {
            switch self {
            case .tcrx: mmfr3 & 0xF != 0
            case .s1pie: mmfr3 >> 8 & 0xF != 0
            }
        }

        var description: String {
            switch self {
            case .tcrx: "FEAT_TCR2"
            case .s1pie: "FEAT_S1PIE"
            }
        }
    }
    /// `KVM_REG_ARM_VENDOR_HYP_BMAP_2`: `KVM_REG_ARM_FW_FEAT_BMAP` (0x16) index 3.
    static let vendorHypervisorBitmap2 = OneRegister(id: 0x6030_0000_0016_0003)
    /// `KVM_REG_ARM_PSCI_VERSION`: `KVM_REG_ARM_FW` index 0.
    static let psciVersion = OneRegister(id: 0x6030_0000_0014_0000)
    /// The timer registers in `copy_timer_indices`' order (6.12).
    static let timerBlock: [OneRegister] = [
        .virtualTimerControl, .virtualTimerCount, .virtualTimerCompare,
        .physicalTimerControl, .physicalTimerCount, .physicalTimerCompare,
    ]
    /// The timer registers in the order of their architectural encodings (7.x): CNTPCT, CNTVCT
    /// (`TIMER_CNT`), CNTP_CTL, CNTP_CVAL, CNTV_CTL, CNTV_CVAL (`TIMER_CVAL`).
    static let timerEncodingOrder: [OneRegister] = [
        .physicalTimerCount, .virtualTimerCount, .physicalTimerControl, .physicalTimerCompare,
        .virtualTimerControl, .virtualTimerCompare,
    ]

    /// Whether a register that reads back differently right after the restore does so for a
    /// reason the kernel line explains: a counter that ran on while the VM moved, or (CNTV_CTL,
    /// CNTP_CTL) ISTATUS alone, set on a line that computes it (the timer expired meanwhile),
    /// cleared on one that stores what the restore wrote without it.
    static func expected(_ difference: RegisterDifference, behaviour: KernelBehaviour) -> Bool {
        guard let register = difference.register, let before = difference.before, let after = difference.after else { return false }
        if VCPURegisterFile.isCounter(register) { return after.low64 > before.low64 }
        if register == .virtualTimerControl || register == .physicalTimerControl {
            let status: UInt64 = 1 << 2
            guard before.low64 ^ after.low64 == status else { return false }
            return behaviour.timerControlReadComputesStatus ? after.low64 & status != 0 : after.low64 & status == 0
        }
        return false
    }

    /// ISTATUS of every vCPU's CNTV_CTL and CNTP_CTL, saved and read back: on a line that stores
    /// what was written (7.x) the read-back never has it, whatever was saved; on one that computes
    /// it (6.12) a timer saved as expired reads back expired (the restored count only moved on).
    static func timerControls(_ report: MigrationReport, behaviour: KernelBehaviour, name: String, _ checks: inout VGICInitChecks) {
        let status: UInt64 = 1 << 2
        for file in report.capturedRegisters {
            for register in [OneRegister.virtualTimerControl, .physicalTimerControl] {
                guard let index = file.registers.firstIndex(of: register) else {
                    checks.check("\(name): vCPU \(file.id) lists \(register)", false)
                    continue
                }
                let saved = file.values[index].low64
                let changed = report.differences.first { $0.vcpu == file.id && $0.register == register }
                let readBack = changed?.after?.low64 ?? saved
                if behaviour.timerControlReadComputesStatus {
                    if saved & status != 0 {
                        checks.check("\(name): vCPU \(file.id) \(register) saved expired reads back expired (\(behaviour))", readBack & status != 0)
                    }
                } else {
                    checks.check("\(name): vCPU \(file.id) \(register) reads back without ISTATUS (\(behaviour))", readBack & status == 0)
                }
            }
        }
    }

    /// The register list of the lab's vCPU on this line.
    static func list(_ file: VCPURegisterFile, behaviour: KernelBehaviour, _ checks: inout VGICInitChecks) {
        let registers = file.registers
        func position(_ register: OneRegister) -> Int? { registers.firstIndex(of: register) }
        let core = registers.filter { $0.space == .core }
        checks.expect("core registers", core.count, 75)
        checks.expect("16-byte core registers (V0–V31)", core.filter { $0.byteCount == 16 }.count, 32)
        checks.expect("4-byte core registers (FPSR, FPCR)", core.filter { $0.byteCount == 4 }.count, 2)
        checks.check("every CCSIDR is 4 bytes", registers.filter { $0.space == .demultiplexed }.allSatisfy { $0.byteCount == 4 })
        let timers = timerBlock.compactMap(position)
        checks.expect("timer registers listed", timers.count, 6)
        if timers.count == 6 {
            if behaviour.listsTimerRegistersAmongSystemRegisters {
                let ordered = timerEncodingOrder.compactMap(position)
                checks.check("\(behaviour): timer registers in encoding order", ordered == ordered.sorted())
                let firstSystem = registers.firstIndex { $0.space == .system && !timerBlock.contains($0) } ?? 0
                checks.check("\(behaviour): timer registers among the system registers", timers.allSatisfy { $0 > firstSystem })
            } else {
                let lastFirmware = registers.lastIndex { $0.space == .firmware || $0.space == .other(0x16) } ?? -1
                checks.check(
                    "\(behaviour): timer block right after the firmware registers (at \(timers.first ?? -1), firmware ends at \(lastFirmware))",
                    timers == Array((lastFirmware + 1)...(lastFirmware + 6)))
            }
        }
        // Listed with the feature on every line; without it only where the line lists them anyway.
        guard let mmfr3 = position(idAA64MMFR3).map({ file.values[$0].low64 }) else {
            checks.check("ID_AA64MMFR3_EL1 listed", false)
            return
        }
        for (register, feature) in featureGated {
            let implemented = feature.isImplemented(mmfr3)
            checks.expect(
                "\(behaviour): \(register) listed, the vCPU \(implemented ? "with" : "without") \(feature) (ID_AA64MMFR3_EL1 \(mmfr3))",
                position(register) != nil, implemented || behaviour.listsTCR2AndS1PIERegistersWithoutTheFeatures)
        }
        checks.expect(
            "\(behaviour): KVM_REG_ARM_VENDOR_HYP_BMAP_2 listed", position(vendorHypervisorBitmap2) != nil,
            behaviour.listsVendorHypervisorBitmap2)
        if let index = position(psciVersion) {
            checks.expect("\(behaviour): PSCI version", file.values[index].low64, UInt64(behaviour.defaultPSCIVersion))
        } else {
            checks.check("KVM_REG_ARM_PSCI_VERSION listed", false)
        }
    }
}

/// The figures of `linux.migration.v3` (Conformance.docc/LinuxGuest.md, "Figures").
enum LinuxMigrationFigures {
    static func median(_ values: [Int64]) -> Int64 {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func record(_ reports: [MigrationReport], echoed: Int, _ context: inout ScenarioContext) {
        guard let first = reports.first else { return }
        context.record("migrations", Int64(reports.count), unit: "count")
        let downtime = reports.map { $0.downtimeNanoseconds / 1_000_000 }
        context.record("downtime_median", median(downtime), unit: "ms")
        context.record("downtime_max", downtime.max() ?? 0, unit: "ms")
        let phases: [(String, (MigrationReport) -> MigrationReport.Phase)] = [
            ("pause", { $0.pause }), ("vcpu_capture", { $0.vcpuCapture }), ("gic_capture", { $0.gicCapture }),
            ("memory_capture", { $0.memoryCapture }), ("target_creation", { $0.targetCreation }),
            ("memory_restore", { $0.memoryRestore }), ("vcpu_restore", { $0.vcpuRestore }), ("gic_restore", { $0.gicRestore }),
            ("counter_restore", { $0.counterRestore }), ("verification", { $0.verification }),
        ]
        for (name, phase) in phases {
            context.record(name + "_median", median(reports.map { phase($0).nanoseconds / 1000 }), unit: "us")
            if phase(first).ioctls > 0 { context.record(name + "_ioctls", Int64(phase(first).ioctls), unit: "count") }
        }
        context.record("teardown_median", median(reports.map { $0.teardownNanoseconds / 1000 }), unit: "us")
        context.record("memory_pages_median", median(reports.map { Int64($0.memoryPages) }), unit: "pages")
        context.record("registers_per_vcpu", Int64(first.registersPerVCPU), unit: "count")
        context.record("captures_uart_active", Int64(reports.filter { $0.uartActiveAtCapture }.count), unit: "count")
        context.record("captures_uart_level_high", Int64(reports.filter { $0.uartLevelAtCapture }.count), unit: "count")
        let status: UInt64 = 1 << 2
        let expiredAtCapture = reports.flatMap { report in
            report.capturedRegisters.compactMap { file in
                file.registers.firstIndex(of: .virtualTimerControl).map { file.values[$0].low64 & status != 0 }
            }
        }.filter { $0 }.count
        context.record("captures_vtimer_istatus_set", Int64(expiredAtCapture), unit: "vcpus")
        context.record("captures_bytes_waiting", Int64(reports.filter { $0.uartFIFOBytesAtCapture + $0.uartLineBytesAtCapture > 0 }.count), unit: "count")
        context.record("echoed_bytes", Int64(echoed), unit: "count")
    }
}
