import GICModel
import GICVocabulary
import Testing

/// Reproductions printed by the differential fuzzer, pasted unchanged. These came from the x86
/// engine tests, where the checked model carried a mutation and the stand-in kernel was right, so
/// they assert correct behaviour and pass; a lab difference is pasted the same way.
@Suite("Pasted fuzzer reproductions")
struct PastedReproductionTests {
@Test("differential seed 0x2: LEVEL_INFO after 2 operations (Linux 7.x)")
func differentialSeed2LEVEL_INFO() {
    var model = GICv3Model(configuration: GICv3ModelConfiguration(interruptCount: 256, vcpuAffinities: [Affinity(packed: 0x0), Affinity(packed: 0x1), Affinity(packed: 0x2), Affinity(packed: 0x3)], hasITS: false, kernel: .linux7, host: HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true)))
    let script: [(GICv3Operation, AccessOutcome)] = [
        (.setLine(IRQLineWord(rawValue: 0x100_0023), level: true), .done),
        (.writeDistributor(.gicdICFGR, index: 2, value: 0xF9F2_DB15), .done),
    ]
    for (operation, kernel) in script { #expect(model.outcome(of: operation) == kernel, "\(operation)") }
    #expect(model.read(.lineLevels(vcpu: Affinity(packed: 0x0), firstINTID: 32)) == .value(0x0))
}

@Test("differential seed 0x1: GICD_IROUTER after 1 operations (Linux 7.x)")
func differentialSeed1GICD_IROUTER() {
    var model = GICv3Model(configuration: GICv3ModelConfiguration(interruptCount: 256, vcpuAffinities: [Affinity(packed: 0x0), Affinity(packed: 0x1), Affinity(packed: 0x2), Affinity(packed: 0x3)], hasITS: false, kernel: .linux7, host: HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true)))
    let script: [(GICv3Operation, AccessOutcome)] = [
        (.writeDistributor(.gicdIROUTER, index: 62, value: 0x8000_0001), .done),
    ]
    for (operation, kernel) in script { #expect(model.outcome(of: operation) == kernel, "\(operation)") }
    #expect(model.read(.distributor(.gicdIROUTER, index: 62)) == .value(0x1))
}
}
