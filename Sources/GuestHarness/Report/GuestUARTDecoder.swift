/// Turns the runtime's UART lines (`GuestTransport.uart`; the table in `GuestRuntime+UART.swift`)
/// into the same events `GuestExitDecoder` gives for MMIO exits: drained logs, faults and the end
/// of the main program. Any other line (QEMU's own messages) is `.stray`-free text: `nil`.
///
/// Stateful because a drain spans lines (entries, then the end line). Never traps: a line with a
/// report marker that does not parse is `.malformed`.
public struct GuestUARTDecoder: Sendable {
    private var entries: [GuestLogEntry] = []

    public init() {}

    /// Decodes one line (without its terminator); nil for a line that is not a report.
    public mutating func decode(line: String) -> GuestExitDecoder.Event? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let marker = fields.first, marker.hasPrefix("@@G") else { return nil }
        var numbers: [UInt64] = []
        for field in fields.dropFirst() {
            guard field.utf8.count == 16, let value = UInt64(field, radix: 16) else {
                return .malformed("UART report with a bad number: \(line)")
            }
            numbers.append(value)
        }
        switch (marker, numbers.count) {
        case ("@@GL", 2):
            guard let entry = GuestLogEntry(header: numbers[0], value: numbers[1]) else {
                return .malformed("log header \(hexString(numbers[0])) names no program")
            }
            entries.append(entry)
            return .partial
        case ("@@GE", 1):
            let drained = entries
            entries = []
            return .drained(drained, dropped: numbers[0])
        case ("@@GF", 6):
            return .fault(GuestFault(
                vector: numbers[0], esr: numbers[1], elr: numbers[2], far: numbers[3], spsr: numbers[4],
                stepPointer: numbers[5]))
        case ("@@GD", 1):
            return .done(numbers[0])
        default:
            return .malformed("unknown UART report: \(line)")
        }
    }
}
