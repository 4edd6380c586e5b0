import GICModel
import GICVocabulary
import Testing

/// `KVM_IRQ_LINE` decoding and refusals (`kvm_vm_ioctl_irq_line`, GICVocabulary.docc/InterruptNumbers.md).
@Suite("KVM_IRQ_LINE")
struct IRQLineTests {
    /// Raw words: (word, expected errno).
    static let words: [(UInt32, KernelErrno?)] = [
        (0x0100_0020, nil),         // SPI 32
        (0x0100_00FF, nil),         // SPI 255, the last with NR_IRQS 256
        (0x0100_0100, .EINVAL),     // SPI 256: no such interrupt
        (0x0100_001F, .EINVAL),     // SPI number below 32
        (0x0100_2000, .EINVAL),     // an LPI number: no vgic_irq
        (0x0103_0028, nil),         // SPI 40 with vCPU fields set: ignored
        (0x0200_0010, nil),         // PPI 16 on vCPU 0
        (0x0203_001F, nil),         // PPI 31 on vCPU 3
        (0x0204_001B, .EINVAL),     // vCPU 4 does not exist
        (0x1200_001B, .EINVAL),     // vcpu2_index 1: vCPU 256
        (0x0200_000F, .EINVAL),     // SGI number through type PPI
        (0x0200_0020, .EINVAL),     // 32 through type PPI
        (0x0000_0000, .ENXIO),      // type CPU with an in-kernel GIC
        (0x0300_0020, .EINVAL),     // type 3
        (0x0F00_0020, .EINVAL),     // type 15
    ]

    @Test("each word fails (or not) with the kernel's errno", arguments: words)
    func refusals(word: UInt32, expected: KernelErrno?) {
        var model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.setLine(IRQLineWord(rawValue: word), level: true) } == expected)
    }

    @Test("a refused line changes nothing")
    func refusedChangesNothing() {
        var model = makeModel()
        let before = model
        for (word, expected) in Self.words where expected != nil {
            _ = errno { () throws(ModelRefusal) in try model.setLine(IRQLineWord(rawValue: word), level: true) }
        }
        #expect(model == before)
    }

    @Test("a PPI word targets the vCPU by id, not by affinity")
    func ppiByID() throws {
        let affinities = [Affinity(aff1: 1, aff0: 7), Affinity(aff2: 2, aff0: 0)]
        var model = GICv3Model(configuration: GICv3ModelConfiguration(vcpuAffinities: affinities))
        try model.setLine(IRQLineWord(rawValue: 0x0201_001E), level: true)
        #expect(try model.readLineLevels(LevelInfoSelector(affinity: affinities[1], firstINTID: 0)) == 1 << 30)
        #expect(try model.readLineLevels(LevelInfoSelector(affinity: affinities[0], firstINTID: 0)) == 0)
    }

    @Test("a level-1 line on an edge PPI latches it; level 0 leaves the latch")
    func edgeViaLevelInfoSwitch() throws {
        var model = makeModel(mutations: .privateConfigWritable)
        try model.writeRedistributor(cpu(0), offset: 0x1_0C04, 0x2)  // PPI 16 edge (mutation only)
        try model.setLine(IRQLineWord(rawValue: 0x0200_0010), level: true)
        try model.setLine(IRQLineWord(rawValue: 0x0200_0010), level: false)
        #expect(try model.readRedistributor(cpu(0), offset: 0x1_0200) == bit(16))
    }
}
