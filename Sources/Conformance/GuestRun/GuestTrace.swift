import GICVocabulary
import GuestHarness
import KVM

/// Everything a guest run showed, in the order the host saw it: log entries (as each drain
/// delivered them), host calls and what came of them, and each vCPU's end. The lab's run and
/// the model's prediction of it are both `GuestTrace`s, compared with `==` after `comparable`.
struct GuestTrace: Hashable, Sendable {
    enum Event: Hashable, Sendable, CustomStringConvertible {
        /// A guest log entry of vCPU `vcpu`.
        case logged(vcpu: Int, GuestLogEntry)
        /// The host performed call `call` for vCPU `vcpu` with this operand.
        case called(vcpu: Int, call: Int, operand: UInt64, HostResult)
        /// vCPU `vcpu`'s main program ended.
        case finished(vcpu: Int, accumulator: UInt64)
        /// vCPU `vcpu`'s log overflowed and dropped entries.
        case dropped(vcpu: Int, count: UInt64)

        var description: String {
            switch self {
            case .logged(let vcpu, let entry): "vcpu\(vcpu) \(entry)"
            case .called(let vcpu, let call, let operand, let result): "vcpu\(vcpu) call \(call)(\(hex(operand))) → \(result)"
            case .finished(let vcpu, let accumulator): "vcpu\(vcpu) done (acc \(hex(accumulator)))"
            case .dropped(let vcpu, let count): "vcpu\(vcpu) dropped \(count) log entries"
            }
        }
    }

    var events: [Event] = []

    /// The trace as the model can predict it: counter readings (`ticks` entries) keep their
    /// place but lose their value, since no model knows wall time.
    var comparable: GuestTrace {
        GuestTrace(events: events.map { event in
            if case .logged(let vcpu, var entry) = event, entry.tag == .ticks {
                entry.value = 0
                return .logged(vcpu: vcpu, entry)
            }
            return event
        })
    }

    /// The acknowledged INTIDs of vCPU `vcpu`, in order (entries tagged `acknowledged`).
    func acknowledged(by vcpu: Int) -> [UInt32] {
        events.compactMap { event in
            guard case .logged(vcpu, let entry) = event, entry.tag == .acknowledged else { return nil }
            return UInt32(truncatingIfNeeded: entry.value)
        }
    }

    /// The values vCPU `vcpu` logged with `tag`, in order.
    func values(_ tag: GuestLogTag, of vcpu: Int) -> [UInt64] {
        events.compactMap { event in
            guard case .logged(vcpu, let entry) = event, entry.tag == tag else { return nil }
            return entry.value
        }
    }

    /// The observations the host recorded, in order.
    var observations: [UInt64] {
        events.compactMap { event in
            guard case .called(_, _, _, .observed(let value)) = event else { return nil }
            return value
        }
    }
}

/// What came of a host call.
enum HostResult: Hashable, Sendable, CustomStringConvertible {
    /// The action was performed.
    case done
    /// The kernel refused it with this errno (the typed error's errno).
    case refused(Errno)
    /// An observation's value.
    case observed(UInt64)
    /// The library refused it before any ioctl (a value the typed API cannot express).
    case rejected(String)

    var description: String {
        switch self {
        case .done: "done"
        case .refused(let errno): "refused \(errno)"
        case .observed(let value): "observed \(hex(value))"
        case .rejected(let reason): "rejected before the ioctl: \(reason)"
        }
    }
}

/// How a guest run ended.
enum GuestRunEnd: Hashable, Sendable, CustomStringConvertible {
    /// Every vCPU's main program ended.
    case completed
    /// vCPU `vcpu` took an unexpected exception.
    case fault(vcpu: Int, GuestFault)
    /// vCPU `vcpu` did not exit within the watchdog's time.
    case hung(vcpu: Int, String)
    /// vCPU `vcpu` exited in a way the harness does not expect (a stray MMIO access, a system
    /// event, a refused `KVM_RUN`), or the host could not do what the guest asked.
    case broken(vcpu: Int, String)

    var description: String {
        switch self {
        case .completed: "completed"
        case .fault(let vcpu, let fault): "vCPU \(vcpu) faulted: \(fault)"
        case .hung(let vcpu, let detail): "vCPU \(vcpu) hung: \(detail)"
        case .broken(let vcpu, let detail): "vCPU \(vcpu): \(detail)"
        }
    }
}
