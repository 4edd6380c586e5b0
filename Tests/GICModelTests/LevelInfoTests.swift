import GICModel
import GICVocabulary
import Testing

/// LEVEL_INFO (`vgic_v3_line_level_info_uaccess`): the line levels that ISPENDR does not show.
@Suite("LEVEL_INFO")
struct LevelInfoTests {
    @Test("SGIs read 0 and ignore writes; PPI lines are per vCPU")
    func sgisIgnored() throws {
        var model = makeModel()
        try model.writeLineLevels(try lines(1, 0), 0xFFFF_FFFF)
        #expect(try model.readLineLevels(try lines(1, 0)) == 0xFFFF_0000)
        #expect(try model.readLineLevels(try lines(0, 0)) == 0)
    }

    @Test("an edge interrupt's line reads 0, but a write sets it and a switch to level shows it")
    func edgeLineHidden() throws {
        var model = makeModel()
        try model.writeLineLevels(try lines(0, 32), 0x1)
        #expect(try model.readLineLevels(try lines(0, 32)) == 0)
        try model.writeDistributor(offset: try doffset(.gicdICFGR, 32), 0xAAAA_AAA8)
        #expect(try model.readLineLevels(try lines(0, 32)) == 0x1)
        #expect(model.interrupt(32, vcpu: 0).isPending)
    }

    @Test("SPI line levels are global: any vCPU's selector reads and writes the same lines")
    func spiLinesGlobal() throws {
        var model = makeModel()
        try model.writeDistributor(offset: try doffset(.gicdICFGR, 64), 0)
        try model.writeLineLevels(try lines(3, 64), 0x5)
        #expect(try model.readLineLevels(try lines(0, 64)) == 0x5)
    }

    @Test("INTIDs at or above NR_IRQS read 0 and ignore writes")
    func beyondNRIRQs() throws {
        var model = makeModel(interruptCount: 64)
        try model.writeLineLevels(try lines(0, 64), 0xFFFF_FFFF)
        #expect(try model.readLineLevels(try lines(0, 64)) == 0)
        #expect(try model.readLineLevels(try lines(0, 992)) == 0)
    }

    @Test("the selector must name a vCPU, info must be 0 and vINTID a multiple of 32 (EINVAL)", arguments: [
        (UInt64(0x0000_0000_0000_0020), nil as KernelErrno?),
        (UInt64(0x0000_0005_0000_0020), .EINVAL),
        (UInt64(0x0000_0000_0000_0410), .EINVAL),
        (UInt64(0x0000_0000_0000_0021), .EINVAL),
    ])
    func refusals(attr: UInt64, expected: KernelErrno?) {
        var model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.readLineLevels(attr: attr) } == expected)
        #expect(errno { () throws(ModelRefusal) in try model.writeLineLevels(attr: attr, 1) } == expected)
    }

    @Test("HAS checks only the info field: a bad selector or alignment still exists")
    func has() {
        let model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.hasLineLevels(attr: 0x0000_0005_0000_0021) } == nil)
        #expect(errno { () throws(ModelRefusal) in try model.hasLineLevels(attr: 0x400) } == .ENXIO)
    }
}
