import Dispatch
import Foundation

/// Turns signals (SIGINT, SIGTERM) into calls of a handler on a Dispatch queue instead of their
/// default action, so the command can end what it started and still report.
///
/// While the trap is set the signals' own action is `SIG_IGN` (Dispatch sources still see
/// them); `cancel()` restores the default action. Children started by `ProcessGroup.spawn`
/// get default actions back, so they do not inherit the ignoring.
public final class SignalTrap {
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []

    /// Sets the trap; `handler` runs on `queue` once per delivery, with the signal number.
    public init(_ signals: [Int32], queue: DispatchQueue = .global(), handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        for signalNumber in signals {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { handler(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    /// Removes the trap: the signals act by default again.
    public func cancel() {
        for source in sources { source.cancel() }
        sources = []
        for signalNumber in signals { signal(signalNumber, SIG_DFL) }
    }
}
