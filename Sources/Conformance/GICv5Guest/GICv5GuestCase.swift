import GICv5Model
import GICVocabulary
import GuestHarness

/// One GICv5 guest case: a bare-metal program for QEMU 11's GICv5 (`gicv5_guest.<family>.<case>`)
/// and what the architecture says it logs.
///
/// It runs twice: on QEMU (the lab boots it, `GICv5GuestLab`) and on `GICv5ModelMachine`. It
/// passes when QEMU's log is `expected` (the architecture's answer, each value from
/// GICv5Model.docc/GICv5Architecture.md or GICv5TestVectors.md) **and** the model's trace is QEMU's,
/// entry for entry. Where QEMU departs from the architecture, the case names the
/// `GICv5Implementation` property that records it and `expected` is QEMU's value.
struct GICv5GuestCase: Sendable {
    /// `gicv5_guest.<family>.<case>`.
    let name: String
    /// The programs (vCPU 0 only).
    let build: @Sendable () throws(GuestProgramError) -> GuestPrograms
    /// Every value the run logs, in order.
    let expected: [UInt64]
    /// Where QEMU departs from the architecture here: the `GICv5Implementation` property that
    /// records it, and the values the architecture gives (`expected` holds QEMU's).
    let deviation: (property: String, architecture: [UInt64])?

    init(_ name: String, expected: [UInt64], deviation: (property: String, architecture: [UInt64])? = nil,
         build: @escaping @Sendable () throws(GuestProgramError) -> GuestPrograms) {
        self.name = name
        self.expected = expected
        self.deviation = deviation
        self.build = build
    }

    /// The verdict on QEMU's outcome, given the model's prediction of it.
    func verdict(qemu: GuestOutcome, model: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(qemu)
        checks.expect("logged values", qemu.trace.values(of: 0), expected)
        let differences = qemu.differences(from: model)
        if !differences.isEmpty {
            checks.require("QEMU and the model differ: " + differences.joined(separator: "; "), false)
        }
        if let deviation {
            checks.note("QEMU deviation GICv5Implementation.\(deviation.property) (the architecture: \(GuestChecks.list(deviation.architecture.map { hex($0) })))")
        }
        let summary = deviation == nil ? "as the architecture says" : "as QEMU 11 does"
        return checks.verdict("\(expected.count) values \(summary); model agrees (\(qemu.trace.events.count) events)")
    }
}

extension GuestTrace {
    /// Every value vCPU `vcpu` logged, in order, whatever the tag.
    func values(of vcpu: Int) -> [UInt64] {
        events.compactMap { event in
            guard case .logged(vcpu, let entry) = event else { return nil }
            return entry.value
        }
    }
}

extension GuestOutcome {
    /// The outcome of a UART run: the runtime's report lines (`GuestUARTDecoder`) in order, and
    /// whether QEMU ended by itself (`exitedNormally`; false: killed after its timeout).
    init(uartLines lines: [String], exitedNormally: Bool) {
        var decoder = GuestUARTDecoder()
        var trace = GuestTrace()
        var end: GuestRunEnd?
        for line in lines {
            guard end == nil, let event = decoder.decode(line: line) else { continue }
            switch event {
            case .drained(let entries, let dropped):
                for entry in entries { trace.events.append(.logged(vcpu: 0, entry)) }
                if dropped > 0 { trace.events.append(.dropped(vcpu: 0, count: dropped)) }
            case .done(let accumulator):
                trace.events.append(.finished(vcpu: 0, accumulator: accumulator))
                end = .completed
            case .fault(let fault):
                end = .fault(vcpu: 0, fault)
            case .malformed(let text):
                end = .broken(vcpu: 0, text)
            case .partial, .call, .read, .stray:
                break
            }
        }
        self.init(
            trace: trace,
            end: end ?? (exitedNormally ? .broken(vcpu: 0, "QEMU exited without a done report") : .hung(vcpu: 0, "QEMU timed out")),
            final: [])
    }
}
