import KVM

/// Why a scenario stopped before its verdict, as a sentence: a failure, or a skip (no usable
/// /dev/kvm, no arm64 KVM, a host without the feature).
///
/// The one error type scenario helpers throw, so every helper composes with every other and a
/// body turns any of them into its `Outcome` the same way.
struct ScenarioFailure: Error {
    let text: String
    let isSkip: Bool

    /// A failure.
    init(_ text: String) {
        self.init(text: text, isSkip: false)
    }

    private init(text: String, isSkip: Bool) {
        self.text = text
        self.isSkip = isSkip
    }

    static func fail(_ text: String) -> ScenarioFailure { ScenarioFailure(text: text, isSkip: false) }
    static func skip(_ text: String) -> ScenarioFailure { ScenarioFailure(text: text, isSkip: true) }

    /// A kernel refusal at `step`; `.notArm64` is a skip.
    static func kernel(_ step: String, _ error: KVMError) -> ScenarioFailure {
        if case .notArm64 = error { return .skip(error.description) }
        return .fail("\(step): \(error)")
    }

    /// `body`'s result, or its kernel refusal as a failure naming `label`.
    static func step<Value: ~Copyable>(_ label: String, _ body: () throws(KVMError) -> Value) throws(ScenarioFailure) -> Value {
        do throws(KVMError) {
            return try body()
        } catch {
            throw kernel(label, error)
        }
    }

    /// The verdict: `.skip` for a skip, otherwise `.fail`, its text after `prefix` if given.
    func outcome(prefix: String? = nil) -> Outcome {
        if isSkip { return .skip(text) }
        return .fail(prefix.map { "\($0): \(text)" } ?? text)
    }
}
