import Foundation
import Synchronization

/// Ctrl-C and SIGTERM for the lab: which signal stopped the run, and the process groups of the
/// lab scripts running now, which an interruption ends.
///
/// `interrupt(by:)` records the first signal and sends SIGTERM to every adopted group (QEMU and
/// swiftc exit on it, the bash scripts run their traps); a group still alive `grace` later, or
/// at a second signal, gets SIGKILL. A group adopted after the interruption is ended at once and
/// `ScriptProcess` starts nothing new, so no lab process outlives the run. The signal handler
/// itself is the caller's (`SignalTrap`): this type only acts on what it is told.
public final class LabInterruption: Sendable {
    /// The detail of scenarios the native runner passed over after an interruption; the lab
    /// drops them from the result (they were never run).
    public static let notRunDetail = "not run: the run was interrupted"

    private struct State {
        var signal: Int32?
        var groups: Set<pid_t> = []
    }

    private let state = Mutex(State())
    /// How long an interrupted group has between SIGTERM and SIGKILL.
    public let grace: Duration

    public init(grace: Duration = .seconds(5)) {
        self.grace = grace
    }

    /// The signal that interrupted the run, nil while it has not been interrupted.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Stops the lab: the first call records `signal` and sends SIGTERM to the running groups,
    /// with SIGKILL `grace` later for any survivor; a further call sends SIGKILL at once.
    /// Safe from any thread.
    public func interrupt(by signal: Int32) {
        let (groups, first) = state.withLock { state in
            let first = state.signal == nil
            if first { state.signal = signal }
            return (state.groups, first)
        }
        for group in groups { ProcessGroup.send(first ? SIGTERM : SIGKILL, to: group) }
        guard first else { return }
        let parts = grace.components
        let delay = Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) { [self] in
            for group in state.withLock({ $0.groups }) { ProcessGroup.send(SIGKILL, to: group) }
        }
    }

    /// Registers a group that just started; ends it at once if the run is already interrupted.
    func adopt(_ group: pid_t) {
        let interrupted = state.withLock { state in
            state.groups.insert(group)
            return state.signal != nil
        }
        if interrupted { ProcessGroup.send(SIGTERM, to: group) }
    }

    /// Forgets a group once nothing of it is left.
    func release(_ group: pid_t) {
        _ = state.withLock { $0.groups.remove(group) }
    }

    /// `SIGINT`, `SIGTERM`, … for messages and records.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(signal)"
        }
    }
}
