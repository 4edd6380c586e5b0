import CheckedVGIC
import CKVM
import KVM
import MinimalVMM

/// A booted guest and the bookkeeping the `linux.*` scenarios share: what was sent for the
/// guest to echo, and the reports asked for (Conformance.docc/LinuxGuest.md).
struct LinuxSession: ~Copyable {
    var machine: LinuxMachine
    /// Every echo byte sent so far, in order.
    var sent: [UInt8] = []
    var random: SplitMix64
    /// Milliseconds from the vCPUs' release to the guest's first report.
    let bootToInit: Int64

    /// The guest command that reports the IRQ rows.
    static let reportInterrupts: UInt8 = 0x01
    /// The guest command that spins on every CPU, then reports the IRQ rows.
    static let spinAndReport: UInt8 = 0x05
    /// How long the guest may take to echo what was sent, or to answer a command.
    static let answerMilliseconds: Int64 = 30_000

    /// Boots the guest and waits for its init.
    init(_ context: ScenarioContext, _ configuration: LinuxMachineConfiguration, seed: UInt64) throws(ScenarioFailure) {
        var machine = try LinuxGuest.boot(context, configuration)
        bootToInit = try LinuxGuest.waitForInit(&machine)
        self.machine = machine
        random = SplitMix64(seed: seed)
    }

    /// The first report (INIT … READY).
    var firstReport: GuestReport? { machine.stream.lastReport(with: "READY") }

    /// `count` fresh echo bytes (lowercase letters and digits), sent and remembered.
    mutating func sendEcho(_ count: Int) {
        var bytes: [UInt8] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for _ in 0..<count { bytes.append(alphabet[Int(random.below(UInt32(alphabet.count)))]) }
        sent += bytes
        machine.send(bytes)
    }

    /// Records `bytes` as sent (the caller sent them some other way, e.g. while paused).
    mutating func remember(_ bytes: [UInt8]) { sent += bytes }

    /// `count` fresh echo bytes, not sent yet (the caller sends them and calls `remember`).
    mutating func echoBytes(_ count: Int) -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes.append(alphabet[Int(random.below(UInt32(alphabet.count)))]) }
        return bytes
    }

    /// Waits until the guest has echoed everything sent; then the echo must equal what was sent,
    /// byte for byte (each exactly once, in order).
    mutating func awaitEcho() throws(ScenarioFailure) {
        let expected = sent.count
        _ = machine.wait(timeoutMilliseconds: Self.answerMilliseconds) { $0.echo.count >= expected }
        let echo = machine.stream.echo
        guard echo == sent else {
            throw .fail("echo differs from what was sent: " + Self.compare(sent: sent, echo: echo) + "; " + LinuxGuest.describe(machine))
        }
    }

    /// Sends `command` and waits for the report it brings.
    mutating func ask(_ command: UInt8) throws(ScenarioFailure) -> GuestReport {
        let before = machine.stream.reports.count
        machine.send([command])
        let answered = machine.wait(timeoutMilliseconds: Self.answerMilliseconds) { $0.reports.count > before }
        guard answered, let report = machine.stream.reports.last else {
            throw .fail("the guest did not answer command \(command) within \(Self.answerMilliseconds / 1000) s; " + LinuxGuest.describe(machine))
        }
        return report
    }

    /// Where sent and echoed bytes first differ.
    static func compare(sent: [UInt8], echo: [UInt8]) -> String {
        var index = 0
        while index < sent.count, index < echo.count, sent[index] == echo[index] { index += 1 }
        var text = "\(sent.count) sent, \(echo.count) echoed, equal up to byte \(index)"
        if index < echo.count {
            text += "; echoed from there: \"" + LinuxGuest.printable(echo[index..<min(echo.count, index + 40)]) + "\""
        }
        if index < sent.count {
            text += "; sent from there: \"" + LinuxGuest.printable(sent[index..<min(sent.count, index + 40)]) + "\""
        }
        return text
    }
}
