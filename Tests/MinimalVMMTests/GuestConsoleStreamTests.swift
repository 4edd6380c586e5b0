import Testing

@testable import MinimalVMM

/// The guest init's serial protocol taken apart (MinimalVMM.docc/GuestProtocol.md).
@Suite("Guest console stream")
struct GuestConsoleStreamTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("kernel output before the first report is the preamble; bytes outside reports after it are the echo")
    func framing() {
        var stream = GuestConsoleStream()
        stream.feed(Self.bytes("[ 1.0] boot\n") + [0x02] + Self.bytes("INIT 2021\nCPUS 0-3\nREADY \n") + [0x03] + Self.bytes("ab"))
        stream.feed(Self.bytes("c") + [0x02] + Self.bytes("UPTIME 5000\n"))
        #expect(stream.preamble == Self.bytes("[ 1.0] boot\n"))
        #expect(stream.reports.count == 1, "a report is complete only at ETX")
        #expect(stream.echo == Self.bytes("abc"))
        stream.feed(Self.bytes("IRQ 11: 1 2 GICv3 27 Level arch_timer\n") + [0x03] + Self.bytes("d"))
        #expect(stream.reports.count == 2)
        #expect(stream.echo == Self.bytes("abcd"), "bytes inside a report are not echo")
        #expect(stream.consumed == 12 + 1 + 26 + 1 + 2 + 1 + 1 + 12 + 38 + 1 + 1)
        #expect(stream.lastReport(with: "READY")?.value(of: "CPUS") == "0-3")
        #expect(stream.lastReport(with: "UPTIME")?.value(of: "UPTIME") == "5000")
        #expect(stream.reports[0].value(of: "READY") == "")
    }

    @Test(
        "/proc/interrupts rows: counts per CPU, the hardware interrupt, the action's name",
        arguments: [
            ("11: 489 377 388 390 GICv3 27 Level arch_timer", [489, 377, 388, 390], 27, "arch_timer"),
            ("13: 0 0 0 0 GICv3 33 Level uart-pl011", [0, 0, 0, 0], 33, "uart-pl011"),
            ("IPI0: 12 34 Rescheduling interrupts", [12, 34], nil, "interrupts"),
        ] as [(String, [Int], Int?, String)])
    func interruptRows(text: String, counts: [Int], hardware: Int?, name: String) throws {
        let row = try #require(InterruptRow(parsing: text))
        #expect(row.perCPU == counts)
        #expect(row.hardwareIRQ == hardware)
        #expect(row.name == name)
        #expect(row.total == counts.reduce(0, +))
    }

    @Test("what is not a row is refused", arguments: ["", "CPU0 CPU1", "11: GICv3 27 Level", "11 1 2 x"])
    func notRows(text: String) {
        #expect(InterruptRow(parsing: text) == nil)
    }

    @Test("a report's rows by name")
    func reportRows() {
        var stream = GuestConsoleStream()
        stream.feed([0x02] + Self.bytes("IRQ 11: 5 6 GICv3 27 Level arch_timer\nIRQ 13: 7 0 GICv3 33 Level uart-pl011\n") + [0x03])
        let report = stream.reports[0]
        #expect(report.interrupts.count == 2)
        #expect(report.interrupt("uart-pl011")?.perCPU == [7, 0])
        #expect(report.interrupt("virtio") == nil)
    }
}
