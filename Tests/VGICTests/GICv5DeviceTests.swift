import GICVocabulary
import KVM
import Testing
import VGIC

/// The vgic-v5 device path against a simulated Linux 7.1 GICv5 host (`GICv5KernelSimulator`):
/// the ioctl order, the USERSPACE_PPIS mask as a typed set, what is refused before the ioctl,
/// and how the kernel's own refusals are mapped when it refuses anyway.
@Suite("GICv5 device")
struct GICv5DeviceTests {
    /// `KVM_IRQ_LINE` word of a GICv5 PPI: type PPI (2) in bits 27:24, vCPU id in 23:16, the raw
    /// PPI number in 15:0 (not a GICv3 INTID, not a GICv5 INTID with its TYPE bits).
    static func ppiWord(_ number: UInt32, vcpu: UInt32) -> UInt64 { UInt64(2 << 24 | vcpu << 16 | number) }

    func isDevice(_ object: SyscallSimulator.Object?) -> Bool {
        if case .device = object { true } else { false }
    }

    @Test("create → every vCPU → CTRL_INIT: exactly this sequence, then USERSPACE_PPIS and the SPI probe")
    func kernelOrder() throws {
        let sim = GICv5KernelSimulator()
        let f = try VMFixture(sim, vcpus: 0)
        var gic = try VGIC.createUninitialised(on: f.vm, version: .v5)
        let vcpus = try identities(f.vm, count: 2)
        try gic.initialise()
        let ppis = DeviceAttribute<GICv5PPISet>.userspacePPIs.address
        #expect(same(steps(sim), [
            (.duplicate, nil, nil, nil),
            (.createDevice, nil, nil, nil),
            (.createVCPU, nil, nil, nil), (.mmap, nil, nil, nil), (.getOneReg, nil, nil, nil),
            (.createVCPU, nil, nil, nil), (.mmap, nil, nil, nil), (.getOneReg, nil, nil, nil),
            (.setDeviceAttr, .control, 0, nil),
            (.getDeviceAttr, .control, ppis.attr, nil),
            (.hasDeviceAttr, .nrIRQs, 0, nil),
        ]), "\(sim.calls)")
        #expect(ppis.attr == 5)
        #expect(sim.calls(.createDevice).map(\.attempt.argument) == [UInt64(DeviceType.vgicV5.rawValue)])
        // CTRL_INIT and both reads go to the device fd, not the VM.
        let deviceCalls = sim.calls.filter { $0.attempt.attribute != nil }
        #expect(deviceCalls.allSatisfy { isDevice(sim.objects[$0.fd]) })
        let (initialised, drivable, spis) = (gic.isInitialised, gic.drivablePPIs, gic.acceptsGICv5SPIs)
        #expect(initialised && drivable == [.swPPI] && !spis)
        #expect(vcpus.map(\.id) == [0, 1])
    }

    @Test("VGIC.create(.v5) with the vCPUs already there: the vCPU limit, the device, CTRL_INIT; no address, no NR_IRQS")
    func createConvenience() throws {
        let sim = GICv5KernelSimulator()
        let f = try VMFixture(sim, vcpus: 1)
        let gic = try VGIC.create(on: f.vm, configuration: .v5, vcpus: f.vcpus)
        #expect(same(steps(sim), [
            maxVCPUsQuery,
            (.duplicate, nil, nil, nil),
            (.createDevice, nil, nil, nil),
            (.setDeviceAttr, .control, 0, nil),
            (.getDeviceAttr, .control, 5, nil),
            (.hasDeviceAttr, .nrIRQs, 0, nil),
        ]), "\(sim.calls)")
        let drivable = gic.drivablePPIs
        #expect(drivable == [.swPPI])
    }

    static let masks: [(UInt64, UInt64, [UInt32])] = [
        (1 << 3, 0, [3]),
        (1 << 3 | 1 << 23, 0, [3, 23]),
        (1 << 0 | 1 << 63, 0, [0, 63]),
        (0, 1, [64]),
        (0, 1 << 63, [127]),
        (0, 0, []),
    ]

    @Test("USERSPACE_PPIS decodes into the typed set: word 0 is PPIs 0–63, word 1 is 64–127", arguments: masks)
    func maskDecoding(low: UInt64, high: UInt64, ids: [UInt32]) throws {
        let sim = GICv5KernelSimulator(mask: GICv5PPISet(low: low, high: high))
        let f = try VGICFixture(sim, gic: .created(.v5))
        let read = try f.vgic.userspacePPIs()
        #expect(read.map(\.id) == ids)
        #expect(read == GICv5PPISet(low: low, high: high))
        #expect(read.count == ids.count)
        let cached = f.vgic.drivablePPIs
        #expect(cached == read)
        for id in [UInt32(0), 3, 23, 63, 64, 127] {
            #expect(read.contains(try GICv5PPI(id: id)) == ids.contains(id), "PPI \(id)")
        }
    }

    @Test("raising and lowering SW_PPI: KVM_IRQ_LINE type PPI, raw number 3, the vCPU's id")
    func swPPILine() throws {
        let f = try VGICFixture(GICv5KernelSimulator(), vcpus: 2, mpidr: AccessTests.oddMPIDR, gic: .created(.v5))
        try f.vgic.setLevel(.swPPI, on: f.vcpus[1], true)
        try f.vgic.setLevel(.swPPI, on: f.vcpus[1], false)
        let lines = f.sim.calls(.irqLine)
        #expect(lines.map(\.attempt.argument) == [Self.ppiWord(3, vcpu: 1), Self.ppiWord(3, vcpu: 1)])
        #expect(Self.ppiWord(3, vcpu: 1) == 0x0201_0003)
        #expect(lines.map(\.value) == [1, 0])
        #expect(lines.allSatisfy { f.sim.objects[$0.fd] == .vm })
    }

    @Test("a PPI outside the USERSPACE_PPIS mask is refused before the ioctl", arguments: [UInt32(27), 30, 23, 0, 64, 127])
    func outsideMask(id: UInt32) throws {
        let f = try VGICFixture(GICv5KernelSimulator(), gic: .created(.v5))
        let ppi = try GICv5PPI(id: id)
        #expect(throws: VGICError.configuration(.ppiNotDrivable(ppi, drivable: [.swPPI]))) {
            try f.vgic.setLevel(ppi, on: f.vcpus[0], true)
        }
        #expect(f.sim.calls.isEmpty)
        // The kernel says the same when asked anyway: EINVAL, kept as `.kernel`.
        let word = IRQLineWord.gicv5PPI(ppi, vcpu: .zero)
        #expect(throws: VGICError.kernel(.kernel(.EINVAL, Attempt(.irqLine, argument: UInt64(word.rawValue))))) {
            try f.vgic.setLine(word, true)
        }
    }

    @Test("before CTRL_INIT, PPIs, SPIs and USERSPACE_PPIS are refused without an ioctl")
    func beforeInit() throws {
        let f = try VGICFixture(GICv5KernelSimulator(takesSPIs: true), gic: .uninitialised(.v5))
        #expect(throws: VGICError.configuration(.initialiseFirst(.v5))) { try f.vgic.setLevel(.swPPI, on: f.vcpus[0], true) }
        #expect(throws: VGICError.configuration(.initialiseFirst(.v5))) { try f.vgic.setLevel(gicv5SPI: 5, true) }
        #expect(throws: VGICError.configuration(.initialiseFirst(.v5))) { _ = try f.vgic.userspacePPIs() }
        #expect(f.sim.calls.isEmpty)
        // What 7.1 answers when asked anyway: the mask is empty until init, so a PPI is EINVAL
        // (the mask check comes first); an SPI reaches vgic_lazy_init, so EBUSY.
        let ppi = IRQLineWord.gicv5PPI(.swPPI, vcpu: .zero)
        #expect(throws: VGICError.kernel(.kernel(.EINVAL, Attempt(.irqLine, argument: UInt64(ppi.rawValue))))) {
            try f.vgic.setLine(ppi, true)
        }
        let spi = IRQLineWord.gicv5SPI(id: 5)
        #expect(throws: VGICError.notInitialised(.kernel(.EBUSY, Attempt(.irqLine, argument: UInt64(spi.rawValue))))) {
            try f.vgic.setLine(spi, true)
        }
    }

    @Test("an SPI on a kernel without GICv5 SPIs is refused before the ioctl; with them it is sent")
    func spis() throws {
        let without = try VGICFixture(GICv5KernelSimulator(takesSPIs: false), gic: .created(.v5))
        #expect(throws: VGICError.configuration(.gicv5SPIsUnsupported)) { try without.vgic.setLevel(gicv5SPI: 40, true) }
        #expect(without.sim.calls.isEmpty)
        let with = try VGICFixture(GICv5KernelSimulator(takesSPIs: true), gic: .created(.v5))
        let accepts = with.vgic.acceptsGICv5SPIs
        #expect(accepts)
        try with.vgic.setLevel(gicv5SPI: 40, true)
        try with.vgic.setLevel(gicv5SPI: 0xFFFF, false)
        // Type SPI, the raw ID, vCPU fields 0 (40 here is GICv5 SPI 40, not INTID 40).
        #expect(with.sim.calls(.irqLine).map(\.attempt.argument) == [UInt64(1 << 24 | 40), UInt64(1 << 24 | 0xFFFF)])
    }

    @Test("a line of the other GIC model is refused before the ioctl")
    func otherModelLines() throws {
        let v5 = try VGICFixture(GICv5KernelSimulator(), gic: .created(.v5))
        let spi = try SPI(intid: 40)
        let ppi = try PPI(intid: 27)
        #expect(throws: VGICError.configuration(.lineNotInModel(.spi(spi), .v5))) { try v5.vgic.setLevel(spi, true) }
        #expect(throws: VGICError.configuration(.lineNotInModel(.ppi(ppi, vcpu: .zero), .v5))) {
            try v5.vgic.setLevel(ppi, on: v5.vcpus[0], true)
        }
        #expect(v5.sim.calls.isEmpty)
        let v3 = try VGICFixture()
        #expect(throws: VGICError.configuration(.lineNotInModel(.gicv5PPI(.swPPI, vcpu: .zero), .v3))) {
            try v3.vgic.setLevel(.swPPI, on: v3.vcpus[0], true)
        }
        #expect(throws: VGICError.configuration(.lineNotInModel(.gicv5SPI(id: 1), .v3))) { try v3.vgic.setLevel(gicv5SPI: 1, true) }
        #expect(throws: VGICError.configuration(.userspacePPIsNotInModel(.v3))) { _ = try v3.vgic.userspacePPIs() }
        #expect(v3.sim.calls.isEmpty)
        let drivable = v3.vgic.drivablePPIs
        #expect(drivable == nil)
    }

    @Test("KVM_IRQ_LINE refused anyway: EINVAL stays .kernel with the word, EBUSY after init is vcpusRunning")
    func lineErrnos() throws {
        let f = try VGICFixture(GICv5KernelSimulator(), gic: .created(.v5))
        let word = UInt64(IRQLineWord.gicv5PPI(.swPPI, vcpu: .zero).rawValue)
        f.sim.failures = [(.irqLine, nil, .EINVAL)]
        #expect(throws: VGICError.kernel(.kernel(.EINVAL, Attempt(.irqLine, argument: word)))) {
            try f.vgic.setLevel(.swPPI, on: f.vcpus[0], true)
        }
        f.sim.failures = [(.irqLine, nil, .EBUSY)]
        #expect(throws: VGICError.vcpusRunning(.kernel(.EBUSY, Attempt(.irqLine, argument: word)))) {
            try f.vgic.setLevel(.swPPI, on: f.vcpus[0], true)
        }
    }

    @Test("device errnos: ENODEV unsupported, EEXIST already exists, E2BIG too many vCPUs", arguments: [
        (Errno.ENODEV, "unsupported"), (.EEXIST, "exists"), (.E2BIG, "tooMany"),
    ])
    func createErrnos(errno: Errno, expected: String) throws {
        let f = try VMFixture(GICv5KernelSimulator())
        f.sim.failures = [(.createDevice, nil, errno)]
        let kvmError = KVMError.kernel(errno, Attempt(.createDevice, argument: UInt64(DeviceType.vgicV5.rawValue)))
        let want: VGICError = switch expected {
        case "unsupported": .unsupportedByHost(.v5, kvmError)
        case "exists": .alreadyExists(kvmError)
        default: .tooManyVCPUs(kvmError)
        }
        #expect(throws: want) { _ = try VGIC.createUninitialised(on: f.vm, version: .v5) }
    }

    @Test("a second vgic-v5 on the same VM is alreadyExists (the kernel's EEXIST)")
    func secondDevice() throws {
        let f = try VGICFixture(GICv5KernelSimulator(), gic: .uninitialised(.v5))
        do {
            _ = try VGIC.createUninitialised(on: f.vm, version: .v5)
            Issue.record("expected EEXIST")
        } catch {
            guard case .alreadyExists(let kernel) = error else { Issue.record("got \(error)"); return }
            #expect(kernel.errno == .EEXIST)
        }
    }

    @Test("CTRL_INIT EINVAL (a nested-virt vCPU, vgic_v5_init) stays .kernel and leaves the vgic uninitialised")
    func initRefused() throws {
        let f = try VGICFixture(GICv5KernelSimulator(), gic: .uninitialised(.v5))
        f.sim.failures = [(.setDeviceAttr, .control, .EINVAL)]
        #expect(throws: VGICError.kernel(.kernel(.EINVAL, Attempt(.setDeviceAttr, attribute: AttributeAddress(group: .control, attr: 0))))) {
            try f.vgic.initialise()
        }
        let (initialised, drivable) = (f.vgic.isInitialised, f.vgic.drivablePPIs)
        #expect(!initialised && drivable == nil)
        #expect(f.sim.calls(.getDeviceAttr).isEmpty)
    }

    @Test("a kernel without the USERSPACE_PPIS attribute (ENXIO): init succeeds, PPIs go to the kernel unchecked")
    func noMaskAttribute() throws {
        let sim = GICv5KernelSimulator()
        sim.failures = [(.getDeviceAttr, .control, .ENXIO)]
        let f = try VGICFixture(sim, gic: .created(.v5))
        let (initialised, drivable) = (f.vgic.isInitialised, f.vgic.drivablePPIs)
        #expect(initialised && drivable == nil)
        try f.vgic.setLevel(.swPPI, on: f.vcpus[0], true)
        #expect(throws: VGICError.kernel(.kernel(.EINVAL, Attempt(.irqLine, argument: Self.ppiWord(27, vcpu: 0))))) {
            try f.vgic.setLevel(.cntv, on: f.vcpus[0], true)
        }
    }

    @Test("a host without GICv5: canCreate(.v5) is false and creation throws unsupportedByHost(ENODEV)")
    func hostWithoutGICv5() throws {
        let f = try VMFixture(SyscallSimulator(), vcpus: 1)
        #expect(try !f.vm.canCreate(.v5))
        #expect(try f.vm.canCreate(.v3))
        let enodev = KVMError.kernel(.ENODEV, Attempt(.createDevice, argument: UInt64(DeviceType.vgicV5.rawValue)))
        #expect(throws: VGICError.unsupportedByHost(.v5, enodev)) { _ = try VGIC.createUninitialised(on: f.vm, version: .v5) }
        #expect(throws: VGICError.unsupportedByHost(.v5, enodev)) {
            _ = try VGIC.create(on: f.vm, configuration: .v5, vcpus: f.vcpus)
        }
        #expect(VGICError.unsupportedByHost(.v5, enodev).description.hasPrefix("GICv5 is not supported by this host"))
        #expect(!f.sim.objects.values.contains { isDevice($0) })
    }
}
