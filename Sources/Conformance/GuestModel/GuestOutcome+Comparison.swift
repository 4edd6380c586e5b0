import GuestHarness

extension GuestOutcome {
    /// Where the model's prediction differs from this (the kernel's) outcome, in words: the
    /// first differing trace event with its neighbours, the end, the final observations. Counter
    /// readings keep their place but not their value (`GuestTrace.comparable`); a hang is a hang
    /// whatever its detail; a fault is its vector, exception class and ELR.
    func differences(from model: GuestOutcome) -> [String] {
        var found: [String] = []
        let kernelEvents = trace.comparable.events
        let modelEvents = model.trace.comparable.events
        if kernelEvents != modelEvents {
            var index = 0
            while index < kernelEvents.count, index < modelEvents.count, kernelEvents[index] == modelEvents[index] { index += 1 }
            let kernelEvent = index < kernelEvents.count ? kernelEvents[index].description : "(end of trace)"
            let modelEvent = index < modelEvents.count ? modelEvents[index].description : "(end of trace)"
            found.append("event \(index) of \(kernelEvents.count) (model: \(modelEvents.count)): kernel \(kernelEvent), model \(modelEvent)")
        }
        if !end.matches(model.end) { found.append("end: kernel \(end), model \(model.end)") }
        if final != model.final {
            found.append("final observations: kernel \(GuestChecks.list(final)), model \(GuestChecks.list(model.final))")
        }
        return found
    }
}

extension GuestRunEnd {
    /// The same end, for the comparison: details that only the kernel can give (a hung vCPU's
    /// PC, a fault's FAR and SPSR) are not compared.
    func matches(_ other: GuestRunEnd) -> Bool {
        switch (self, other) {
        case (.completed, .completed): return true
        case (.hung(let a, _), .hung(let b, _)): return a == b
        case (.fault(let a, let x), .fault(let b, let y)):
            return a == b && x.vector == y.vector && x.exceptionClass == y.exceptionClass && x.elr == y.elr
        case (.broken(let a, let x), .broken(let b, let y)): return a == b && x == y
        default: return false
        }
    }
}
