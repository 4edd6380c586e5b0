/// What `boot.sh`'s exit status says about a boot, beyond the runner's own records.
enum BootOutcome: Equatable {
    case poweredOff
    case timedOut(seconds: Int)
    case kernelPanic
    case failed(status: Int32)

    init(status: Int32, timeoutSeconds: Int) {
        switch status {
        case 0: self = .poweredOff
        case 124: self = .timedOut(seconds: timeoutSeconds)
        case 3: self = .kernelPanic
        default: self = .failed(status: status)
        }
    }

    /// The reason a boot went wrong, or nil after a clean power-off.
    var problem: String? {
        switch self {
        case .poweredOff: nil
        case .timedOut(let seconds): "boot timed out after \(seconds) s (QEMU killed)"
        case .kernelPanic: "guest kernel panicked"
        case .failed(let status): "boot.sh exited with status \(status)"
        }
    }
}
