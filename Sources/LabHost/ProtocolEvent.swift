import Conformance

/// What one line of runner output meant, for streaming progress to the console as it arrives.
public enum ProtocolEvent: Sendable, Equatable {
    case begin(kernelRelease: String, scenarioCount: Int)
    /// A scenario's verdict (its figures follow as `.figure`).
    case scenario(name: String, status: ScenarioStatus, detail: String)
    case figure(scenario: String, Figure)
    case end(Totals)
    /// Anything else: the runner's human progress lines, kernel console messages, QEMU.
    case text(String)
}
