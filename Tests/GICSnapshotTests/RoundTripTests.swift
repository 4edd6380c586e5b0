import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC
import TestSupport

/// capture → restore into a fresh vgic → capture gives the same snapshot, and the simulated
/// kernel's whole model state (including what no attribute shows directly) matches the source's.
@Suite("Round trip on the simulated kernel")
struct RoundTripTests {
    @Test("random states survive capture, encoding and restore", arguments: Array(UInt64(100)..<UInt64(140)))
    func randomState(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var layout = TestLayout(
            vcpuIDs: Array(0..<UInt32(1 + random.below(4))), interruptCount: random.element([64, 96, 128, 256]),
            regions: random.below(2) == 0)
        if random.below(3) == 0 { layout.vcpuIDs = layout.vcpuIDs.map { $0 * 5 } }
        let source = simulatedKernel()
        let first = try withSimulatedVGIC(source, layout) { vgic, set in
            try applyRandomState(&random, operations: 20 + random.below(60), vgic, set.identities,
                interruptCount: layout.interruptCount)
            return try capture(vgic, &set)
        }
        let decoded = try GICSnapshot(decoding: first.encoded())
        #expect(decoded == first)
        let target = simulatedKernel()
        let second = try withSimulatedVGIC(target, layout) { vgic, set in
            var tally = AccessTally()
            if let error = restore(decoded, vgic, &set, tally: &tally) { throw error }
            return try capture(vgic, &set)
        }
        #expect(second == first, "seed \(seed)")
        // An edge interrupt's line level is invisible: LEVEL_INFO reports lines of level
        // interrupts only (`vgic_read_irq_line_level_info`), so no capture can carry it.
        let (sourceState, targetState) = (VisibleState(source.gicv3), VisibleState(target.gicv3))
        #expect(sourceState != nil)
        #expect(targetState?.distributor.spis == sourceState?.distributor.spis, "seed \(seed): SPI state")
        #expect(targetState?.redistributors == sourceState?.redistributors, "seed \(seed): private IRQs and CPU interfaces")
        #expect(targetState?.distributor.propbaser == sourceState?.distributor.propbaser
            && targetState?.distributor.enabled == sourceState?.distributor.enabled)
        #expect(targetState == sourceState, "seed \(seed): the whole distributor")
    }

    @Test("an asserted level SPI and PPI are pending through their line, and still pending after restore")
    func levelLines() throws {
        let layout = TestLayout(vcpuIDs: [0, 1], interruptCount: 128)
        let source = simulatedKernel()
        let snapshot = try withSimulatedVGIC(source, layout) { vgic, set in
            let vcpus = set.identities
            let config = try vgic.distributorRegister(.gicdICFGR, covering: 40)
            try vgic.setDistributorRegister(.gicdICFGR, index: 2, to: config & ~(UInt64(3) << 16))
            try vgic.setLevel(try SPI(intid: 40), true)
            try vgic.setLevel(try PPI(intid: 20), on: vcpus[1], true)
            return try capture(vgic, &set)
        }
        #expect(snapshot.bank(.distributor(.gicdISPENDR), in: .distributor)?[element: 1] == 0)
        #expect(snapshot.bank(.lineLevels, in: .distributor)?[element: 1] == 1 << 8)
        #expect(snapshot.bank(.lineLevels, in: .vcpu(1))?[element: 0] == 1 << 20)
        let target = simulatedKernel()
        try withSimulatedVGIC(target, layout) { vgic, set in
            var tally = AccessTally()
            if let error = restore(snapshot, vgic, &set, tally: &tally) { throw error }
            let vcpus = set.identities
            #expect(try vgic.lineLevel(of: 40, on: vcpus[0]))
            #expect(try vgic.lineLevel(of: 20, on: vcpus[1]))
        }
        let spi40 = target.gicv3?.interrupt(40, vcpu: 0)
        #expect(spi40?.line == true && spi40?.edge == false)
    }

    @Test("the tally counts every ioctl capture and restore issue")
    func tallyMatchesSimulator() throws {
        let layout = TestLayout(vcpuIDs: [0, 1, 2], interruptCount: 256, regions: true)
        let source = simulatedKernel()
        var random = SeededRandom(seed: 5)
        var captureTally = AccessTally()
        let snapshot = try withSimulatedVGIC(source, layout) { vgic, set in
            try applyRandomState(&random, operations: 30, vgic, set.identities, interruptCount: 256)
            source.clearCalls()
            let snapshot = try set.whileStopped { (stopped) throws(SnapshotError) -> GICSnapshot in
                try vgic.captureSnapshot(stopped, tally: &captureTally)
            }
            #expect(source.calls(.getDeviceAttr).count == captureTally.reads)
            #expect(source.calls(.setDeviceAttr).isEmpty, "capture never writes")
            return snapshot
        }
        #expect(captureTally.writes == 0)
        // Identity: IIDR, TYPER, TYPER2, distributor base, one region + ENOENT; 3 per vCPU.
        #expect(captureTally.reads == snapshot.minimumAccesses + 4 + 2 + 3 * 3 - 3)
        let target = simulatedKernel()
        try withSimulatedVGIC(target, layout) { vgic, set in
            target.clearCalls()
            var tally = AccessTally()
            if let error = restore(snapshot, vgic, &set, tally: &tally) { throw error }
            #expect(target.calls(.getDeviceAttr).count == tally.reads)
            #expect(target.calls(.setDeviceAttr).count == tally.writes)
        }
    }

    @Test("minimum accesses count one per 32-bit word, two per 64-bit redistributor register")
    func minimumAccesses() throws {
        let layout = TestLayout(vcpuIDs: [0], interruptCount: 64)
        let snapshot = try withSimulatedVGIC(simulatedKernel(), layout) { vgic, set in try capture(vgic, &set) }
        // Distributor, NR_IRQS 64 (32 SPIs): CTLR 1, IGROUPR 1, IPRIORITYR 8, IROUTER 32, ICFGR 2,
        // ISENABLER 1, LEVEL_INFO 1, ISPENDR 1, ISACTIVER 1 = 48. vCPU: PROPBASER 2, PENDBASER 2,
        // CTLR 1, IGROUPR0 1, IPRIORITYR 8, ISENABLER0 1, LEVEL_INFO 1, ISPENDR0 1, ISACTIVER0 1,
        // 7 ICC registers, 1 + 1 APR = 27.
        #expect(snapshot.minimumAccesses == 48 + 27)
        #expect(snapshot.entries.count == 48 + 25)
    }
}
