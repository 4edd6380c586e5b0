/// The verdict of one scenario against one kernel.
///
/// Every case carries text a person can act on: what was observed for a pass, what differed
/// for a failure, why the scenario could not run for a skip (for example "vgic-v5: host has
/// no GICv5"). A skip is not a pass: reports count it separately.
public enum Outcome: Sendable, Equatable {
    /// The behaviour matched; the detail says what was observed.
    case pass(String)
    /// The behaviour differed; the detail says expected versus observed.
    case fail(String)
    /// The scenario could not run here; the reason says why.
    case skip(String)

    /// The protocol word: `pass`, `fail` or `skip`.
    public var status: String {
        switch self {
        case .pass: "pass"
        case .fail: "fail"
        case .skip: "skip"
        }
    }

    /// The detail or reason.
    public var detail: String {
        switch self {
        case .pass(let text), .fail(let text), .skip(let text): text
        }
    }
}

extension Outcome {
    /// The same verdict with `note` prefixed to its text, e.g. which of two kernel behaviours
    /// a scenario found and checked.
    public func annotated(_ note: String) -> Outcome {
        switch self {
        case .pass(let text): .pass("\(note): \(text)")
        case .fail(let text): .fail("\(note): \(text)")
        case .skip(let text): .skip("\(note): \(text)")
        }
    }
}
