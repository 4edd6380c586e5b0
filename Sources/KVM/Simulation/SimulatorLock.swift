import CKVM

/// The mutex a recording `SyscallSimulator` holds while it records and answers one call, so
/// calls from several threads reach it one at a time, as they reach a kernel that takes its own
/// locks.
///
/// A class because the mutex must stay at one address for its whole life (a pthread mutex must
/// not be moved), which a heap allocation owned by one object guarantees.
final class SimulatorLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<ckvm_lock>

    init() {
        mutex = UnsafeMutablePointer<ckvm_lock>.allocate(capacity: 1)
        ckvm_lock_init(mutex)
    }

    deinit {
        ckvm_lock_destroy(mutex)
        mutex.deallocate()
    }

    /// `body`'s result, computed while holding the mutex.
    func withLock<Result>(_ body: () -> Result) -> Result {
        ckvm_lock_acquire(mutex)
        defer { ckvm_lock_release(mutex) }
        return body()
    }
}
