import GICVocabulary

/// Readable exits for logs and the lab's scenario details (Embedded Swift cannot describe
/// a value by reflection, so the text is spelled out).
extension VCPUExit: CustomStringConvertible {
    public var description: String {
        switch self {
        case .mmio(let access):
            "MMIO \(access.isWrite ? "write" : "read") of \(access.length) bytes at \(hex(access.address))"
                + (access.isWrite ? " data \(hex(access.data))" : "")
        case .systemEvent(let type): "system event \(type)"
        case .shutdown: "shutdown"
        case .failEntry(let reason): "entry failed, hardware reason \(hex(reason))"
        case .internalError(let suberror): "internal error \(suberror)"
        case .interrupted: "interrupted by a signal"
        case .armDataAbortWithoutSyndrome: "data abort without syndrome (KVM_EXIT_ARM_NISV)"
        case .other(let reason): "exit reason \(reason)"
        }
    }
}
