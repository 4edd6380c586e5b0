import GICVocabulary
import KVM
import VGIC

/// Ports of the userspace-visible assertions of the kernel selftests `vgic_v5.c` and the GICv5
/// part of `no-vgic.c` (Conformance.docc/KernelSelftests.md) that need no running guest, plus the
/// userspace-visible rules of the 7.1 code they exercise (`arm.c` `kvm_vm_ioctl_irq_line`,
/// `vgic-kvm-device.c` `vgic_v5_*_attr`, `vgic-init.c`), each checked through the typed VGIC
/// API so the `VGICError` is checked, not only the errno.
///
/// Every scenario but `unsupported_typed_error` skips with "host has no GICv5 (KVM_CREATE_DEVICE
/// test: ENODEV)" where `canCreate(.v5)` is false, which is every host the lab can emulate; on
/// GICv5 hardware they run unchanged. `unsupported_typed_error` is the other side: it passes
/// where creation is refused with the typed error, and skips on a GICv5 host.
extension ScenarioCatalog {
    public static var vgicV5: [Scenario] {
        [
            Scenario("vgic_v5.unsupported_typed_error") { context in VGICv5Scenarios.unsupportedTypedError(context) },
            Scenario("vgic_v5.kvm_device") { context in VGICv5Scenarios.kvmDevice(context) },
            Scenario("vgic_v5.ppis.create_vcpus_init") { context in VGICv5Scenarios.createThenVCPUsThenInit(context) },
            Scenario("vgic_v5.ppis.userspace_sw_ppi") { context in VGICv5Scenarios.userspaceSWPPI(context) },
            Scenario("vgic_v5.ppis.irq_line_sw_ppi") { context in VGICv5Scenarios.irqLineSWPPI(context) },
            Scenario("vgic_v5.irq_line.outside_mask") { context in VGICv5Scenarios.outsideMask(context) },
            Scenario("vgic_v5.irq_line.before_init") { context in VGICv5Scenarios.beforeInit(context) },
            Scenario("vgic_v5.irq_line.spi") { context in VGICv5Scenarios.spi(context) },
            Scenario("vgic_v5.device_attrs") { context in VGICv5Scenarios.deviceAttributes(context) },
            Scenario("vgic_v5.max_vcpus") { context in VGICv5Scenarios.maxVCPUs(&context) },
            Scenario("vgic_v5.idreg_gcie") { context in VGICv5Scenarios.idRegisterGCIE(context) },
            Scenario("vgic_v5.no_vgic.gcie_probe") { context in VGICv5Scenarios.noVGICProbe(context) },
        ]
    }
}

enum VGICv5Scenarios {
    /// On a host without GICv5: the probe says no, and both creation paths throw
    /// `.unsupportedByHost(.v5, ENODEV)`, whose text says "not supported by this host".
    static func unsupportedTypedError(_ context: ScenarioContext) -> Outcome {
        VGICInitLab.withVM(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            if try vm.canCreate(.v5) { return .skip("host offers GICv5: creation is not refused here") }
            var checks = VGICInitChecks()
            checks.check("HostProbe says vgic-v5 cannot be created", (try? HostProbe.probe(interface: context.kernel)).map { !$0.canCreate(.vgicV5) } ?? false)
            var description = ""
            checks.refused("createUninitialised(.v5)", Expect.unsupported(.v5)) { () throws(VGICError) in
                do throws(VGICError) {
                    _ = try VGIC.createUninitialised(on: vm, version: .v5)
                } catch {
                    description = error.description
                    throw error
                }
            }
            checks.check("the error says \"not supported by this host\"", VGICv5Lab.mentions(description, "not supported by this host"))
            checks.refused("create(.v5) with its vCPU", Expect.unsupported(.v5)) { () throws(VGICError) in
                _ = try VGIC.create(on: vm, configuration: .v5, vcpus: vcpus)
            }
            return checks.outcome
        }
    }

