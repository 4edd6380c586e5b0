import CKVM

/// A pthread mutex for state that several host threads share: a recording `SyscallSimulator`
/// answering calls from every vCPU thread one at a time (as a kernel that takes its own locks
/// would), a VMM's device shared by its vCPU threads and its controller.
///
/// Embedded Swift has no Synchronization module for the lab's target, hence CKVM's pthread
/// mutex. A class because the mutex must stay at one address for its whole life (a pthread
/// mutex must not be moved), which a heap allocation owned by one object guarantees.
public final class HostMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<ckvm_lock>

    public init() {
        mutex = UnsafeMutablePointer<ckvm_lock>.allocate(capacity: 1)
        ckvm_lock_init(mutex)
    }

    deinit {
        ckvm_lock_destroy(mutex)
        mutex.deallocate()
    }

    /// Takes the mutex; pair with `release()` (for bodies that consume a value, which a closure
    /// cannot).
    public func acquire() { ckvm_lock_acquire(mutex) }

    /// Gives the mutex back.
    public func release() { ckvm_lock_release(mutex) }

    /// `body`'s result, computed while holding the mutex.
    public func withLock<Result>(_ body: () -> Result) -> Result {
        ckvm_lock_acquire(mutex)
        defer { ckvm_lock_release(mutex) }
        return body()
    }
}
