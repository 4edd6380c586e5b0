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
