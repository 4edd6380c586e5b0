import Conformance
import Foundation

/// The machine-readable JSON report (`--report FILE`).
///
/// Shape (keys sorted; one entry per scenario per kernel, so CI can key on name + kernel):
///
///     { "scenarios": [ { "name", "kernel", "status": "pass|fail|skip", "detail",
///                        "figures": [ { "name", "value", "unit" } ] } ],
///       "totals": { "passed", "failed", "skipped" },
///       "kernels": [ { "label", "kernel", "mode", "boot_to_verdict_ms",
///                      "passed", "failed", "skipped" } ] }
public struct JSONReport: Codable, Equatable, Sendable {
    public struct Scenario: Codable, Equatable, Sendable {
        public var name: String
        public var kernel: String
        public var status: ScenarioStatus
        public var detail: String
        public var figures: [Figure]
    }

    public struct Kernel: Codable, Equatable, Sendable {
        public var label: String
        public var kernel: String
        public var mode: KernelResult.RunMode
        public var bootToVerdictMilliseconds: Int?
        public var passed: Int
        public var failed: Int
        public var skipped: Int

        enum CodingKeys: String, CodingKey {
            case label, kernel, mode, passed, failed, skipped
            case bootToVerdictMilliseconds = "boot_to_verdict_ms"
        }
    }

    public var scenarios: [Scenario]
    public var totals: Totals
    public var kernels: [Kernel]

    public init(_ result: LabResult) {
        scenarios = result.kernels.flatMap { kernel in
            kernel.scenarios.map {
                Scenario(name: $0.name, kernel: kernel.release, status: $0.status, detail: $0.detail, figures: $0.figures)
            }
        }
        totals = result.totals
        kernels = result.kernels.map {
            let totals = $0.totals
            return Kernel(
                label: $0.label, kernel: $0.release, mode: $0.mode,
                bootToVerdictMilliseconds: $0.bootToVerdictMilliseconds,
                passed: totals.passed, failed: totals.failed, skipped: totals.skipped)
        }
    }

    /// Pretty-printed UTF-8 JSON with sorted keys (stable diffs between runs).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
