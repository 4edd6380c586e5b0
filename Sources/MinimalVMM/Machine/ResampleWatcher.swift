import CKVM
import KVM

/// The thread that hears the guest acknowledge the UART's interrupt on an irqfd line
/// (MinimalVMM.docc/VCPUThreads.md, "The interrupt line").
///
/// Why a thread: with irqfd the kernel lowers a level line itself when the guest acknowledges
/// it and reports that on the resample eventfd; a byte that arrived while the interrupt was
/// active must then raise it again, and nothing else would notice — the guest acknowledges in
/// its CPU interface without an exit, and may not touch the UART again until it is interrupted.
/// It waits on whichever line is attached (the descriptor changes when the machine migrates),
/// at most `interval` milliseconds at a time, and lets the console take the acknowledgements
/// under its lock, so a descriptor that closed meanwhile does no harm.
final class ResampleWatcher: @unchecked Sendable {
    /// The longest wait before the watcher looks again (for a new line, or to stop).
    static let intervalMilliseconds: Int32 = 20

    private let console: SerialConsole
    private let lock = HostMutex()
    private var stopping = false
    private var handle: UInt64 = 0

    init(console: SerialConsole) {
        self.console = console
    }

    /// Starts the thread; the errno when it cannot.
    func start() throws(KVMError) {
        var started: UInt64 = 0
        let result = ckvm_thread_start(
            { context, _ in
                guard let context else { return }
                Unmanaged<ResampleWatcher>.fromOpaque(context).takeUnretainedValue().run()
            }, Unmanaged.passUnretained(self).toOpaque(), 0, &started)
        if result != 0 { throw .kernel(Errno(rawValue: -result), Attempt(.eventfdRead)) }
        handle = started
    }

    /// Ends the thread and waits for it (within one interval).
    func stop() {
        guard handle != 0 else { return }
        lock.withLock { stopping = true }
        _ = ckvm_thread_join(handle)
        handle = 0
    }

    private var shouldStop: Bool { lock.withLock { stopping } }

    private func run() {
        while !shouldStop {
            let waited: Int32
            if let descriptor = console.resampleDescriptor {
                waited = ckvm_wait_readable(descriptor, Self.intervalMilliseconds)
            } else {
                waited = -1
            }
            if waited < 0 { ckvm_sleep_us(Int64(Self.intervalMilliseconds) * 1000) }
            if waited != 0 { console.serviceAcknowledgements() }
        }
    }
}
