import GICSnapshot
import GICVocabulary
import Testing
import VGIC
import TestSupport

/// What a snapshot must hold for its NR_IRQS and priority bits, and how its values flatten.
@Suite("Structure, coverage and entries")
struct StructureTests {
    @Test("coverage of a 256-INTID vgic: SPIs only in the distributor, up to NR_IRQS")
    func coverage() {
        func elements(_ register: SnapshotRegister, _ scope: RestoreStep.Scope = .distributor, aprs: Int = 1) -> Range<UInt32> {
            SnapshotCoverage.elements(of: register, in: scope, interruptCount: 256, activePriorityCount: aprs)
        }
        #expect(elements(.distributor(.gicdISENABLER)) == 1..<8)
        #expect(elements(.distributor(.gicdIPRIORITYR)) == 8..<64)
        #expect(elements(.distributor(.gicdICFGR)) == 2..<16)
        #expect(elements(.distributor(.gicdIROUTER)) == 32..<256)
        #expect(elements(.distributor(.gicdCTLR)) == 0..<1)
        #expect(elements(.lineLevels) == 1..<8)
        #expect(elements(.lineLevels, .eachVCPU) == 0..<1)
        #expect(elements(.redistributor(.gicrIPRIORITYR), .eachVCPU) == 0..<8)
        #expect(elements(.redistributor(.gicrPROPBASER), .eachVCPU) == 0..<1)
        #expect(elements(.activePriorities(group: 0), .eachVCPU, aprs: 4) == 0..<4)
        #expect(SnapshotCoverage.intids(of: .distributor(.gicdIPRIORITYR), index: 9) == 36...39)
        #expect(SnapshotCoverage.intids(of: .distributor(.gicdIROUTER), index: 40) == 40...40)
        #expect(SnapshotCoverage.intids(of: .lineLevels, index: 1) == 32...63)
    }

    @Test("priority bits fix the APR count: 5 → 1, 6 → 2, 7 → 4 per group", arguments: [(5, 1), (6, 2), (7, 4), (4, 1)] as [(UInt32, Int)])
    func activePriorityCount(bits: UInt32, count: Int) {
        let layout = VCPULayout(identity: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), redistributorType: 0, priorityBits: bits)
        #expect(layout.activePriorityCount == count)
        #expect(ICCControl(rawValue: UInt64(bits - 1) << 8).activePriorityCount == count)
    }

    @Test("the CPU-interface registers a snapshot saves resolve to their architectural names")
    func cpuInterfaceNames() {
        let names = RestoreOrder.savedRegisters(.eachVCPU).compactMap { register -> String? in
            if case .system = register { return register.name }
            return nil
        }
        #expect(names == ["ICC_SRE_EL1", "ICC_CTLR_EL1", "ICC_IGRPEN0_EL1", "ICC_IGRPEN1_EL1", "ICC_PMR_EL1",
            "ICC_BPR0_EL1", "ICC_BPR1_EL1"])
    }

    static func valid() -> GICSnapshot {
        var random = SeededRandom(seed: 9)
        var snapshot: GICSnapshot
        repeat { snapshot = syntheticSnapshot(&random) } while snapshot.vcpus.count < 2
        snapshot.foreignSections = []
        return snapshot
    }

    @Test("a synthetic snapshot is consistent")
    func validIsValid() {
        #expect(Self.valid().structuralProblem() == nil)
    }

    @Test("each inconsistency is named")
    func problems() throws {
        var count = Self.valid()
        count.identity.interruptCount = 100
        #expect(count.structuralProblem() == .interruptCount(100))
        var typer = Self.valid()
        typer.identity.typer ^= 1
        #expect(typer.structuralProblem() == .typerDisagrees(typer: typer.identity.typer, interruptCount: typer.identity.interruptCount))
        var states = Self.valid()
        states.vcpus.removeLast()
        #expect(states.structuralProblem() == .vcpuStateCount(identity: states.identity.vcpus.count, states: states.vcpus.count))
        var duplicate = Self.valid()
        duplicate.identity.vcpus[1].identity = VCPUIdentity(id: 9, affinity: duplicate.identity.vcpus[0].identity.affinity)
        #expect(duplicate.structuralProblem() == .duplicateAffinity(position: 1))
        var missing = Self.valid()
        missing.vcpus[1].banks.removeAll { $0.register == .lineLevels }
        #expect(missing.structuralProblem() == .missingBank(.lineLevels, .vcpu(1)))
        var repeated = Self.valid()
        repeated.distributor.append(repeated.distributor[0])
        #expect(repeated.structuralProblem() == .unexpectedBank(repeated.distributor[0].register, .distributor))
        var short = Self.valid()
        let index = short.distributor.firstIndex { $0.register == .distributor(.gicdIROUTER) }!
        short.distributor[index] = try short.distributor[index].droppingLast()
        let expected = SnapshotCoverage.elements(
            of: .distributor(.gicdIROUTER), in: .distributor, interruptCount: short.identity.interruptCount, activePriorityCount: 0)
        #expect(short.structuralProblem() == .bankElements(
            .distributor(.gicdIROUTER), .distributor, expected: expected, found: expected.lowerBound..<(expected.upperBound - 1)))
        var wide = Self.valid()
        let pending = wide.distributor.firstIndex { $0.register == .distributor(.gicdISPENDR) }!
        try wide.distributor[pending].edit(at: 0) { _ in 1 << 32 }
        #expect(wide.structuralProblem() == .valueTooWide(
            .distributor(.gicdISPENDR), .distributor, index: wide.distributor[pending].firstIndex, value: 1 << 32))
        var bits = Self.valid()
        bits.identity.vcpus[0].priorityBits = bits.identity.vcpus[0].priorityBits == 5 ? 6 : 5
        if case .bankElements? = bits.structuralProblem() {} else if case .controlDisagrees? = bits.structuralProblem() {} else {
            Issue.record("priority bits that disagree with the APR banks or ICC_CTLR were accepted")
        }
    }

    @Test("entries flatten every bank in order, with element indices")
    func entries() {
        let snapshot = Self.valid()
        let entries = snapshot.entries
        let values = snapshot.distributor.reduce(0) { $0 + $1.values.count }
            + snapshot.vcpus.reduce(0) { $0 + $1.banks.reduce(0) { $0 + $1.values.count } }
        #expect(entries.count == values)
        #expect(entries.first?.scope == .distributor && entries.first?.register == .distributor(.gicdCTLR))
        let router = entries.first { $0.register == .distributor(.gicdIROUTER) }
        #expect(router?.index == 32)
        #expect(entries.last?.scope == .vcpu(snapshot.vcpus.count - 1))
        #expect(entries.last?.register == .activePriorities(group: 1))
    }
}
