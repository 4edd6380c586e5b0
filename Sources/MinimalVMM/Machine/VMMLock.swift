import CKVM

/// A mutex at a fixed address (a pthread mutex must not move), for the state the vCPU threads
/// and the controller share. Embedded Swift has no Synchronization module for this target, so
/// it is CKVM's pthread mutex.
final class VMMLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<ckvm_lock>

    init() {
        mutex = UnsafeMutablePointer<ckvm_lock>.allocate(capacity: 1)
        ckvm_lock_init(mutex)
    }

    deinit {
        ckvm_lock_destroy(mutex)
        mutex.deallocate()
    }

    /// Takes the mutex; pair with `release()` (for bodies that consume a value, which a closure cannot).
    func acquire() { ckvm_lock_acquire(mutex) }

    /// Gives the mutex back.
    func release() { ckvm_lock_release(mutex) }

    /// `body`'s result, computed while holding the mutex.
    func withLock<Result>(_ body: () -> Result) -> Result {
        ckvm_lock_acquire(mutex)
        defer { ckvm_lock_release(mutex) }
        return body()
    }
}
