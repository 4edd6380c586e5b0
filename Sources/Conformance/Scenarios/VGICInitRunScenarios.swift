import GICVocabulary
import KVM
import VGIC

/// The parts of `vgic_init.c` (Conformance.docc/KernelSelftests.md) whose verdict comes from `KVM_RUN` or
/// from vCPUs created in a particular order: the kernel checks the frame layout when a vCPU
/// first runs, not when the addresses are set. Each run uses a `LabMachine`, so a run that
/// the kernel unexpectedly lets through enters a guest that powers itself off.
///
/// A selftest step that ends in a run is two scenarios: with `run: false` every step up to the
/// run (what any kernel, simulated ones included, must answer), and with `run: true` the same
/// steps and then the run (`….first_run`, which needs guest execution).
enum VGICInitRunScenarios {
    /// test_vcpus_then_vgic: 4 vCPUs, then the vgic, then subtest_dist_rdist (which leaves the
    /// distributor overlapping the redistributors); with `run`, the first run of vCPU 3 is EINVAL.
    static func vcpusThenVGIC(_ context: ScenarioContext, run: Bool) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            for id: UInt32 in 0..<3 { _ = try machine.addVCPU(id: id) }
            let vcpu3 = try machine.runnableVCPU(id: 3)
            let vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            VGICInitScenarios.distRedistSubtest(vgic, ipaBits: machine.vm.ipaBits, vcpuCount: 4, &checks)
            if run { checks.expect("first run sees the overlap", RunResult.of(vcpu3), .refused(.EINVAL)) }
            return checks.outcome
        }
    }

    /// test_vgic_then_vcpus: 1 vCPU, the vgic, subtest_dist_rdist, then 3 more vCPUs; with `run`,
    /// the first run of vCPU 3 is EINVAL.
    static func vgicThenVCPUs(_ context: ScenarioContext, run: Bool) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            _ = try machine.addVCPU(id: 0)
            let vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            // `validate` is given the final count: with 1 vCPU the frames do not overlap yet,
            // which is exactly why the kernel can only tell at the first run.
            VGICInitScenarios.distRedistSubtest(vgic, ipaBits: machine.vm.ipaBits, vcpuCount: 4, &checks)
            for id: UInt32 in 1..<3 { _ = try machine.addVCPU(id: id) }
            let vcpu3 = try machine.runnableVCPU(id: 3)
            if run { checks.expect("first run sees the overlap", RunResult.of(vcpu3), .refused(.EINVAL)) }
            return checks.outcome
        }
    }

    /// test_v3_new_redist_regions, step 1: regions with room for 3 redistributors, 4 vCPUs,
    /// CTRL_INIT accepted; with `run`, the run is ENXIO (vCPU 3 has no redistributor).
    static func newRedistRegionsInsufficient(_ context: ScenarioContext, run: Bool) -> Outcome {
        withRedistRegions(context) { machine, vgic, vcpu3, checks throws(VGICError) in
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            if run { checks.expect("run with 3 redistributors for 4 vCPUs", RunResult.of(vcpu3), .refused(.ENXIO)) }
        }
    }

    /// Step 2: a third region covers vCPU 3 but CTRL_INIT was never sent: with `run`, the run is
    /// EBUSY (GICv3 requires the explicit init).
    static func newRedistRegionsWithoutInit(_ context: ScenarioContext, run: Bool) -> Outcome {
        withRedistRegions(context) { machine, vgic, vcpu3, checks throws(VGICError) in
            checks.succeeds("region (1, 0x280000, 0, 2)") { () throws(VGICError) in
                try vgic.setAddress(.v3RedistributorRegion, VGICInitLab.regionWord(count: 1, base: 0x280000, flags: 0, index: 2))
            }
            if run { checks.expect("run without CTRL_INIT", RunResult.of(vcpu3), .refused(.EBUSY)) }
        }
    }

    /// Step 3: a REDIST_REGION set from a NULL buffer is EFAULT; then the third region and
    /// CTRL_INIT, and with `run` the run enters the guest (which powers off).
    static func newRedistRegionsComplete(_ context: ScenarioContext, run: Bool) -> Outcome {
        withRedistRegions(context) { machine, vgic, vcpu3, checks throws(VGICError) in
            checks.refused("REDIST_REGION from a NULL buffer", Expect.kernel(.EFAULT)) { () throws(VGICError) in
                try vgic.withDevice { device throws(VGICError) in
                    do throws(KVMError) { try device.setWithNullBuffer(.address(.v3RedistributorRegion)) } catch { throw .kernel(error) }
                }
            }
            checks.succeeds("region (1, 0x280000, 0, 2)") { () throws(VGICError) in
                try vgic.setAddress(.v3RedistributorRegion, VGICInitLab.regionWord(count: 1, base: 0x280000, flags: 0, index: 2))
            }
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            if run {
                checks.expect("run enters the guest", RunResult.of(vcpu3),
                    .exited(.systemEvent(type: StraightLineGuest.systemEventShutdown)))
            }
        }
    }

    /// 4 vCPUs (vCPU 3 kept to run), a vgic-v3 and subtest_v3_redist_regions, then `body`.
    private static func withRedistRegions(
        _ context: ScenarioContext,
        _ body: (borrowing LabMachine, inout VGIC, borrowing VCPU, inout VGICInitChecks) throws(VGICError) -> Void
    ) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            for id: UInt32 in 0..<3 { _ = try machine.addVCPU(id: id) }
            let vcpu3 = try machine.runnableVCPU(id: 3)
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            VGICInitScenarios.redistRegionsSubtest(vgic, ipaBits: machine.vm.ipaBits, &checks)
            try body(machine, &vgic, vcpu3, &checks)
            return checks.outcome
        }
    }

    /// test_v3_typer_accesses: vCPU 0, the vgic, vCPU 3; TYPER of the missing vCPU 1 is EINVAL,
    /// of vCPU 1 before init `.notInitialised`; after init each vCPU's processor number with
    /// no Last bit (no redistributor placed); then regions place vCPUs in creation order and
    /// set Last only where no contiguous frame follows.
    static func typerAccesses(_ context: ScenarioContext) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            var vcpus: [UInt32: VCPUIdentity] = [:]
            vcpus[0] = try machine.addVCPU(id: 0)
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            vcpus[3] = try machine.addVCPU(id: 3)
            let ghost = VCPUIdentity(id: 1, affinity: Affinity(aff0: 1))
            checks.refused("TYPER of vCPU 1 before it exists", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                _ = try vgic.redistributorRegister(.gicrTYPER, of: ghost)
            }
            vcpus[1] = try machine.addVCPU(id: 1)
            checks.refused("TYPER of vCPU 1 before init", Expect.notInitialised) { () throws(VGICError) in
                _ = try vgic.redistributorRegister(.gicrTYPER, of: vcpus[1]!)
            }
            vcpus[2] = try machine.addVCPU(id: 2)
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            func typer(_ id: UInt32) -> UInt64? { typerLow(vgic, vcpus[id]) }
            for id: UInt32 in 0..<4 {
                checks.expect("TYPER of vCPU \(id) before any region", typer(id), UInt64(id) * 0x100)
            }
            func region(_ count: UInt64, _ base: UInt64, _ index: UInt64) -> UInt64 {
                VGICInitLab.regionWord(count: count, base: base, flags: 0, index: index)
            }
            checks.succeeds("region (2, 0x200000, 0, 0)") { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, region(2, 0x200000, 0)) }
            checks.expect("vCPU 0 placed first", typer(0), 0x000)
            checks.expect("vCPU 3 (created second) is Last", typer(3), 0x310)
            checks.refused("(10, 0x100000, 0, 1) collides", Expect.address(.rejected)) { () throws(VGICError) in
                try vgic.setAddress(.v3RedistributorRegion, region(10, 0x100000, 1))
            }
            checks.expect("vCPU 1 not yet placed", typer(1), 0x100)
            checks.expect("vCPU 2 not yet placed", typer(2), 0x200)
            checks.succeeds("region (10, 0x20000, 0, 1)") { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, region(10, 0x20000, 1)) }
            checks.expect("vCPU 1 placed", typer(1), 0x100)
            checks.expect("vCPU 2 placed, Last", typer(2), 0x210)
            return checks.outcome
        }
    }

    /// The vCPU ids both Last-bit tests create, in this order.
    static let scrambledIDs: [UInt32] = [0, 3, 5, 4, 1, 2]

    /// test_v3_last_bit_redist_regions: three regions of two, the middle-addressed one given
    /// last; a vCPU is Last only if no frame follows contiguously.
    static func lastBitRedistRegions(_ context: ScenarioContext) -> Outcome {
        withScrambledVCPUs(context) { vgic, vcpus, checks throws(VGICError) in
            for (count, base, index): (UInt64, UInt64, UInt64) in [(2, 0x100000, 0), (2, 0x240000, 1), (2, 0x200000, 2)] {
                checks.succeeds("region (\(count), \(hex(base)), 0, \(index))") { () throws(VGICError) in
                    try vgic.setAddress(.v3RedistributorRegion, VGICInitLab.regionWord(count: count, base: base, flags: 0, index: index))
                }
            }
            let expected: [(UInt32, UInt64)] = [(0, 0x000), (1, 0x100), (2, 0x200), (3, 0x310), (5, 0x500), (4, 0x410)]
            for (id, value) in expected { checks.expect("TYPER of vCPU \(id)", typerLow(vgic, vcpus[id]), value) }
        }
    }

    /// test_v3_last_bit_single_rdist: one legacy region; the vCPU created last is Last.
    static func lastBitSingleRedist(_ context: ScenarioContext) -> Outcome {
        withScrambledVCPUs(context) { vgic, vcpus, checks throws(VGICError) in
            checks.succeeds("REDIST at 0x10000") { () throws(VGICError) in try vgic.setRedistributorBase(0x10000) }
            let expected: [(UInt32, UInt64)] = [(0, 0x000), (3, 0x300), (5, 0x500), (1, 0x100), (2, 0x210)]
            for (id, value) in expected { checks.expect("TYPER of vCPU \(id)", typerLow(vgic, vcpus[id]), value) }
        }
    }

    /// vCPUs created in `scrambledIDs` order, a vgic-v3, CTRL_INIT, then `body`.
    private static func withScrambledVCPUs(
        _ context: ScenarioContext, _ body: (inout VGIC, [UInt32: VCPUIdentity], inout VGICInitChecks) throws(VGICError) -> Void
    ) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var checks = VGICInitChecks()
            var vcpus: [UInt32: VCPUIdentity] = [:]
            for id in scrambledIDs { vcpus[id] = try machine.addVCPU(id: id) }
            var vgic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
            checks.succeeds("CTRL_INIT") { () throws(VGICError) in try vgic.initialise() }
            try body(&vgic, vcpus, &checks)
            return checks.outcome
        }
    }

    /// The low word of GICR_TYPER (processor number, Last) of `vcpu`, or nil if refused.
    static func typerLow(_ vgic: borrowing VGIC, _ vcpu: VCPUIdentity?) -> UInt64? {
        guard let vcpu else { return nil }
        return (try? vgic.redistributorRegister(.gicrTYPER, of: vcpu)).map { $0 & 0xFFFF_FFFF }
    }
}
