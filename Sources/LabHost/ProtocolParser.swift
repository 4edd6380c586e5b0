import Conformance

/// Parses the runner's line protocol (`@@BEGIN`, `@@SCENARIO`, `@@FIGURE`, `@@END`; see
/// `Conformance.LineProtocol`) out of a serial console it shares with the kernel.
///
/// Robust by construction, because the console is not ours alone:
/// - a record is found wherever its `@@` marker starts in the line, so kernel text printed
///   on the same line before it does not hide it;
/// - malformed records (wrong field count, non-numeric values: typically a kernel message
///   that cut a record in two) are treated as text, never trusted;
/// - `finish()` turns a missing `@@END` into a failed `lab.runner` record ("runner did not
///   finish"), and an `@@END` whose totals disagree with the records received into another,
///   so lost records cannot go unnoticed.
public struct ProtocolParser {
    /// The name of the synthetic record for problems of the run as a whole.
    public static let runnerRecordName = "lab.runner"

    private static let progressPrefix = "conformance: running "
    private static let markers = ["@@BEGIN\t", "@@SCENARIO\t", "@@FIGURE\t", "@@END\t"]

    private var release: String?
    private var announced: Int?
    private var records: [ScenarioRecord] = []
    private var pendingFigures: [(scenario: String, figure: Figure)] = []
    private var declaredTotals: Totals?
    private var lastStarted: String?

    public init() {}

    /// Consumes one line (with or without its line terminator) and says what it was.
    @discardableResult
    public mutating func feed(_ rawLine: String) -> ProtocolEvent {
        var line = Substring(rawLine)
        while let last = line.last, last.isNewline { line = line.dropLast() }  // "\r\n" is one Character
        guard let record = ProtocolParser.recordStart(in: line) else {
            noteProgress(line)
            return .text(String(line))
        }
        let fields = record.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        switch fields[0] {
        case "@@BEGIN" where fields.count == 3:
            guard let count = Int(fields[2]) else { break }
            release = fields[1]
            announced = count
            return .begin(kernelRelease: fields[1], scenarioCount: count)
        case "@@SCENARIO" where fields.count == 4:
            guard let status = ScenarioStatus(rawValue: fields[2]) else { break }
            records.append(ScenarioRecord(name: fields[1], status: status, detail: fields[3]))
            return .scenario(name: fields[1], status: status, detail: fields[3])
        case "@@FIGURE" where fields.count == 5:
            guard let value = Int64(fields[3]) else { break }
            let figure = Figure(name: fields[2], value: value, unit: fields[4])
            pendingFigures.append((fields[1], figure))
            return .figure(scenario: fields[1], figure)
        case "@@END" where fields.count == 4:
            guard let passed = Int(fields[1]), let failed = Int(fields[2]), let skipped = Int(fields[3])
            else { break }
            let totals = Totals(passed: passed, failed: failed, skipped: skipped)
            declaredTotals = totals
            return .end(totals)
        default:
            break
        }
        return .text(String(line))
    }

    /// True once `@@END` has been seen: the verdict is in.
    public var hasVerdict: Bool { declaredTotals != nil }

    /// The run as reported so far, closed: call when the output has ended.
    public func finish() -> RunnerOutput {
        var scenarios = records
        for (scenario, figure) in pendingFigures {
            if let index = scenarios.firstIndex(where: { $0.name == scenario }) {
                scenarios[index].figures.append(figure)
            }
        }
        let received = Totals(records)
        if let declared = declaredTotals {
            if declared != received {
                scenarios.append(ScenarioRecord(
                    name: ProtocolParser.runnerRecordName, status: .fail,
                    detail: "runner reported \(ProtocolParser.describe(declared)) but the lab received "
                        + "\(ProtocolParser.describe(received)) (records lost on the console)"))
            }
        } else {
            var detail = "runner did not finish"
            if release == nil { detail += " (it never started: no @@BEGIN)" }
            if let lastStarted, !records.contains(where: { $0.name == lastStarted }) {
                detail += " (last started: \(lastStarted))"
            }
            scenarios.append(ScenarioRecord(name: ProtocolParser.runnerRecordName, status: .fail, detail: detail))
        }
        return RunnerOutput(
            kernelRelease: release, announcedCount: announced, scenarios: scenarios,
            finished: declaredTotals != nil)
    }

    /// Parses a whole transcript at once.
    public static func parse(_ transcript: String) -> RunnerOutput {
        var parser = ProtocolParser()
        for line in transcript.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            parser.feed(String(line))
        }
        return parser.finish()
    }

    /// The record part of `line`: from the last record marker on (kernel text may precede it).
    private static func recordStart(in line: Substring) -> Substring? {
        let starts = markers.compactMap { line.range(ofLast: $0)?.lowerBound }
        guard let start = starts.max() else { return nil }
        return line[start...]
    }

    private mutating func noteProgress(_ line: Substring) {
        if let range = line.range(ofLast: ProtocolParser.progressPrefix) {
            lastStarted = String(line[range.upperBound...])
        }
    }

    private static func describe(_ totals: Totals) -> String {
        "\(totals.passed) passed, \(totals.failed) failed, \(totals.skipped) skipped"
    }
}

extension Substring {
    /// The range of the last occurrence of `needle` (plain byte comparison, no Foundation).
    fileprivate func range(ofLast needle: String) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        let bytes = Array(utf8)
        guard !pattern.isEmpty, pattern.count <= bytes.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start..<start + pattern.count].elementsEqual(pattern) {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                let upper = utf8.index(lower, offsetBy: pattern.count)
                return lower..<upper
            }
            start -= 1
        }
        return nil
    }
}
