/// Turns a vCPU's MMIO exits in the harness windows into what they mean, one vCPU at a time:
/// host calls, drained logs, faults and the end of the main program.
///
/// Stateful because some reports span several exits (a log entry is a header then a value; a
/// fault is five fields then its vector). Anything malformed is an event of its own, never a
/// trap: a decoder fed arbitrary addresses and data returns `.stray` or `.malformed`.
public struct GuestExitDecoder: Sendable {
    /// What one exit meant.
    public enum Event: Hashable, Sendable {
        /// The guest called the host (a store): step address and operand.
        case call(step: UInt64, operand: UInt64)
        /// The guest asked the host for a value (a load): step address. Complete the load.
        case read(step: UInt64)
        /// Part of a report; nothing to do yet.
        case partial
        /// A drain finished: its entries, and how many the full log dropped.
        case drained([GuestLogEntry], dropped: UInt64)
        /// The guest took an exception it did not expect and powered the VM off.
        case fault(GuestFault)
        /// The main program ended with this accumulator.
        case done(UInt64)
        /// A harness report out of order (a value without a header, an unknown program).
        case malformed(String)
        /// An access outside the harness windows.
        case stray(address: UInt64, isWrite: Bool)
    }

    private var pendingHeader: UInt64?
    private var entries: [GuestLogEntry] = []
    private var fault = GuestFault(vector: 0)

    public init() {}

    /// Decodes one MMIO exit.
    public mutating func decode(address: UInt64, data: UInt64, isWrite: Bool) -> Event {
        if let step = GuestLoad.stepAddress(ofCall: address) {
            return isWrite ? .call(step: step, operand: data) : .read(step: step)
        }
        guard isWrite else { return .stray(address: address, isWrite: false) }
        switch address {
        case GuestLayout.logHeaderAddress:
            if pendingHeader != nil { return .malformed("log header \(hexString(data)) without the previous entry's value") }
            pendingHeader = data
            return .partial
        case GuestLayout.logValueAddress:
            guard let header = pendingHeader else { return .malformed("log value \(hexString(data)) without a header") }
            pendingHeader = nil
            guard let entry = GuestLogEntry(header: header, value: data) else {
                return .malformed("log header \(hexString(header)) names no program")
            }
            entries.append(entry)
            return .partial
        case GuestLayout.logEndAddress:
            let drained = entries
            entries = []
            pendingHeader = nil
            return .drained(drained, dropped: data)
        case GuestLayout.faultWindow + 8: fault.esr = data; return .partial
        case GuestLayout.faultWindow + 16: fault.elr = data; return .partial
        case GuestLayout.faultWindow + 24: fault.far = data; return .partial
        case GuestLayout.faultWindow + 32: fault.spsr = data; return .partial
        case GuestLayout.faultWindow + 40: fault.stepPointer = data; return .partial
        case GuestLayout.faultWindow:
            fault.vector = data
            return .fault(fault)
        case GuestLayout.doneAddress:
            return .done(data)
        default:
            return .stray(address: address, isWrite: true)
        }
    }
}
