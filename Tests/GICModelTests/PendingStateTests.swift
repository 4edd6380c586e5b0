import GICModel
import GICVocabulary
import Testing

/// GICModel.docc/GICv3Behaviour.md transitions T1–T4, T9–T11 and vectors G3-01..13
/// (GICModel.docc/GICv3TestVectors.md), observed the way userspace
/// observes them: GICD_ISPENDR is the latch, LEVEL_INFO the line, ISACTIVER the active bit.
@Suite("Pending latch and line level")
struct PendingStateTests {
    static let level40 = try! SPI(intid: 40)
    static let edge41 = try! SPI(intid: 41)

    /// A model where SPI 40 is level-triggered and SPI 41 edge (as reset leaves SPIs).
    func model() throws -> GICv3Model {
        var model = makeModel()
        // ICFGR word for INTIDs 32–47: INTID 40 level (field 8 = 0b00), the rest edge.
        try model.writeDistributor(offset: try doffset(.gicdICFGR, 40), 0xAAAA_AAAA & ~(0x3 << 16))
        return model
    }

    func latch(_ model: GICv3Model, _ intid: UInt32) throws -> Bool {
        try dword(model, .gicdISPENDR, intid) & bit(intid) != 0
    }

    func line(_ model: GICv3Model, _ intid: UInt32) throws -> Bool {
        try model.readLineLevels(try lines(0, intid & ~31)) & bit(intid) != 0
    }

    @Test("G3-01 / T2: a level line 0→1 raises the line (pending), the latch stays 0")
    func levelLineRaises() throws {
        var model = try model()
        try model.setLine(.spi(Self.level40), level: true)
        #expect(try line(model, 40))
        #expect(try !latch(model, 40))
        #expect(model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("G3-02 / T4: ICPENDR through uaccess does not clear a high line; the interrupt stays pending")
    func cpendKeepsLine() throws {
        var model = try model()
        try model.setLine(.spi(Self.level40), level: true)
        try model.writeDistributor(offset: try doffset(.gicdICPENDR, 40), 0xFFFF_FFFF)
        #expect(try line(model, 40))
        #expect(model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("G3-03 / T3: an ISPENDR write sets the latch of a level interrupt whose line is low")
    func spendLatchesLevel() throws {
        var model = try model()
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 40), bit(40))
        #expect(try latch(model, 40))
        #expect(try !line(model, 40))
        #expect(model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("G3-04: after an ISPENDR write the latch holds through a line pulse 0→1→0")
    func latchHoldsThroughPulse() throws {
        var model = try model()
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 40), bit(40))
        try model.setLine(.spi(Self.level40), level: true)
        try model.setLine(.spi(Self.level40), level: false)
        #expect(try latch(model, 40))
        #expect(model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("G3-05: clearing the latch (uaccess ISPENDR write of 0) leaves a level interrupt with a low line idle")
    func latchCleared() throws {
        var model = try model()
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 40), bit(40))
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 40), 0)
        #expect(try !latch(model, 40))
        #expect(!model.interrupt(40, vcpu: 0).isPending)
    }

    @Test("G3-06 / T1: an edge interrupt latches on level 1, and LEVEL_INFO reads 0 for it")
    func edgeLatches() throws {
        var model = try model()
        try model.setLine(.spi(Self.edge41), level: true)
        #expect(try latch(model, 41))
        #expect(try !line(model, 41))
    }

    @Test("G3-07: an edge interrupt's latch survives level 0")
    func edgeLatchHolds() throws {
        var model = try model()
        try model.setLine(.spi(Self.edge41), level: true)
        try model.setLine(.spi(Self.edge41), level: false)
        #expect(try latch(model, 41))
    }

    @Test("G3-08: under KVM every level 1 on an edge interrupt is a new edge, even with no 0 in between")
    func everyLevelOneIsAnEdge() throws {
        var model = try model()
        try model.setLine(.spi(Self.edge41), level: true)
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 41), 0)  // as if acknowledged
        try model.setLine(.spi(Self.edge41), level: true)
        #expect(try latch(model, 41))
    }

    @Test("G3-09: level 0 on an edge interrupt changes nothing")
    func edgeLevelZeroIgnored() throws {
        var model = try model()
        let before = model
        try model.setLine(.spi(Self.edge41), level: false)
        #expect(model == before)
    }

    @Test("T2: an unchanged level on a level interrupt is ignored")
    func unchangedLevelIgnored() throws {
        var model = try model()
        try model.setLine(.spi(Self.level40), level: true)
        let before = model
        try model.setLine(.spi(Self.level40), level: true)
        #expect(model == before)
    }

    @Test("T11: a level interrupt whose latch is clear stops being pending when its line falls")
    func levelFalls() throws {
        var model = try model()
        try model.setLine(.spi(Self.level40), level: true)
        try model.setLine(.spi(Self.level40), level: false)
        #expect(!model.interrupt(40, vcpu: 0).isPending)
        #expect(try !line(model, 40))
    }

    @Test("G3-12/13 / T9: ISACTIVER sets active without touching pending; ICACTIVER clears it")
    func activeBits() throws {
        var model = try model()
        try model.writeDistributor(offset: try doffset(.gicdISPENDR, 41), bit(41))
        try model.writeDistributor(offset: try doffset(.gicdISACTIVER, 41), bit(41))
        #expect(try dword(model, .gicdISACTIVER, 41) & bit(41) != 0)
        #expect(try dword(model, .gicdICACTIVER, 41) & bit(41) != 0)
        #expect(try latch(model, 41))
        try model.writeDistributor(offset: try doffset(.gicdICACTIVER, 41), bit(41))
        #expect(try dword(model, .gicdISACTIVER, 41) & bit(41) == 0)
        #expect(try latch(model, 41))
    }

    @Test("T10: ICENABLER clears only enable; pending and active state keep changing")
    func disableKeepsState() throws {
        var model = try model()
        try model.writeDistributor(offset: try doffset(.gicdISENABLER, 41), bit(41))
        try model.writeDistributor(offset: try doffset(.gicdISACTIVER, 41), bit(41))
        try model.writeDistributor(offset: try doffset(.gicdICENABLER, 41), bit(41))
        try model.setLine(.spi(Self.edge41), level: true)
        #expect(try dword(model, .gicdISENABLER, 41) & bit(41) == 0)
        #expect(try latch(model, 41))
        #expect(model.interrupt(41, vcpu: 0).active)
    }

    @Test("a PPI's latch and line are per vCPU, in that vCPU's SGI frame and LEVEL_INFO word")
    func ppiPerVCPU() throws {
        var model = makeModel()
        let timer = try PPI(intid: 27)
        try model.setLine(.ppi(timer, vcpu: try VCPUIndex(2)), level: true)
        #expect(try model.readLineLevels(try lines(2, 0)) == bit(27))
        #expect(try model.readLineLevels(try lines(1, 0)) == 0)
        try model.writeRedistributor(cpu(3), offset: 0x1_0200, bit(27))
        #expect(try model.readRedistributor(cpu(3), offset: 0x1_0200) == bit(27))
        #expect(try model.readRedistributor(cpu(2), offset: 0x1_0200) == 0)
    }
}
