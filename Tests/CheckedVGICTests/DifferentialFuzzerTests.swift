import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The fuzzing engine on x86, against the simulated kernel (`SimulatedKernel`), whose vgic is a model too: clean when the two agree,
/// and when they do not, a seed, a shrunk script and a printed test.
@Suite("Differential fuzzer")
struct DifferentialFuzzerTests {
    @Test("the same seed draws the same operations; different seeds differ")
    func deterministic() {
        let model = GICv3Model(configuration: .vcpus(4))
        let generator = OperationGenerator()
        func draw(_ seed: UInt64) -> [GICv3Operation] {
            var rng = SplitMix64(seed: seed)
            return (0..<50).map { _ in generator.next(for: model, &rng) }
        }
        #expect(draw(7) == draw(7))
        #expect(draw(7) != draw(8))
    }

    @Test("the generator draws every kind of operation, including ones the kernel must refuse")
    func coverage() {
        var model = GICv3Model(configuration: .vcpus(4))
        let generator = OperationGenerator()
        var rng = SplitMix64(seed: 1)
        var kinds = Set<String>()
        var refused = Set<Int32>()
        for _ in 0..<3000 {
            let operation = generator.next(for: model, &rng)
            switch operation {
            case .setLine: kinds.insert("line")
            case .writeDistributor: kinds.insert("dist")
            case .writeRedistributor: kinds.insert("redist")
            case .writeLineLevels: kinds.insert("levels")
            case .writeSystemRegister: kinds.insert("icc")
            }
            if case .refused(let errno) = model.outcome(of: operation) { refused.insert(errno.rawValue) }
        }
        #expect(kinds == ["line", "dist", "redist", "levels", "icc"])
        // EBUSY: a GICD_TYPER2 change after CTRL_INIT on 7.x (the default kernel line).
        #expect(refused == [KernelErrno.EINVAL.rawValue, KernelErrno.ENXIO.rawValue, KernelErrno.ENOENT.rawValue, KernelErrno.EBUSY.rawValue])
    }

    @Test("kernel and model that agree fuzz clean: 10 sequences of 120 operations")
    func cleanRun() throws {
        let fuzzer = DifferentialFuzzer(length: 120)
        let make = factory { SimulatedKernel() }
        for seed in UInt64(100)..<110 {
            let result = try fuzzer.run(seed: seed, factory: make)
            #expect(result.mismatch == nil, "seed \(seed): \(result.mismatch?.summary ?? "")")
            #expect(result.script.count == 120)
        }
    }

    @Test("a kernel that differs is caught, shrunk to a short script, and printed as a test", arguments: [
        ModelMutation.priorityNotMasked, .ispendrReadsLatchOrLine, .privateConfigWritable, .routingKeepsIRM,
        .edgeNeedsRisingLine,
    ])
    func catchesAndShrinks(mutation: ModelMutation) throws {
        let fuzzer = DifferentialFuzzer(length: 200)
        let make = factory({ SimulatedKernel() }, mutations: mutation)
        var caught: DifferentialFuzzer.SequenceResult? = nil
        for seed in UInt64(1)...20 {
            let result = try fuzzer.run(seed: seed, factory: make)
            if result.mismatch != nil {
                caught = result
                break
            }
        }
        let failing = try #require(caught)
        let mismatch = try #require(failing.mismatch)
        let shrunk = try Shrinker(budget: 300).shrink(
            failing.script.map(\.operation), mismatch: mismatch, using: fuzzer, factory: make)
        #expect(shrunk.script.count <= 4, "\(shrunk.script.map(\.operation.swiftSource))")
        let lines = ReproductionPrinter.swiftTest(
            seed: failing.seed, configuration: failing.configuration, script: shrunk.script, mismatch: shrunk.mismatch)
        #expect(lines.first?.hasPrefix("@Test(\"differential seed 0x") == true)
        #expect(lines.contains { $0.contains("#expect(model.") })
        #expect(!lines.contains { $0.contains("//") })
    }

    @Test("a refusal only the kernel makes is an outcome mismatch at the exact operation")
    func outcomeMismatch() throws {
        let fuzzer = DifferentialFuzzer(length: 5)
        let make = factory {
            let kernel = SimulatedKernel()
            kernel.failures = [(.irqLine, nil, .EINVAL)]
            return kernel
        }
        let replay = try fuzzer.replay([
            .writeDistributor(.gicdCTLR, index: 0, value: 2),
            .setLine(IRQLineWord(rawValue: 0x0100_0020), level: true),
            .writeDistributor(.gicdCTLR, index: 0, value: 0),
        ], factory: make)
        let mismatch = try #require(replay.mismatch)
        #expect(mismatch.step == 1)
        #expect(mismatch.subject == .operation(.setLine(IRQLineWord(rawValue: 0x0100_0020), level: true)))
        #expect(mismatch.expected == .done && mismatch.actual == .refused(.EINVAL))
        #expect(replay.script.count == 2)
    }

    @Test("the printed test spells out the configuration, the script with kernel outcomes, and the kernel's answer")
    func printedTest() {
        let configuration = GICv3ModelConfiguration.vcpus(2, interruptCount: 64, kernel: .debian6_12)
        let location = RegisterLocation.distributor(.gicdIPRIORITYR, index: 8)
        let mismatch = Mismatch(
            subject: .location(location), step: 0, expected: .value(0x7), actual: .value(0), differences: [])
        let lines = ReproductionPrinter.swiftTest(
            seed: 0x2A, configuration: configuration,
            script: [(.writeDistributor(.gicdIPRIORITYR, index: 8, value: 7), .done)], mismatch: mismatch)
        #expect(lines == [
            "@Test(\"differential seed 0x2A: GICD_IPRIORITYR after 1 operations (Debian 6.12)\")",
            "func differentialSeed2AGICD_IPRIORITYR() {",
            "    var model = GICv3Model(configuration: GICv3ModelConfiguration(interruptCount: 64, vcpuAffinities: [Affinity(packed: 0x0), Affinity(packed: 0x1)], hasITS: false, kernel: .debian6_12, host: HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true)))",
            "    let script: [(GICv3Operation, AccessOutcome)] = [",
            "        (.writeDistributor(.gicdIPRIORITYR, index: 8, value: 0x7), .done),",
            "    ]",
            "    for (operation, kernel) in script { #expect(model.outcome(of: operation) == kernel, \"\\(operation)\") }",
            "    #expect(model.read(.distributor(.gicdIPRIORITYR, index: 8)) == .value(0x0))",
            "}",
        ])
    }
}
