import GICVocabulary
import KVM
import VGIC

/// The kernel side of a scenario's irqfds: each wired through `VGIC.connectIRQFD`, as a VMM
/// would, and its eventfds kept for the host actions that signal and read them.
extension GuestMachine {
    /// Wires `scenario.irqfds` on `gic`, in order.
    static func wireIRQFDs(_ gic: inout VGIC, _ scenario: GuestScenario) throws(ScenarioFailure) -> GuestIRQFDLines {
        let lines = GuestIRQFDLines()
        for (index, wiring) in scenario.irqfds.enumerated() {
            do throws(VGICError) {
                let spi: SPI
                do throws(GICValueError) { spi = try SPI(intid: wiring.spi) } catch { throw .configuration(.invalidValue(error)) }
                var gsi: GSI? = nil
                if let number = wiring.gsi {
                    do throws(RoutingProblem) { gsi = try GSI(number) } catch { throw .configuration(.routing(error)) }
                }
                lines.append(try gic.connectIRQFD(spi, gsi: gsi, level: wiring.resample))
            } catch {
                throw .fail("irqfd \(index) (SPI \(wiring.spi)): \(error)")
            }
        }
        return lines
    }

    func signalIRQFD(_ n: Int) throws(HostFailure) {
        try irqfdLines.with(n) { (line) throws(KVMError) in try line.assert() }
    }

    func takeResample(_ n: Int) throws(HostFailure) -> UInt64 {
        try irqfdLines.with(n) { (line) throws(KVMError) -> UInt64 in try line.takeAcknowledgements() }
    }
}

/// The irqfd lines of a guest machine, by scenario index: class boxes, since arrays of
/// `~Copyable` values are not available.
final class GuestIRQFDLines {
    final class Slot {
        let line: IRQFDLine

        init(_ line: consuming IRQFDLine) {
            self.line = line
        }
    }

    private var slots: [Slot] = []

    func append(_ line: consuming IRQFDLine) {
        slots.append(Slot(line))
    }

    /// `body` on line `n`; a line the scenario does not have is a refusal before any call.
    func with<Value>(_ n: Int, _ body: (borrowing IRQFDLine) throws(KVMError) -> Value) throws(HostFailure) -> Value {
        guard slots.indices.contains(n) else { throw .rejected("no irqfd \(n)") }
        do throws(KVMError) {
            return try body(slots[n].line)
        } catch {
            if let errno = error.errno { throw .refused(errno) }
            throw .rejected("\(error)")
        }
    }
}
