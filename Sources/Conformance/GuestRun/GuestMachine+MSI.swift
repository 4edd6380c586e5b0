import GICVocabulary
import KVM
import VGIC

/// The kernel side of a scenario's MSIs: `KVM_SIGNAL_MSI` through `VGIC.signalMSI`, and MSI
/// routes wired through `VGIC.connectMSI` (a GSI routed to the ITS doorbell with the device's
/// DeviceID, and an irqfd on it), as a VMM wires a PCI device's MSI-X vectors.
extension GuestMachine {
    /// Wires `scenario.msiRoutes` on `gic`, in order.
    static func wireMSIRoutes(_ gic: inout VGIC, _ scenario: GuestScenario) throws(ScenarioFailure) -> GuestMSILines {
        let lines = GuestMSILines()
        for (index, route) in scenario.msiRoutes.enumerated() {
            do throws(VGICError) {
                let gsi: GSI
                do throws(RoutingProblem) { gsi = try GSI(route.gsi) } catch { throw .configuration(.routing(error)) }
                lines.append(try gic.connectMSI(deviceID: route.device, eventID: route.event, gsi: gsi))
            } catch {
                throw .fail("MSI route \(index) (device \(route.device), event \(route.event), GSI \(route.gsi)): \(error)")
            }
        }
        return lines
    }

    func signalMSI(device: UInt32, event: UInt32) throws(HostFailure) -> UInt64 {
        do throws(VGICError) {
            switch try gic.signalMSI(deviceID: device, eventID: event) {
            case .delivered(let count): return UInt64(count)
            case .blocked: return 0
            }
        } catch {
            switch error {
            case .lpisDisabled(let kernel), .kernel(let kernel):
                if let errno = kernel.errno { throw .refused(errno) }
            default:
                break
            }
            throw .rejected("\(error)")
        }
    }

    func signalMSIRoute(_ n: Int) throws(HostFailure) {
        try msiLines.with(n) { (line) throws(KVMError) in try line.signal() }
    }
}

/// The MSI lines of a guest machine, by scenario index: class boxes, since arrays of
/// `~Copyable` values are not available.
final class GuestMSILines {
    final class Slot {
        let line: MSILine

        init(_ line: consuming MSILine) {
            self.line = line
        }
    }

    private var slots: [Slot] = []

    func append(_ line: consuming MSILine) {
        slots.append(Slot(line))
    }

    /// `body` on line `n`; a line the scenario does not have is a refusal before any call.
    func with(_ n: Int, _ body: (borrowing MSILine) throws(KVMError) -> Void) throws(HostFailure) {
        guard slots.indices.contains(n) else { throw .rejected("no MSI route \(n)") }
        do throws(KVMError) {
            try body(slots[n].line)
        } catch {
            if let errno = error.errno { throw .refused(errno) }
            throw .rejected("\(error)")
        }
    }
}
