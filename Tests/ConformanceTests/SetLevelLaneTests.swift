@testable import Conformance
import GICVocabulary
import VGIC
import Testing

@Suite("reliability.set_level_threads plan")
struct SetLevelLaneTests {
    @Test("lanes own disjoint lines: SPIs of one ISPENDR word, PPIs clear of the timers'")
    func disjointLines() {
        var spis: Set<UInt32> = []
        for lane in 0..<ReliabilityScenarios.laneCount {
            for offset in 0..<SetLevelLane.spiCount { spis.insert(SetLevelLane.spi(lane: lane, offset: offset)) }
        }
        #expect(spis.count == Int(ReliabilityScenarios.laneCount * SetLevelLane.spiCount))
        #expect(spis.allSatisfy { $0 / 32 == 1 })
        let ppis = (Int(SetLevelLane.spiCount)..<SetLevelLane.slotCount).map(SetLevelLane.ppi(slot:))
        #expect(ppis == [20, 21, 22, 23])
        #expect(Set(ppis).isDisjoint(with: [26, 27, 30]))
    }

    @Test("prediction: quiet edge SPI never latched, edge lines read no line, level lines both ways")
    func prediction() {
        var levelLines: Set<Bool> = []
        for lane in 0..<ReliabilityScenarios.laneCount {
            let plan = SetLevelLane(
                lane: lane, vcpu: VCPUIdentity(id: lane, affinity: Affinity(aff0: UInt8(lane))),
                seed: ReliabilityScenarios.seed &+ UInt64(lane), steps: ReliabilityScenarios.stepsPerLane)
            let expected = plan.prediction()
            #expect(expected.count == SetLevelLane.slotCount)
            #expect(expected[Int(SetLevelLane.quietOffset)] == (line: false, latch: false))
            for slot in 0..<SetLevelLane.slotCount {
                let edge = slot < Int(SetLevelLane.spiCount) && SetLevelLane.isEdge(UInt32(slot))
                if edge { #expect(expected[slot].line == false) } else {
                    #expect(expected[slot].latch == false)
                    levelLines.insert(expected[slot].line)
                }
            }
        }
        // A plan whose level lines all end low (or all high) would not notice a dropped write.
        #expect(levelLines == [false, true])
    }
}
