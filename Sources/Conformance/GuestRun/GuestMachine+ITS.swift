import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// The kernel side of a scenario's ITS: guest RAM written through the VMM's mapping, the ITS's
/// registers through ITS_REGS, EnableLPIs through REDIST_REGS, `KVM_SIGNAL_MSI`, and MSI routes
/// wired with `VGIC.connectMSI`, as a VMM does.
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
                throw .fail("MSI route \(index) (device \(route.device) event \(route.event)): \(error)")
            }
        }
        return lines
    }

    func writeRAM(_ bytes: [UInt8], at address: UInt64) throws(HostFailure) {
        guard address >= GuestLayout.ramBase, memory.write(bytes, at: Int(address - GuestLayout.ramBase)) else {
            throw .rejected("\(bytes.count) bytes at \(hex(address)) are not guest RAM")
        }
    }

    func itsRegister(_ register: ITSRegister, index: UInt32) throws(HostFailure) -> UInt64 {
        try its { () throws(VGICError) -> UInt64 in try gic.itsRegister(register, index: index) }
    }

    func setITSRegister(_ register: ITSRegister, index: UInt32, _ value: UInt64) throws(HostFailure) {
        try its { () throws(VGICError) in try gic.setITSRegister(register, index: index, to: value) }
    }

    func enableLPIs(vcpu: Int) throws(HostFailure) {
        guard identities.indices.contains(vcpu) else { throw .rejected("no vCPU \(vcpu)") }
        try its { () throws(VGICError) in try gic.setLPIsEnabled(true, on: identities[vcpu]) }
    }

    func signalMSI(device: UInt32, event: UInt32) throws(HostFailure) -> UInt64 {
        try its { () throws(VGICError) -> UInt64 in
            switch try gic.signalMSI(deviceID: device, eventID: event) {
            case .delivered: 1
            case .blocked: 0
            }
        }
    }

    func signalMSIRoute(_ n: Int) throws(HostFailure) {
        try msiLines.with(n) { (line) throws(KVMError) in try line.signal() }
    }

    private func its<Value>(_ body: () throws(VGICError) -> Value) throws(HostFailure) -> Value {
        do throws(VGICError) {
            return try body()
        } catch {
            if let errno = error.errno { throw .refused(errno) }
            throw .rejected("\(error)")
        }
    }
}

/// The MSI routes of a guest machine, by scenario index (class boxes: arrays of `~Copyable`
/// values are not available).
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

    func with<Value>(_ n: Int, _ body: (borrowing MSILine) throws(KVMError) -> Value) throws(HostFailure) -> Value {
        guard slots.indices.contains(n) else { throw .rejected("no MSI route \(n)") }
        do throws(KVMError) {
            return try body(slots[n].line)
        } catch {
            if let errno = error.errno { throw .refused(errno) }
            throw .rejected("\(error)")
        }
    }
}
