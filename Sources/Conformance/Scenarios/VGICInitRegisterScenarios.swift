import GICVocabulary
import KVM
import VGIC

/// The register-level parts of `vgic_init.c` (Conformance.docc/KernelSelftests.md): the CPU sysregs a
/// snapshot saves, GICD_TYPER2's nASSGIcap before and after init, and the redistributor
/// IPA-range check at the first run.
enum VGICInitRegisterScenarios {
    /// test_v3_sysregs (EL1 part): every ICC register is HAS-visible and survives GET then SET
    /// of the same value; an APR index beyond what PRIbits implies is EINVAL both ways. PRIbits
    /// comes from ICC_CTLR_EL1 and must be 5...7. EL2 registers need a vCPU with HAS_EL2, which
    /// needs `KVM_CAP_ARM_EL2`; reported as a count when absent.
    static func sysregs(_ context: ScenarioContext) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            let vcpu = try machine.addVCPU(id: 0)
            let vgic = try VGIC.create(on: machine.vm, configuration: LabLayout.v3(vcpuCount: 1), vcpus: [vcpu])
            let ctlr = try vgic.systemRegister(.iccCTLR, of: vcpu)
            let priorityBits = ICCControl(rawValue: ctlr).priorityBits
            checks.check("PRIbits \(priorityBits) is in 5...7", (5...7).contains(priorityBits))
            for register in ICCRegister.el1 {
                checks.check("HAS \(register.name)", (try? vgic.hasSystemRegister(register, of: vcpu)) == true)
                if register.isAccessible(priorityBits: priorityBits) {
                    checks.succeeds("GET+SET \(register.name)") { () throws(VGICError) in
                        let value = try vgic.systemRegister(register, of: vcpu)
                        try vgic.setSystemRegister(register, of: vcpu, to: value)
                    }
                } else {
                    checks.refused("GET \(register.name) beyond PRIbits \(priorityBits)", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                        _ = try vgic.systemRegister(register, of: vcpu)
                    }
                    checks.refused("SET \(register.name) beyond PRIbits \(priorityBits)", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                        try vgic.setSystemRegister(register, of: vcpu, to: 0)
                    }
                }
            }
            return checks.outcome
        }
    }

    /// test_v3_nassgicap: GICD_TYPER2 is readable before init; its nASSGIcap (bit 8) may be
    /// written as the host allows (set only if the host has it; clear always) before init, and
    /// changing it after init is `.frozenAfterInit`.
    ///
    /// Kernels before that series (Debian's 6.12 among them) answer EBUSY to any DIST_REGS
    /// access before CTRL_INIT, TYPER2 included, and accept after init only a write of the
    /// value they report (`vgic_mmio_uaccess_write_v3_misc`: EINVAL otherwise). The scenario
    /// detects which rule the kernel follows from the first read and checks that rule whole.
    static func nassgicap(_ context: ScenarioContext) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            for id: UInt32 in 0..<4 { _ = try machine.addVCPU(id: id) }
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            let nASSGIcap: UInt64 = 1 << 8
            let early: UInt64
            do throws(VGICError) {
                early = try vgic.distributorRegister(.gicdTYPER2)
            } catch {
                guard case .notInitialised = error else { return .fail("GICD_TYPER2 before init: \(error)") }
                fixedTYPER2(&vgic, nASSGIcap, &checks)
                return checks.outcome.annotated("kernel without selectable nASSGIcap (TYPER2 is EBUSY before init)")
            }
            let hostHas = early & nASSGIcap != 0
            checks.succeeds("write TYPER2 with nASSGIcap clear") { () throws(VGICError) in
                try vgic.setDistributorRegister(.gicdTYPER2, to: early & ~nASSGIcap)
            }
            if hostHas {
                checks.succeeds("write TYPER2 with nASSGIcap set (host has it)") { () throws(VGICError) in
                    try vgic.setDistributorRegister(.gicdTYPER2, to: early)
                }
            } else {
                checks.refused("write TYPER2 with nASSGIcap set (host lacks it)", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                    try vgic.setDistributorRegister(.gicdTYPER2, to: early | nASSGIcap)
                }
            }
            let chosen = try vgic.distributorRegister(.gicdTYPER2)
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            checks.succeeds("write back the same TYPER2 after init") { () throws(VGICError) in
                try vgic.setDistributorRegister(.gicdTYPER2, to: chosen)
            }
            checks.refused("toggle nASSGIcap after init", { error in
                if case .frozenAfterInit(let register, _) = error { return register == .gicdTYPER2 }
                return false
            }) { () throws(VGICError) in
                try vgic.setDistributorRegister(.gicdTYPER2, to: chosen ^ nASSGIcap)
            }
            return checks.outcome.annotated("kernel with selectable nASSGIcap (host has it: \(hostHas))")
        }
    }

    /// The older rule: after CTRL_INIT, TYPER2 reads, takes back its own value, and refuses
    /// any other (EINVAL), the nASSGIcap bit toggled included.
    private static func fixedTYPER2(_ vgic: inout VGIC, _ nASSGIcap: UInt64, _ checks: inout VGICInitChecks) {
        checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
        guard let value = try? vgic.distributorRegister(.gicdTYPER2) else {
            return checks.check("GICD_TYPER2 readable after init", false)
        }
        checks.succeeds("write back the same TYPER2") { () throws(VGICError) in try vgic.setDistributorRegister(.gicdTYPER2, to: value) }
        checks.refused("toggle nASSGIcap", Expect.kernel(.EINVAL)) { () throws(VGICError) in
            try vgic.setDistributorRegister(.gicdTYPER2, to: value ^ nASSGIcap)
        }
    }

    /// test_v3_redist_ipa_range_check_at_vcpu_run: a legacy redistributor base with room for 3
    /// frames below the IPA top is accepted with 1 vCPU; with 4 vCPUs CTRL_INIT is accepted, and
    /// (with `run`) the first run is EINVAL.
    static func redistIPARangeAtRun(_ context: ScenarioContext, run: Bool) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            _ = try machine.addVCPU(id: 0)
            let top: UInt64 = 1 << UInt64(machine.vm.ipaBits)
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            checks.succeeds("REDIST with room for 3") { () throws(VGICError) in try vgic.setRedistributorBase(top - 3 * 2 * 0x10000) }
            checks.succeeds("DIST at 0") { () throws(VGICError) in try vgic.setDistributorBase(0) }
            _ = try machine.addVCPU(id: 1)
            let vcpu2 = try machine.runnableVCPU(id: 2)
            _ = try machine.addVCPU(id: 3)
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            if run { checks.expect("run with the 4th frame above the IPA top", RunResult.of(vcpu2), .refused(.EINVAL)) }
            return checks.outcome
        }
    }
}
