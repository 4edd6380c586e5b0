import GICModel
import GICVocabulary
import KVM
import VGIC

/// Seeded random sequences of operations applied to a kernel vgic and its model together, with a
/// targeted comparison after every step and a full one at the end of each sequence; on a
/// difference, a shrunk reproduction printed as a Swift test.
///
/// The engine is independent of where the kernel is: it takes a factory of fresh `CheckedVGIC`s
/// (a new VM each time, so every replay starts from CTRL_INIT), which is a real arm64 KVM in the
/// lab and a model-backed syscall simulator in the x86 tests.
public struct DifferentialFuzzer: Sendable {
    /// Makes a fresh checked vgic: a new VM, vCPUs, vgic-v3, CTRL_INIT.
    public typealias Factory = () throws(VGICError) -> CheckedVGIC

    /// Operations per sequence.
    public var length: Int
    /// How operations are drawn.
    public var generator: OperationGenerator
    /// What the end-of-sequence comparison reads.
    public var finalCoverage: GICv3Model.Coverage

    public init(length: Int, generator: OperationGenerator = OperationGenerator(), finalCoverage: GICv3Model.Coverage = .state) {
        self.length = length
        self.generator = generator
        self.finalCoverage = finalCoverage
    }

    /// What one sequence did.
    public struct SequenceResult: Sendable {
        /// The seed that generated it.
        public let seed: UInt64
        /// The operations applied, each with the kernel's outcome; up to and including the one
        /// after which a mismatch was seen.
        public let script: [(operation: GICv3Operation, kernel: AccessOutcome)]
        /// The first disagreement, or nil.
        public let mismatch: Mismatch?
        /// Kernel accesses (ioctls) the sequence cost, comparisons included.
        public let kernelAccesses: Int
        /// The model configuration, for printing a reproduction.
        public let configuration: GICv3ModelConfiguration
    }

    /// Draws `length` operations from `seed` and applies them to a fresh target, comparing after
    /// every step and at the end; stops at the first disagreement.
    public func run(seed: UInt64, factory: Factory) throws(VGICError) -> SequenceResult {
        var target = try factory()
        var rng = SplitMix64(seed: seed)
        var script: [(operation: GICv3Operation, kernel: AccessOutcome)] = []
        script.reserveCapacity(length)
        for step in 0..<length {
            let operation = generator.next(for: target.model, &rng)
            let (kernel, mismatch) = try Self.step(operation, step, &target)
            script.append((operation, kernel))
            if let mismatch {
                return SequenceResult(
                    seed: seed, script: script, mismatch: mismatch, kernelAccesses: target.kernelAccesses,
                    configuration: target.model.configuration)
            }
        }
        let mismatch = Self.fullComparison(&target, step: length, coverage: finalCoverage)
        return SequenceResult(
            seed: seed, script: script, mismatch: mismatch, kernelAccesses: target.kernelAccesses,
            configuration: target.model.configuration)
    }

    /// Replays `operations` on a fresh target with the same checks; the script with the kernel's
    /// outcomes and the first mismatch.
    public func replay(
        _ operations: [GICv3Operation], factory: Factory
    ) throws(VGICError) -> (script: [(operation: GICv3Operation, kernel: AccessOutcome)], mismatch: Mismatch?, accesses: Int) {
        var target = try factory()
        var script: [(operation: GICv3Operation, kernel: AccessOutcome)] = []
        for (step, operation) in operations.enumerated() {
            let (kernel, mismatch) = try Self.step(operation, step, &target)
            script.append((operation, kernel))
            if let mismatch { return (script, mismatch, target.kernelAccesses) }
        }
        let mismatch = Self.fullComparison(&target, step: operations.count, coverage: finalCoverage)
        return (script, mismatch, target.kernelAccesses)
    }

    /// One operation and the targeted comparison after it.
    static func step(
        _ operation: GICv3Operation, _ step: Int, _ target: inout CheckedVGIC
    ) throws(VGICError) -> (AccessOutcome, Mismatch?) {
        let report = try target.perform(operation)
        if !report.agrees {
            let difference = target.model.difference(of: operation, expected: report.model, actual: report.kernel)
            return (report.kernel, Mismatch(
                subject: .operation(operation), step: step, expected: report.model, actual: report.kernel,
                differences: [difference]))
        }
        for location in target.model.affectedLocations(of: operation) {
            if let mismatch = compare(location, step, &target) { return (report.kernel, mismatch) }
        }
        return (report.kernel, nil)
    }

    /// The whole-state comparison.
    static func fullComparison(_ target: inout CheckedVGIC, step: Int, coverage: GICv3Model.Coverage) -> Mismatch? {
        for location in target.model.stateLocations(coverage) {
            if let mismatch = compare(location, step, &target) { return mismatch }
        }
        return nil
    }

    static func compare(_ location: RegisterLocation, _ step: Int, _ target: inout CheckedVGIC) -> Mismatch? {
        let actual = target.read(location)
        let expected = target.model.read(location)
        guard actual != expected else { return nil }
        return Mismatch(
            subject: .location(location), step: step, expected: expected, actual: actual,
            differences: target.model.differences(at: location, expected: expected, actual: actual))
    }
}
