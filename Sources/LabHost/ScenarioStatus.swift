/// The verdict of one scenario as the lab reports it (the runner's `pass|fail|skip`).
public enum ScenarioStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case pass
    case fail
    case skip

    /// The console word: `PASS`, `FAIL`, `SKIP` (same width, so columns line up).
    public var label: String { rawValue.uppercased() }
}
