import ArgumentParser
import CheckedVGIC
import GICModel
import GICVocabulary

/// `kvm-gic model-bench`: how fast the reference model runs on its own, with the fuzzer's
/// operation mix, on the 4-vCPU, 256-IRQ shape the lab fuzzes. Meant for a release build
/// (`swift run -c release kvm-gic model-bench`); a debug build is many times slower.
struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-bench",
        abstract: "Measure GICv3 reference-model operations per second (use a release build).",
        discussion: """
            Pre-draws the differential fuzzer's operations from fixed seeds, then times the model \
            applying them alone, applying them with the per-step reads of the affected registers \
            (what a checked step costs the model), and whole-state snapshots.
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Operations to apply per measurement (1...20000000).")
    var operations: Int = 1_000_000

    @Option(name: .long, parsing: .unconditional, help: "Whole-state snapshots to take (1...10000000).")
    var snapshots: Int = 2_000

    @Option(name: .long, help: "First seed of the operation sequences (sequence i uses seed + i).")
    var seed: UInt64 = 0x5EED_0000

    /// The largest counts accepted: the pre-drawn script holds every operation in memory
    /// (`MemoryLayout<GICv3Operation>.stride`, 56 bytes), so the bound keeps it near 1 GB; a
    /// bench needs far fewer (the default is 10^6).
    static let maximumOperations = 20_000_000
    static let maximumSnapshots = 10_000_000

    func validate() throws {
        guard (1...Self.maximumOperations).contains(operations) else {
            throw ValidationError("--operations must be between 1 and \(Self.maximumOperations) (it was \(operations))")
        }
        guard (1...Self.maximumSnapshots).contains(snapshots) else {
            throw ValidationError("--snapshots must be between 1 and \(Self.maximumSnapshots) (it was \(snapshots))")
        }
    }

    func run() throws {
        let configuration = GICv3ModelConfiguration.vcpus(4, interruptCount: 256)
        let script = Self.draw(operations, configuration: configuration, seed: seed)
        print("model-bench: 4 vCPUs, 256 IRQs, \(script.count) operations in sequences of \(Self.sequenceLength) from seed \(hex(seed))")

        var sink = 0
        let apply = Self.time {
            var model = GICv3Model(configuration: configuration)
            for (index, operation) in script.enumerated() {
                if index % Self.sequenceLength == 0 { model = GICv3Model(configuration: configuration) }
                if case .refused = model.outcome(of: operation) { sink &+= 1 }
            }
        }
        let checked = Self.time {
            var model = GICv3Model(configuration: configuration)
            for (index, operation) in script.enumerated() {
                if index % Self.sequenceLength == 0 { model = GICv3Model(configuration: configuration) }
                _ = model.outcome(of: operation)
                for location in model.affectedLocations(of: operation) {
                    if case .value(let value) = model.read(location) { sink &+= Int(truncatingIfNeeded: value) }
                }
            }
        }
        var model = GICv3Model(configuration: configuration)
        for operation in script.prefix(Self.sequenceLength) { _ = model.outcome(of: operation) }
        let locations = model.stateLocations().count
        let snapshot = Self.time {
            for _ in 0..<snapshots { sink &+= model.snapshot().entries.count }
        }
        print("apply only:              \(Self.rate(script.count, apply)) ops/s")
        print("apply + affected reads:  \(Self.rate(script.count, checked)) ops/s")
        print("whole-state snapshot:    \(Self.rate(snapshots, snapshot)) snapshots/s (\(locations) locations each)")
        if sink == Int.min { print(sink) }
    }

    /// Operations per fuzz sequence: the model is reset between sequences, as in the lab.
    static let sequenceLength = 200

    /// The fuzzer's operations, drawn sequence by sequence with the model evolving as in a run.
    static func draw(_ count: Int, configuration: GICv3ModelConfiguration, seed: UInt64) -> [GICv3Operation] {
        let generator = OperationGenerator()
        var script: [GICv3Operation] = []
        script.reserveCapacity(count)
        var sequence: UInt64 = 0
        while script.count < count {
            var model = GICv3Model(configuration: configuration)
            var rng = SplitMix64(seed: seed &+ sequence)
            for _ in 0..<Swift.min(sequenceLength, count - script.count) {
                let operation = generator.next(for: model, &rng)
                _ = model.outcome(of: operation)
                script.append(operation)
            }
            sequence += 1
        }
        return script
    }

    static func time(_ body: () -> Void) -> Duration {
        ContinuousClock().measure(body)
    }

    /// `count` per second over `duration`, as an integer.
    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        return nanoseconds > 0 ? Int(Double(count) * 1e9 / nanoseconds) : 0
    }
}
