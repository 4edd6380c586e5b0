import KVM

/// A failure the simulated kernel is told to produce: calls that match `request` (and `group`,
/// for device attributes) fail with `errno` instead of being answered.
///
/// For the paths a model cannot reach: a vCPU inside `KVM_RUN` (EBUSY from
/// `lock_all_vcpus`), a kernel that lacks an attribute (ENXIO), a transient EINTR, or the one
/// refusal halfway through a restore that tests that a VMM cleans up. A failing call is recorded
/// like any other and changes no state.
public struct KernelFault: Hashable, Sendable {
    /// Which of the matching calls fail.
    public enum Occurrence: Hashable, Sendable {
        /// Every matching call.
        case every
        /// Only the nth matching call (1 is the first) counted from when the fault was added.
        case nth(Int)
    }

    public var request: Request
    /// The attribute group a device-attribute call must have; nil matches any call of `request`.
    public var group: AttributeGroup?
    public var errno: Errno
    public var occurrence: Occurrence
    /// Matching calls seen so far.
    public internal(set) var matched = 0

    public init(_ request: Request, group: AttributeGroup? = nil, errno: Errno, occurrence: Occurrence = .every) {
        self.request = request
        self.group = group
        self.errno = errno
        self.occurrence = occurrence
    }

    /// Every matching call fails with `errno`.
    public static func every(_ request: Request, group: AttributeGroup? = nil, errno: Errno) -> KernelFault {
        KernelFault(request, group: group, errno: errno)
    }

    /// Only the `n`th matching call fails with `errno`.
    public static func nth(_ n: Int, _ request: Request, group: AttributeGroup? = nil, errno: Errno) -> KernelFault {
        KernelFault(request, group: group, errno: errno, occurrence: .nth(n))
    }

    func matches(_ attempt: Attempt) -> Bool {
        guard attempt.request == request else { return false }
        guard let group else { return true }
        return attempt.attribute?.group == group
    }

    /// Counts `attempt` if it matches; the errno if this call is one that fails.
    mutating func fire(on attempt: Attempt) -> Errno? {
        guard matches(attempt) else { return nil }
        matched += 1
        switch occurrence {
        case .every: return errno
        case .nth(let n): return matched == n ? errno : nil
        }
    }
}
