import GICVocabulary
import KVM
import VGIC

/// Ports of the userspace-visible assertions of the kernel selftest `vgic_init.c`
/// (Conformance.docc/KernelSelftests.md), driven through the VGIC API so the typed `VGICError` is checked,
/// not only the errno. Each scenario opens the context's kernel and skips where the host lacks
/// what it needs. The selftest steps whose verdict is the first `KVM_RUN` are scenarios of their
/// own (`….first_run`), which need guest execution; the steps before the run are checked
/// without it.
extension ScenarioCatalog {
    public static var vgicInit: [Scenario] {
        let guest: [KernelRequirement] = [.guestExecution]
        return [
            Scenario("vgic_init.v3.dist_rdist_errors") { context in VGICInitScenarios.distRedistErrors(context) },
            Scenario("vgic_init.v3.redist_regions") { context in VGICInitScenarios.redistRegions(context) },
            Scenario("vgic_init.v3.typer_accesses") { context in VGICInitRunScenarios.typerAccesses(context) },
            Scenario("vgic_init.v3.last_bit_redist_regions") { context in VGICInitRunScenarios.lastBitRedistRegions(context) },
            Scenario("vgic_init.v3.last_bit_single_rdist") { context in VGICInitRunScenarios.lastBitSingleRedist(context) },
            Scenario("vgic_init.v3.vcpus_then_vgic") { context in VGICInitRunScenarios.vcpusThenVGIC(context, run: false) },
            Scenario("vgic_init.v3.vcpus_then_vgic.first_run", requires: guest) { context in
                VGICInitRunScenarios.vcpusThenVGIC(context, run: true)
            },
            Scenario("vgic_init.v3.vgic_then_vcpus") { context in VGICInitRunScenarios.vgicThenVCPUs(context, run: false) },
            Scenario("vgic_init.v3.vgic_then_vcpus.first_run", requires: guest) { context in
                VGICInitRunScenarios.vgicThenVCPUs(context, run: true)
            },
            Scenario("vgic_init.v3.new_redist_regions.insufficient") { context in
                VGICInitRunScenarios.newRedistRegionsInsufficient(context, run: false)
            },
            Scenario("vgic_init.v3.new_redist_regions.insufficient.first_run", requires: guest) { context in
                VGICInitRunScenarios.newRedistRegionsInsufficient(context, run: true)
            },
            Scenario("vgic_init.v3.new_redist_regions.no_init") { context in
                VGICInitRunScenarios.newRedistRegionsWithoutInit(context, run: false)
            },
            Scenario("vgic_init.v3.new_redist_regions.no_init.first_run", requires: guest) { context in
                VGICInitRunScenarios.newRedistRegionsWithoutInit(context, run: true)
            },
            Scenario("vgic_init.v3.new_redist_regions.complete") { context in
                VGICInitRunScenarios.newRedistRegionsComplete(context, run: false)
            },
            Scenario("vgic_init.v3.new_redist_regions.complete.first_run", requires: guest) { context in
                VGICInitRunScenarios.newRedistRegionsComplete(context, run: true)
            },
            Scenario("vgic_init.v3.redist_ipa_range_at_run") { context in
                VGICInitRegisterScenarios.redistIPARangeAtRun(context, run: false)
            },
            Scenario("vgic_init.v3.redist_ipa_range_at_run.first_run", requires: guest) { context in
                VGICInitRegisterScenarios.redistIPARangeAtRun(context, run: true)
            },
            Scenario("vgic_init.v3.sysregs") { context in VGICInitRegisterScenarios.sysregs(context) },
            Scenario("vgic_init.v3.nassgicap") { context in VGICInitRegisterScenarios.nassgicap(context) },
            Scenario("vgic_init.v3.nr_irqs_limits") { context in VGICInitScenarios.interruptCountLimits(context) },
            Scenario("vgic_init.v3.its_region") { context in VGICInitScenarios.itsRegion(context) },
            Scenario("vgic_init.device_eexist") { context in VGICInitScenarios.deviceExists(context) },
            Scenario("vgic_init.v2_after_v3") { context in VGICInitScenarios.v2AfterV3(context) },
            Scenario("vgic_init.v2_unsupported") { context in VGICInitScenarios.unsupported(.v2, context) },
            Scenario("vgic_init.v5_unsupported") { context in VGICInitScenarios.unsupported(.v5, context) },
        ]
    }
}