    /// vgic_v5.c `test_kvm_device`: type 0 is not creatable (ENODEV in test mode), V5 is, and a
    /// second V5 is `.alreadyExists` (EEXIST).
    static func kvmDevice(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, _ throws(VGICError) in
            var checks = VGICInitChecks()
            checks.check("type 0 not creatable", (try? vm.canCreate(DeviceType(rawValue: 0))) == false)
            let first = try VGIC.createUninitialised(on: vm, version: .v5)
            checks.check("created a GICv5", first.version == .v5)
            checks.refused("second vgic-v5", Expect.alreadyExists) { () throws(VGICError) in
                _ = try VGIC.createUninitialised(on: vm, version: .v5)
            }
            return checks.outcome
        }
    }

    /// vgic_v5.c `test_vgic_v5_ppis` setup: the device on a VM without vCPUs, then the vCPU,
    /// then CTRL_INIT, with no address and no NR_IRQS. And `kvm_arch_vcpu_precreate`: a vCPU
    /// after CTRL_INIT is EBUSY.
    static func createThenVCPUsThenInit(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 0) { vm, _ throws(VGICError) in
            var checks = VGICInitChecks()
            var gic = try VGIC.createUninitialised(on: vm, version: .v5)
            checks.succeeds("vCPU 0 after the device") { () throws(VGICError) in _ = try VGICInitLab.addVCPU(vm, id: 0) }
            checks.succeeds("CTRL_INIT without addresses") { () throws(VGICError) in try gic.initialise() }
            checks.check("initialised", gic.isInitialised)
            checks.refused("vCPU 1 after CTRL_INIT", Expect.kernel(.EBUSY)) { () throws(VGICError) in
                _ = try VGICInitLab.addVCPU(vm, id: 1)
            }
            return checks.outcome
        }
    }

    /// vgic_v5.c: after CTRL_INIT, `USERSPACE_PPIS` has the SW_PPI (bit 3 of word 0); the
    /// mask `initialise` kept is the one a fresh read returns.
    static func userspaceSWPPI(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let gic = try VGIC.create(on: vm, configuration: .v5, vcpus: vcpus)
            let read = try gic.userspacePPIs()
            checks.check("SW_PPI drivable by userspace (got \(read))", read.contains(.swPPI))
            checks.check("bit 3 of word 0", read.low & (1 << 3) != 0)
            checks.check("the mask kept at init is the kernel's", gic.drivablePPIs == read)
            return checks.outcome
        }
    }

    /// vgic_v5.c host loop: `KVM_IRQ_LINE(PPI, 3)` level 1, then level 0, both accepted (the
    /// guest half, which takes the interrupt, needs GICv5 hardware running a guest).
    static func irqLineSWPPI(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let gic = try VGIC.create(on: vm, configuration: .v5, vcpus: vcpus)
            for _ in 0..<2 {
                checks.succeeds("SW_PPI high") { () throws(VGICError) in try gic.setLevel(.swPPI, on: vcpus[0], true) }
                checks.succeeds("SW_PPI low") { () throws(VGICError) in try gic.setLevel(.swPPI, on: vcpus[0], false) }
            }
            return checks.outcome
        }
    }

    /// arm.c: a PPI outside `USERSPACE_PPIS` is EINVAL. The typed API refuses CNTV (27, the
    /// KVM-owned virtual timer) before the ioctl; sent raw, the kernel says EINVAL, and EINVAL
    /// for PPI 64 (7.1 keeps 64 PPIs).
    static func outsideMask(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let gic = try VGIC.create(on: vm, configuration: .v5, vcpus: vcpus)
            guard let drivable = gic.drivablePPIs else { return .fail("USERSPACE_PPIS was not readable after CTRL_INIT") }
            if drivable.contains(.cntv) { return .skip("this kernel lets userspace drive CNTV: \(drivable)") }
            checks.refused("typed CNTV", Expect.configuration(.ppiNotDrivable(.cntv, drivable: drivable))) { () throws(VGICError) in
                try gic.setLevel(.cntv, on: vcpus[0], true)
            }
            checks.refused("raw CNTV word: EINVAL", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                try gic.setLine(.gicv5PPI(.cntv, vcpu: .zero), true)
            }
            let ppi64 = try VGICv5Scenarios.ppi(64)
            if !drivable.contains(ppi64) {
                checks.refused("raw PPI 64 word: EINVAL", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                    try gic.setLine(.gicv5PPI(ppi64, vcpu: .zero), true)
                }
            }
            return checks.outcome
        }
    }

    /// Before CTRL_INIT: the typed API refuses PPIs, SPIs and `USERSPACE_PPIS` without an
    /// ioctl. Sent raw, 7.1 answers EINVAL for the SW_PPI (the mask check in arm.c comes before
    /// `vgic_lazy_init`, and the mask is empty until init; the EBUSY other models give does not hold
    /// for GICv5 PPIs) and EBUSY (`.notInitialised`) for an SPI.
    static func beforeInit(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let gic = try VGIC.createUninitialised(on: vm, version: .v5)
            let first = Expect.configuration(.initialiseFirst(.v5))
            checks.refused("typed SW_PPI", first) { () throws(VGICError) in try gic.setLevel(.swPPI, on: vcpus[0], true) }
            checks.refused("typed SPI 0", first) { () throws(VGICError) in try gic.setLevel(gicv5SPI: 0, true) }
            checks.refused("typed USERSPACE_PPIS", first) { () throws(VGICError) in _ = try gic.userspacePPIs() }
            checks.refused("raw SW_PPI word: EINVAL (mask empty until init)", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                try gic.setLine(.gicv5PPI(.swPPI, vcpu: .zero), true)
            }
            checks.refused("raw SPI 0 word: EBUSY", Expect.notInitialised) { () throws(VGICError) in
                try gic.setLine(.gicv5SPI(id: 0), true)
            }
            return checks.outcome
        }
    }

    /// arm.c / vgic.c: Linux 7.1 has no GICv5 SPIs, so an SPI after init is EINVAL; the typed
    /// API knows (the device answers no NR_IRQS) and refuses before the ioctl.
    static func spi(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let gic = try VGIC.create(on: vm, configuration: .v5, vcpus: vcpus)
            if gic.acceptsGICv5SPIs { return .skip("this kernel's GICv5 answers HAS NR_IRQS: SPIs are taken to be supported") }
            checks.refused("typed SPI 32", Expect.configuration(.gicv5SPIsUnsupported)) { () throws(VGICError) in
                try gic.setLevel(gicv5SPI: 32, true)
            }
            checks.refused("raw SPI 32 word: EINVAL", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                try gic.setLine(.gicv5SPI(id: 32), true)
            }
            return checks.outcome
        }
    }

    /// vgic-kvm-device.c (7.1): the V5 device takes only GRP_CTRL. HAS of CTRL_INIT and
    /// USERSPACE_PPIS is true; SET of USERSPACE_PPIS and GET of CTRL_INIT are ENXIO; before init
    /// the mask reads empty; every other group is unknown (HAS false, SET ENXIO); and the typed
    /// API refuses a frame address before the ioctl.
    static func deviceAttributes(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let device: Device
            do throws(KVMError) { device = try vm.createDevice(.vgicV5) } catch { return .fail("create: \(error)") }
            // Local functions, not closures, reach the device: closures may not capture it.
            func has<Value>(_ attribute: DeviceAttribute<Value>) -> Bool? { try? device.has(attribute) }
            func setMask() throws(VGICError) {
                do throws(KVMError) { try device.set(.userspacePPIs, to: GICv5PPISet(low: 1 << 3, high: 0)) } catch { throw .kernel(error) }
            }
            func getInit() throws(VGICError) {
                do throws(KVMError) { _ = try device.get(.control(.initialize)) } catch { throw .kernel(error) }
            }
            func setDistributor() throws(VGICError) {
                do throws(KVMError) { try device.set(.address(.v3Distributor), to: 0) } catch { throw .kernel(error) }
            }
            checks.check("HAS CTRL_INIT", has(.control(.initialize)) == true)
            checks.check("HAS USERSPACE_PPIS", has(.userspacePPIs) == true)
            let before: GICv5PPISet?
            do throws(KVMError) { before = try device.get(.userspacePPIs) } catch { before = nil }
            checks.check("USERSPACE_PPIS before init reads empty", before == GICv5PPISet())
            checks.refused("SET USERSPACE_PPIS: ENXIO", Expect.kernel(.ENXIO)) { () throws(VGICError) in try setMask() }
            checks.refused("GET CTRL_INIT: ENXIO", Expect.kernel(.ENXIO)) { () throws(VGICError) in try getInit() }
            let addresses: [AddressType] = [.v2Distributor, .v3Distributor, .v3Redistributor, .its, .v3RedistributorRegion]
            for type in addresses {
                checks.check("HAS ADDR \(type.rawValue) is false", has(.address(type)) == false)
            }
            let vcpu0 = Affinity(aff0: 0)
            checks.check("HAS NR_IRQS is false", has(.nrIRQs) == false)
            checks.check("HAS MAINT_IRQ is false", has(.maintenanceIRQ) == false)
            checks.check("HAS GICD_CTLR is false", has(.distributorRegister(RegisterAttr(affinity: vcpu0, register: .gicdCTLR))) == false)
            checks.check("HAS GICR_CTLR is false", has(.redistributorRegister(RegisterAttr(affinity: vcpu0, register: .gicrCTLR))) == false)
            checks.check("HAS CPU_SYSREGS ICC_PMR_EL1 is false", has(.cpuSysreg(vcpu0, ICCRegister.iccPMR.encoding)) == false)
            if let levels = try? LevelInfoSelector(affinity: vcpu0, firstINTID: 0) {
                checks.check("HAS LEVEL_INFO is false", has(.levelInfo(levels)) == false)
            }
            checks.refused("SET ADDR DIST: ENXIO", Expect.kernel(.ENXIO)) { () throws(VGICError) in try setDistributor() }
            return checks.outcome
        }
    }

    /// vgic-init.c (7.1): a GICv5 serves `min(VGIC_V5_MAX_CPUS = 512, host limit)` vCPUs.
    /// `VGIC.maxVCPUs` before creation equals `KVM_CAP_MAX_VCPUS` after it.
    static func maxVCPUs(_ context: inout ScenarioContext) -> Outcome {
        var figure: Int64 = 0
        let outcome = VGICv5Lab.onGICv5Host(context, vcpus: 1) { vm, _ throws(VGICError) in
            var checks = VGICInitChecks()
            let predicted = try VGIC.maxVCPUs(.v5, on: vm)
            let gic = try VGIC.createUninitialised(on: vm, version: .v5)
            let answer: Int
            do throws(KVMError) { answer = try vm.checkExtension(.maxVCPUs) } catch { throw .kernel(error) }
            figure = Int64(answer)
            checks.check("KVM_CAP_MAX_VCPUS \(answer) == predicted \(predicted)", answer == predicted)
            checks.check("at most VGIC_V5_MAX_CPUS (512)", answer >= 1 && answer <= GICVersion.v5.maxVCPUs)
            checks.check("created a GICv5", gic.version == .v5)
            return checks.outcome
        }
        if figure > 0 { context.record("max_vcpus", figure, unit: "vcpus") }
        return outcome
    }

    /// vgic-init.c (7.1): creating a GICv5 advertises the GICv5 CPU interface to the guest,
    /// `ID_AA64PFR2_EL1.GCIE == 1`, as userspace reads it from a vCPU.
    static func idRegisterGCIE(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 0) { vm, _ throws(VGICError) in
            let gic = try VGIC.createUninitialised(on: vm, version: .v5)
            let pfr2 = try VGICv5Lab.readRegister(VGICv5Lab.idAA64PFR2, ofNewVCPU: 0, on: vm)
            let gcie = VGICv5Lab.gcie(pfr2)
            _ = gic.version
            return gcie == 1 ? .pass("ID_AA64PFR2_EL1 \(hex(pfr2)), GCIE 1") : .fail("ID_AA64PFR2_EL1.GCIE is \(gcie), expected 1")
        }
    }

    /// no-vgic.c `main`: on a VM without any GIC, userspace reads `ID_AA64PFR2_EL1.GCIE != 0`
    /// exactly on a GICv5 host, which is how that test decides to run its GICv5 half (the half
    /// itself, GCIE hidden and every GICv5 instruction UNDEF in the guest, needs a running guest).
    static func noVGICProbe(_ context: ScenarioContext) -> Outcome {
        VGICv5Lab.onGICv5Host(context, vcpus: 0) { vm, _ throws(VGICError) in
            let pfr2 = try VGICv5Lab.readRegister(VGICv5Lab.idAA64PFR2, ofNewVCPU: 0, on: vm)
            let gcie = VGICv5Lab.gcie(pfr2)
            return gcie != 0 ? .pass("ID_AA64PFR2_EL1.GCIE \(gcie) on a GICv5 host") : .fail("GCIE is 0 on a host that creates vgic-v5")
        }
    }

    /// GICv5 PPI `id`, for numbers known to be in range.
    static func ppi(_ id: UInt32) throws(VGICError) -> GICv5PPI {
        do throws(GICValueError) { return try GICv5PPI(id: id) } catch { throw .configuration(.invalidValue(error)) }
    }
}
