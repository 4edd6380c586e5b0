import GICModel
import GICVocabulary
import Testing

/// Each deliberate mutation changes an answer the fuzzer can observe, so a cross-check that passes
/// with a mutant proves its blindness.
@Suite("Model mutations")
struct MutationTests {
    /// A short script and the location whose answer the mutant gets wrong.
    static let cases: [(ModelMutation, [GICv3Operation], RegisterLocation)] = [
        (.ispendrReadsLatchOrLine,
         [.writeDistributor(.gicdICFGR, index: 2, value: 0), .setLine(IRQLineWord(rawValue: 0x0100_0020), level: true)],
         .distributor(.gicdISPENDR, index: 1)),
        (.priorityNotMasked, [.writeDistributor(.gicdIPRIORITYR, index: 8, value: 0x07)], .distributor(.gicdIPRIORITYR, index: 8)),
        (.privateConfigWritable,
         [.writeRedistributor(.gicrICFGR, index: 1, vcpu: Affinity(aff0: 0), value: 0xFFFF_FFFF)],
         .redistributor(.gicrICFGR, index: 1, vcpu: Affinity(aff0: 0))),
        (.routingKeepsIRM, [.writeDistributor(.gicdIROUTER, index: 40, value: 0x8000_0000)], .distributor(.gicdIROUTER, index: 40)),
        (.edgeNeedsRisingLine,
         [.writeLineLevels(vcpu: Affinity(aff0: 0), firstINTID: 32, bitmap: 1), .setLine(IRQLineWord(rawValue: 0x0100_0020), level: true)],
         .distributor(.gicdISPENDR, index: 1)),
    ]

    @Test("the mutant answers differently from the correct model", arguments: cases)
    func mutantDiffers(mutation: ModelMutation, script: [GICv3Operation], location: RegisterLocation) {
        var correct = makeModel()
        var mutant = makeModel(mutations: mutation)
        for operation in script {
            #expect(correct.outcome(of: operation) == mutant.outcome(of: operation))
        }
        #expect(correct.read(location) != mutant.read(location))
    }

    @Test("every mutation has a name for the mutation scenarios")
    func named() {
        let all = ModelMutation.named.reduce(ModelMutation()) { $0.union($1.mutation) }
        #expect(all == [.ispendrReadsLatchOrLine, .priorityNotMasked, .privateConfigWritable, .routingKeepsIRM, .edgeNeedsRisingLine])
        #expect(Set(ModelMutation.named.map(\.name)).count == ModelMutation.named.count)
    }
}