enum VGICInitScenarios {
    /// subtest_dist_rdist for V3: HAS, misaligned EINVAL, beyond-IPA E2BIG (also half beyond),
    /// second legacy REDIST EEXIST, mixing REDIST_REGION EINVAL, DIST over REDIST accepted
    /// (while `validate` refuses that layout up front).
    static func distRedistErrors(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 4) { vm, vcpus throws(VGICError) in
            let vgic = try VGIC.createUninitialised(on: vm, version: .v3)
            var checks = VGICInitChecks()
            distRedistSubtest(vgic, ipaBits: vm.ipaBits, vcpuCount: vcpus.count, &checks)
            return checks.outcome
        }
    }

    /// The body of subtest_dist_rdist for V3, on a vgic with no addresses yet; it leaves the
    /// distributor at 0x70000 overlapping the legacy redistributors at 0, which the first
    /// `KVM_RUN` must refuse (`vcpus_then_vgic`, `vgic_then_vcpus`).
    static func distRedistSubtest(_ vgic: borrowing VGIC, ipaBits: Int, vcpuCount: Int, _ checks: inout VGICInitChecks) {
        let top: UInt64 = 1 << UInt64(ipaBits)
        checks.check("HAS DIST", (try? vgic.hasAddress(.v3Distributor)) == true)
        checks.check("HAS REDIST", (try? vgic.hasAddress(.v3Redistributor)) == true)
        checks.check("HAS type -1 is false (ENXIO)", (try? vgic.hasAddress(AddressType(rawValue: UInt64.max))) == false)
        checks.refused("DIST misaligned", Expect.address(.rejected)) { () throws(VGICError) in try vgic.setDistributorBase(0x10000 / 16) }
        checks.refused("REDIST misaligned", Expect.address(.rejected)) { () throws(VGICError) in try vgic.setRedistributorBase(0x10000 / 16) }
        checks.refused("DIST at IPA top", Expect.address(.beyondIPA)) { () throws(VGICError) in try vgic.setDistributorBase(top) }
        checks.refused("REDIST at IPA top", Expect.address(.beyondIPA)) { () throws(VGICError) in try vgic.setRedistributorBase(top) }
        checks.refused("REDIST half beyond", Expect.address(.beyondIPA)) { () throws(VGICError) in try vgic.setRedistributorBase(top - 0x10000) }
        checks.succeeds("REDIST at 0") { () throws(VGICError) in try vgic.setRedistributorBase(0) }
        checks.refused("second REDIST", Expect.address(.alreadySet)) { () throws(VGICError) in try vgic.setRedistributorBase(0xE0000) }
        checks.refused("REDIST_REGION after REDIST", Expect.address(.rejected)) { () throws(VGICError) in
            try vgic.setAddress(.v3RedistributorRegion, VGICInitLab.regionWord(count: 4, base: 0x100000, flags: 0, index: 0))
        }
        checks.succeeds("DIST over REDIST accepted at set time") { () throws(VGICError) in try vgic.setDistributorBase(0x70000) }
        let layout = VGICConfiguration.v3(distributor: 0x70000, redistributors: .legacy(base: 0))
        checks.check("validate refuses that overlap",
            layout.firstProblem(ipaBits: ipaBits, vcpuCount: vcpuCount) == .overlap(.distributor, .redistributors))
    }

    /// subtest_v3_redist_regions: the REDIST_REGION rules and read-back.
    static func redistRegions(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 4) { vm, _ throws(VGICError) in
            let vgic = try VGIC.createUninitialised(on: vm, version: .v3)
            var checks = VGICInitChecks()
            redistRegionsSubtest(vgic, ipaBits: vm.ipaBits, &checks)
            return checks.outcome
        }
    }

    /// The body of subtest_v3_redist_regions: leaves regions (2, 0x200000) and (1, 0x240000),
    /// room for 3 redistributors, and the distributor at 0x260000.
    static func redistRegionsSubtest(_ vgic: borrowing VGIC, ipaBits: Int, _ checks: inout VGICInitChecks) {
        let top: UInt64 = 1 << UInt64(ipaBits)
        func region(_ count: UInt64, _ base: UInt64, _ flags: UInt64, _ index: UInt64) -> UInt64 {
            VGICInitLab.regionWord(count: count, base: base, flags: flags, index: index)
        }
        let bad: [(String, UInt64, VGICError.AddressRefusal)] = [
            ("flags 2", region(4, 0x100000, 2, 0), .rejected),
            ("count 0", region(0, 0x100000, 0, 0), .rejected),
            ("first index 1", region(2, 0x200000, 0, 1), .rejected),
            ("misaligned", region(2, 0x201000, 0, 1), .rejected),
        ]
        for (label, word, refusal) in bad {
            checks.refused(label, Expect.address(refusal)) { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, word) }
        }
        checks.succeeds("(2, 0x200000, 0, 0)") { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, region(2, 0x200000, 0, 0)) }
        let more: [(String, UInt64, VGICError.AddressRefusal)] = [
            ("reused index", region(2, 0x200000, 0, 1), .rejected),
            ("overlaps region 0", region(1, 0x210000, 0, 2), .rejected),
            ("index not +1", region(1, 0x240000, 0, 2), .rejected),
        ]
        for (label, word, refusal) in more {
            checks.refused(label, Expect.address(refusal)) { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, word) }
        }
        checks.succeeds("(1, 0x240000, 0, 1)") { () throws(VGICError) in try vgic.setAddress(.v3RedistributorRegion, region(1, 0x240000, 0, 1)) }
        checks.refused("at IPA top", Expect.address(.beyondIPA)) { () throws(VGICError) in
            try vgic.setAddress(.v3RedistributorRegion, region(1, top, 0, 2))
        }
        checks.refused("top beyond IPA", Expect.address(.beyondIPA)) { () throws(VGICError) in
            try vgic.setAddress(.v3RedistributorRegion, region(2, top - 0x30000, 0, 2))
        }
        checks.refused("legacy REDIST after regions", Expect.address(.rejected)) { () throws(VGICError) in try vgic.setRedistributorBase(0x260000) }
        checks.check("read region 0", (try? vgic.redistributorRegion(index: 0)).map { $0.count == 2 && $0.base == 0x200000 && $0.index == 0 } ?? false)
        checks.check("read region 1", (try? vgic.redistributorRegion(index: 1)).map { $0.count == 1 && $0.base == 0x240000 && $0.index == 1 } ?? false)
        checks.refused("read region 2", Expect.address(.noSuchRegion)) { () throws(VGICError) in _ = try vgic.redistributorRegion(index: 2) }
        checks.succeeds("DIST at 0x260000") { () throws(VGICError) in try vgic.setDistributorBase(0x260000) }
        checks.refused("region over DIST", Expect.address(.rejected)) { () throws(VGICError) in
            try vgic.setAddress(.v3RedistributorRegion, region(1, 0x260000, 0, 2))
        }
    }

    /// NR_IRQS limits (GICVocabulary.docc/InterruptNumbers.md): out of range or unaligned is
    /// `.interruptCountRejected`, the first good value sticks, a second set or a set after init is
    /// `.interruptCountFixed`, and the default after init is 256. `validate` refuses the same values without
    /// a syscall.
    static func interruptCountLimits(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let vgic = try VGIC.createUninitialised(on: vm, version: .v3)
            for count: UInt32 in [0, 32, 48, 100, 1024, 1056] {
                checks.refused("NR_IRQS \(count)", Expect.countRejected) { () throws(VGICError) in try vgic.setInterruptCount(count) }
                checks.check("validate refuses \(count)", !VGICConfiguration.isValidInterruptCount(count))
            }
            checks.succeeds("NR_IRQS 992") { () throws(VGICError) in try vgic.setInterruptCount(992) }
            checks.check("reads back 992", (try? vgic.interruptCount()) == 992)
            checks.refused("second NR_IRQS", Expect.countFixed) { () throws(VGICError) in try vgic.setInterruptCount(64) }
            return checks.outcome
        }
    }

    /// test_v3_its_region: ITS address EINVAL misaligned, E2BIG at/over the top, EEXIST twice.
    static func itsRegion(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 4) { vm, _ throws(VGICError) in
            guard try vm.canCreateITS() else { return .skip("host offers no ITS") }
            let top: UInt64 = 1 << UInt64(vm.ipaBits)
            let gic = try VGIC.createUninitialised(on: vm, version: .v3)
            _ = gic.version
            let its: Device
            do throws(KVMError) {
                its = try vm.createDevice(.vgicITS)
            } catch {
                return .fail("ITS create: \(error)")
            }
            var checks = VGICInitChecks()
            func set(_ base: UInt64) throws(VGICError) {
                do throws(KVMError) { try its.set(.address(.its), to: base) } catch { throw .address(.its, refusal(error), error) }
            }
            checks.refused("misaligned", Expect.address(.rejected)) { () throws(VGICError) in try set(0x401000) }
            checks.refused("at IPA top", Expect.address(.beyondIPA)) { () throws(VGICError) in try set(top) }
            checks.refused("half beyond", Expect.address(.beyondIPA)) { () throws(VGICError) in try set(top - 0x10000) }
            checks.succeeds("0x400000") { () throws(VGICError) in try set(0x400000) }
            checks.refused("again", Expect.address(.alreadySet)) { () throws(VGICError) in try set(0x300000) }
            return checks.outcome
        }
    }

    /// test_kvm_device: type 0 is not creatable (ENODEV in test mode); a second vgic-v3 is
    /// `.alreadyExists`.
    static func deviceExists(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 1) { vm, _ throws(VGICError) in
            var checks = VGICInitChecks()
            checks.check("type 0 not creatable", (try? vm.canCreate(DeviceType(rawValue: 0))) == false)
            let first = try VGIC.createUninitialised(on: vm, version: .v3)
            _ = first.version
            checks.refused("second vgic-v3", Expect.alreadyExists) { () throws(VGICError) in
                _ = try VGIC.createUninitialised(on: vm, version: .v3)
            }
            return checks.outcome
        }
    }

    /// test_kvm_device, other model: a v2 after a v3 is `.alreadyExists` or EINVAL.
    static func v2AfterV3(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 1) { vm, _ throws(VGICError) in
            let first = try VGIC.createUninitialised(on: vm, version: .v3)
            _ = first.version
            guard try VGIC.isSupported(.v2, on: vm) else { return .skip("host cannot emulate GICv2") }
            var checks = VGICInitChecks()
            checks.refused("v2 after v3", { Expect.alreadyExists($0) || Expect.kernel(.EINVAL)($0) }) { () throws(VGICError) in
                _ = try VGIC.createUninitialised(on: vm, version: .v2)
            }
            return checks.outcome
        }
    }

    /// A model the host lacks is `.unsupportedByHost(version, ENODEV)`, from the probe and
    /// from creation alike.
    static func unsupported(_ version: GICVersion, _ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 1) { vm, _ throws(VGICError) in
            if try VGIC.isSupported(version, on: vm) { return .skip("host offers \(version)") }
            var checks = VGICInitChecks()
            checks.refused("create \(version)", { error in
                if case .unsupportedByHost(let v, let kvm) = error { return v == version && kvm?.errno == .ENODEV }
                return false
            }) { () throws(VGICError) in
                _ = try VGIC.createUninitialised(on: vm, version: version)
            }
            return checks.outcome
        }
    }

    /// The GRP_ADDR meaning of an errno, for the ITS device driven directly.
    static func refusal(_ error: KVMError) -> VGICError.AddressRefusal {
        switch error.errno {
        case .E2BIG?: .beyondIPA
        case .EEXIST?: .alreadySet
        case .ENXIO?: .wrongModel
        case .ENOENT?: .noSuchRegion
        default: .rejected
        }
    }
}

extension VirtualMachine {
    /// Whether the host offers an ITS (probe only).
    func canCreateITS() throws(VGICError) -> Bool {
        do throws(KVMError) { return try canCreate(.vgicITS) } catch { throw .kernel(error) }
    }
}
