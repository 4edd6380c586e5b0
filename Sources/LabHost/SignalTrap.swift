import Dispatch
import Foundation

/// Turns signals (SIGINT, SIGTERM) into calls of a handler on a Dispatch queue instead of their
/// default action, so the command can end what it started and still report.
///
/// The signals are ignored (`SIG_IGN`) from the start, so none can kill the process before the
/// Dispatch sources are live; `init` returns once they are (on Linux libdispatch then replaces
/// `SIG_IGN` with its own forwarding handler). `cancel()` restores the default action. Children
/// started by `ProcessGroup.spawn` get default actions back, so they inherit none of this.
///
/// Set one trap per signal in a process: libdispatch installs its handler for a signal only
/// for the first source of that signal.
public final class SignalTrap {
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []

    /// Sets the trap; `handler` runs on `queue` once per delivery, with the signal number.
    public init(_ signals: [Int32], queue: DispatchQueue = .global(), handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        let registered = DispatchSemaphore(value: 0)
        for signalNumber in signals {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { handler(signalNumber) }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        for _ in signals { _ = registered.wait(timeout: .now() + .seconds(5)) }
    }

    /// Removes the trap: the signals act by default again.
    public func cancel() {
        for source in sources { source.cancel() }
        sources = []
        for signalNumber in signals { signal(signalNumber, SIG_DFL) }
    }
}
