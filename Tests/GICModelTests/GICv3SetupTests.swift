import GICModel
import GICVocabulary
import Testing

/// `GICv3Setup`: the vgic-v3 before CTRL_INIT, each refusal with its errno and in the kernel's
/// order, and the configuration CTRL_INIT hands the model.
@Suite("GICv3 setup (before CTRL_INIT)")
struct GICv3SetupTests {
    func refusal(_ body: () throws(ModelRefusal) -> Void) -> KernelErrno? {
        do throws(ModelRefusal) {
            try body()
            return nil
        } catch {
            return error.errno
        }
    }

    @Test("NR_IRQS: EINVAL is checked before EBUSY, and GET reads 32 until something fixes it")
    func interruptCount() {
        var setup = GICv3Setup(ipaBits: 40)
        #expect(setup.reportedInterruptCount == 32)
        #expect(refusal { () throws(ModelRefusal) in try setup.setInterruptCount(1000) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setInterruptCount(992) } == nil)
        #expect(refusal { () throws(ModelRefusal) in try setup.setInterruptCount(33) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setInterruptCount(64) } == .EBUSY)
        #expect(setup.reportedInterruptCount == 992)
    }

    @Test("vgic_check_iorange: EEXIST, then alignment (EINVAL), then the IPA space (E2BIG), half a frame included")
    func distributorRange() {
        var setup = GICv3Setup(ipaBits: 32)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 2, 0x1_0000_0000) } == .E2BIG)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 2, 0xFFFF_8000) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 2, 0xFFFF_0000) } == nil)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 2, 0x1234) } == .EEXIST)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 0, 0) } == .ENXIO)
        var small = GICv3Setup(ipaBits: 32)
        // A legacy block's first redistributor is two 64 KiB frames: half of it beyond the IPA space is E2BIG.
        #expect(refusal { () throws(ModelRefusal) in try small.setAddress(type: 3, 0xFFFF_0000) } == .E2BIG)
    }

    @Test("regions: index 0 first, then last + 1; no mixing with a legacy block; a second legacy block is EEXIST")
    func regions() {
        func word(count: UInt64, base: UInt64, index: UInt64) -> UInt64 { count << 52 | base | index }
        var setup = GICv3Setup(ipaBits: 40)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 5, word(count: 1, base: 0x10_0000, index: 1)) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 5, word(count: 0, base: 0x10_0000, index: 0)) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 5, word(count: 2, base: 0x10_0000, index: 0)) } == nil)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 5, word(count: 1, base: 0x12_0000, index: 1)) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 3, 0x40_0000) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.setAddress(type: 5, word(count: 1, base: 0x14_0000, index: 1)) } == nil)
        #expect(refusal { () throws(ModelRefusal) in _ = try setup.address(type: 5, request: 2) } == .ENOENT)
        #expect((try? setup.address(type: 5, request: 1)) == word(count: 1, base: 0x14_0000, index: 1))
        var legacy = GICv3Setup(ipaBits: 40)
        #expect(legacy.redistributorLayout == .unplaced, "no redistributor address yet")
        #expect(refusal { () throws(ModelRefusal) in try legacy.setAddress(type: 3, 0x40_0000) } == nil)
        #expect(refusal { () throws(ModelRefusal) in try legacy.setAddress(type: 3, 0x80_0000) } == .EEXIST)
        #expect(refusal { () throws(ModelRefusal) in try legacy.setAddress(type: 5, word(count: 1, base: 0x10_0000, index: 1)) } == .EINVAL)
        #expect(legacy.redistributorLayout == .legacy)
        #expect(setup.redistributorLayout == .regions([
            RedistributorLayout.Region(base: 0x10_0000, count: 2), RedistributorLayout.Region(base: 0x14_0000, count: 1),
        ]))
    }

    @Test("before CTRL_INIT, 6.12 answers every DIST_REGS access EBUSY, GICD_IIDR and GICD_TYPER2 included")
    func identificationBeforeInit612() {
        var setup = GICv3Setup(ipaBits: 40)
        for offset: UInt32 in [0x0, 0x8, 0xC] {
            #expect(refusal { () throws(ModelRefusal) in _ = try setup.readDistributor(offset: offset, kernel: .debian6_12) } == .EBUSY)
            #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: offset, 0, kernel: .debian6_12) } == .EBUSY)
        }
    }

    @Test("before CTRL_INIT, 7.x lets GICD_IIDR and GICD_TYPER2 through: the revision written is kept for CTRL_INIT, nASSGIcap cannot be set on these hosts")
    func identificationBeforeInit7() throws {
        var setup = GICv3Setup(ipaBits: 40)
        #expect(refusal { () throws(ModelRefusal) in _ = try setup.readDistributor(offset: 0x0, kernel: .linux7) } == .EBUSY,
            "GICD_CTLR is not one of them")
        #expect(try setup.readDistributor(offset: 0x8, kernel: .linux7) == 0x4B00_343B)
        #expect(try setup.readDistributor(offset: 0xC, kernel: .linux7) == 0)
        #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: 0xC, 0, kernel: .linux7) } == nil)
        #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: 0xC, 1 << 8, kernel: .linux7) } == .EINVAL,
            "nASSGIcap needs GICv4.1 direct SGIs")
        #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: 0x8, 0x4C00_343B, kernel: .linux7) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: 0x8, 0x4B00_443B, kernel: .linux7) } == .EINVAL)
        #expect(refusal { () throws(ModelRefusal) in try setup.writeDistributor(offset: 0x8, 0x4B00_243B, kernel: .linux7) } == nil)
        #expect(try setup.readDistributor(offset: 0x8, kernel: .linux7) == 0x4B00_243B)
        let initialised = setup.initialise(
            vcpuAffinities: [.kvmResetDefault(vcpuID: 0)], hasITS: false, kernel: .linux7, host: .qemuMax)
        let configuration = try #require(initialised)
        #expect(configuration.implementationRevision == 2)
        let model = GICv3Model(configuration: configuration)
        #expect(model.readDistributor(offset: 0x8) == 0x4B00_243B)
        #expect(try model.readRedistributor(.kvmResetDefault(vcpuID: 0), offset: 0) == 0, "revision 2: no GICR_CTLR.{IR,CES}")
    }

    @Test("CTRL_INIT: NR_IRQS defaults to 256, vCPUs and registers are then fixed; a second CTRL_INIT changes nothing")
    func initialise() throws {
        var setup = GICv3Setup(ipaBits: 40)
        #expect(refusal { () throws(ModelRefusal) in try setup.checkInitialised() } == .EBUSY)
        #expect(refusal { () throws(ModelRefusal) in try setup.checkVCPUCreation() } == nil)
        let initialised = setup.initialise(
            vcpuAffinities: [.kvmResetDefault(vcpuID: 0)], hasITS: true, kernel: .debian6_12, host: .qemuMax)
        let configuration = try #require(initialised)
        #expect(configuration.interruptCount == 256 && configuration.hasITS && configuration.kernel == .debian6_12)
        #expect(setup.reportedInterruptCount == 256)
        #expect(refusal { () throws(ModelRefusal) in try setup.setInterruptCount(128) } == .EBUSY)
        #expect(refusal { () throws(ModelRefusal) in try setup.checkVCPUCreation() } == .EBUSY)
        #expect(refusal { () throws(ModelRefusal) in try setup.checkInitialised() } == nil)
        let again = setup.initialise(vcpuAffinities: [], hasITS: false, kernel: .linux7, host: .qemuMax)
        #expect(again == nil)
    }
}
