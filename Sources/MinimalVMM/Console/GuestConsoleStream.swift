/// What the guest's init writes to the serial port, taken apart (MinimalVMM.docc/GuestProtocol.md):
/// the kernel's own messages before the first report, the reports (framed by STX and ETX), and
/// every other byte after the first report, which is an echo of what the host sent.
public struct GuestConsoleStream: Hashable, Sendable {
    /// STX, which opens a report.
    public static let reportStart: UInt8 = 0x02
    /// ETX, which closes it.
    public static let reportEnd: UInt8 = 0x03

    /// Bytes before the first report: the kernel's console output during boot.
    public private(set) var preamble: [UInt8] = []
    /// The complete reports, in order.
    public private(set) var reports: [GuestReport] = []
    /// Bytes outside reports after the first one: the guest's echo.
    public private(set) var echo: [UInt8] = []
    /// How many bytes have been fed.
    public private(set) var consumed = 0
    private var frame: [UInt8]?

    public init() {}

    /// Takes the next bytes of the stream.
    public mutating func feed(_ bytes: [UInt8]) {
        consumed += bytes.count
        for byte in bytes {
            if var open = frame {
                if byte == Self.reportEnd {
                    reports.append(GuestReport(text: open))
                    frame = nil
                } else {
                    open.append(byte)
                    frame = open
                }
            } else if byte == Self.reportStart {
                frame = []
            } else if reports.isEmpty {
                preamble.append(byte)
            } else {
                echo.append(byte)
            }
        }
    }

    /// The last complete report that has a line with `tag`.
    public func lastReport(with tag: String) -> GuestReport? {
        reports.last { $0.value(of: tag) != nil }
    }
}

/// One report of the guest's init: lines of "<tag> <text>".
public struct GuestReport: Hashable, Sendable {
    public var lines: [Line]

    public struct Line: Hashable, Sendable {
        public var tag: String
        public var text: String
    }

    init(text bytes: [UInt8]) {
        var lines: [Line] = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let words = raw.split(separator: 0x20, maxSplits: 1, omittingEmptySubsequences: false)
            let tag = String(decoding: words[0], as: UTF8.self)
            let text = words.count > 1 ? String(decoding: words[1], as: UTF8.self) : ""
            lines.append(Line(tag: tag, text: text))
        }
        self.lines = lines
    }

    /// The text of the first line tagged `tag`.
    public func value(of tag: String) -> String? {
        lines.first { $0.tag == tag }?.text
    }

    /// The texts of every line tagged `tag`.
    public func values(of tag: String) -> [String] {
        lines.filter { $0.tag == tag }.map { $0.text }
    }

    /// The `/proc/interrupts` rows the report holds (`IRQ` lines).
    public var interrupts: [InterruptRow] {
        values(of: "IRQ").compactMap { InterruptRow(parsing: $0) }
    }

    /// The row whose action is `name` (`arch_timer`, `uart-pl011`).
    public func interrupt(_ name: String) -> InterruptRow? {
        interrupts.first { $0.name == name }
    }
}

/// One row of `/proc/interrupts`: "11: 1234 567 GICv3 27 Level arch_timer".
public struct InterruptRow: Hashable, Sendable, CustomStringConvertible {
    /// The Linux irq number.
    public var irq: String
    /// The count on each CPU, CPU 0 first.
    public var perCPU: [Int]
    /// The hardware interrupt number the chip reports (the INTID for the GIC), when there is one.
    public var hardwareIRQ: Int?
    /// The last word: the action's name.
    public var name: String

    public init?(parsing text: String) {
        let words = text.split(separator: " ")
        guard words.count >= 3, words[0].hasSuffix(":") else { return nil }
        irq = String(words[0].dropLast())
        var counts: [Int] = []
        var index = 1
        while index < words.count, let count = Int(words[index]) {
            counts.append(count)
            index += 1
        }
        guard !counts.isEmpty, index < words.count else { return nil }
        perCPU = counts
        // After the counts: the chip's name, then the hardware number.
        hardwareIRQ = index + 1 < words.count ? Int(words[index + 1]) : nil
        name = String(words[words.count - 1])
    }

    /// The sum over CPUs.
    public var total: Int { perCPU.reduce(0, +) }

    public var description: String {
        var text = irq + ": "
        for count in perCPU { text += String(count) + " " }
        return text + name
    }
}
