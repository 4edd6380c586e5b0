import CKVM
import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// `KVM_RUN` with the vgic initialised: a tiny guest that exits by MMIO proves vCPUs run at
/// all, and a guest that acknowledges an SPI through its own CPU interface (ICC_IAR1_EL1)
/// proves the line injected with `setLevel` reaches it, with the active state and its end
/// visible through the attribute interface between exits.
extension ScenarioCatalog {
    public static var vcpuRun: [Scenario] {
        [
            Scenario("vcpu_run.v3.mmio_exits", requires: [.guestExecution]) { context in VCPURunScenarios.mmioExits(&context) },
            Scenario("vcpu_run.v3.guest_acknowledges_spi", requires: [.guestExecution]) { context in
                VCPURunScenarios.guestAcknowledgesSPI(context)
            },
        ]
    }
}

enum VCPURunScenarios {
    /// The guest stores two words to the MMIO address and powers off: two MMIO exits with the
    /// address, width and data, then the PSCI SYSTEM_OFF event.
    static func mmioExits(_ context: inout ScenarioContext) -> Outcome {
        let words: [UInt32] = [0x1234_5678, 0x9ABC_DEF0]
        var firstRun: Int64 = 0
        let outcome = LabMachine.with(context, program: .reporting(words)) { machine throws(VGICError) in
            let vcpu = try machine.runnableVCPU(id: 0)
            let identity = try VCPUIdentity(reading: vcpu)
            let vgic = try VGIC.create(on: machine.vm, configuration: LabLayout.v3(vcpuCount: 1), vcpus: [identity])
            _ = vgic.version
            var checks = VGICInitChecks()
            let start = ckvm_monotonic_ns()
            for (n, word) in words.enumerated() {
                let expected = VCPUExit.mmio(.init(address: StraightLineGuest.mmioAddress, data: UInt64(word), length: 4, isWrite: true))
                checks.expect("exit \(n + 1)", RunResult.of(vcpu), .exited(expected))
                if n == 0 { firstRun = ckvm_monotonic_ns() - start }
            }
            checks.expect("then SYSTEM_OFF", RunResult.of(vcpu), .exited(.systemEvent(type: StraightLineGuest.systemEventShutdown)))
            return checks.outcome
        }
        if case .pass = outcome { context.record("first_run_to_mmio_exit", firstRun / 1000, unit: "us") }
        return outcome
    }

    /// SPI 40, made deliverable from userspace (distributor Group 1 enabled, the SPI enabled in
    /// group 1 at priority 0x80, routed to vCPU 0; the vCPU's PMR 0xF8 and IGRPEN1 set through
    /// CPU_SYSREGS), is raised with `setLevel`. The guest reads ICC_IAR1_EL1 and reports it:
    /// 40, now active. The host lowers the line; the guest writes ICC_EOIR1_EL1 (EOImode 0:
    /// drop and deactivate), reads ICC_IAR1_EL1 again and reports 1023 (nothing pending), and
    /// the SPI is neither active nor pending.
    static func guestAcknowledgesSPI(_ context: ScenarioContext) -> Outcome {
        let intid: UInt32 = 40
        return LabMachine.with(context, program: acknowledgeProgram) { machine throws(VGICError) in
            let vcpu = try machine.runnableVCPU(id: 0)
            let identity = try VCPUIdentity(reading: vcpu)
            let vgic = try VGIC.create(on: machine.vm, configuration: LabLayout.v3(vcpuCount: 1), vcpus: [identity])
            try vgic.setDistributorRegister(.gicdCTLR, to: 0x2)
            try vgic.setDistributorRegister(.gicdIGROUPR, index: intid / 32, to: 1 << UInt64(intid % 32))
            try vgic.setDistributorRegister(.gicdIPRIORITYR, index: intid / 4, to: 0x80 << UInt64(8 * (intid % 4)))
            try vgic.setDistributorRegister(.gicdIROUTER, index: intid, to: UInt64(identity.affinity.packed))
            try vgic.setDistributorRegister(.gicdISENABLER, index: intid / 32, to: 1 << UInt64(intid % 32))
            try vgic.setSystemRegister(.iccPMR, of: identity, to: 0xF8)
            try vgic.setSystemRegister(.iccIGRPEN1, of: identity, to: 1)
            let spi = try InjectionScenarios.spiValue(intid)
            try vgic.setLevel(spi, true)

            var checks = VGICInitChecks()
            let ack = VCPUExit.mmio(.init(address: StraightLineGuest.mmioAddress, data: UInt64(intid), length: 4, isWrite: true))
            checks.expect("guest's IAR1 read returns SPI 40", RunResult.of(vcpu), .exited(ack))
            let active = try vgic.distributorRegister(.gicdISACTIVER, covering: intid)
            checks.expect("SPI 40 active after the acknowledge", active >> UInt64(intid % 32) & 1, 1)
            try vgic.setLevel(spi, false)
            let spurious = VCPUExit.mmio(.init(address: StraightLineGuest.mmioAddress, data: 1023, length: 4, isWrite: true))
            checks.expect("after EOIR1, IAR1 returns 1023", RunResult.of(vcpu), .exited(spurious))
            checks.expect("SPI 40 no longer active", SharedInterrupt.isActive(vgic, intid), false)
            checks.expect("SPI 40 latch clear", SharedInterrupt.latch(vgic, intid), false)
            checks.expect("then SYSTEM_OFF", RunResult.of(vcpu), .exited(.systemEvent(type: StraightLineGuest.systemEventShutdown)))
            return checks.outcome
        }
    }

    /// x0 = MMIO; x1 = IAR1; report; x1' = IAR1 after EOIR1(x1); report; power off.
    static var acknowledgeProgram: StraightLineGuest {
        let iar1 = A64Assembler.SystemRegister(GuestSysReg.iccIAR1.encoding)
        let eoir1 = A64Assembler.SystemRegister(GuestSysReg.iccEOIR1.encoding)
        return StraightLineGuest.assembled { asm in
            asm.mov(.x0, StraightLineGuest.mmioAddress)
            asm.mrs(.x1, iar1)
            asm.str(.word, .x1, base: .x0)
            asm.msr(eoir1, .x1)
            asm.isb()
            asm.mrs(.x1, iar1)
            asm.str(.word, .x1, base: .x0)
        }
    }
}
