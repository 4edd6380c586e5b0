import GICModel
import GICVocabulary
import GuestHarness
import KVM

/// The model side of a scenario's ITS: the same accesses on the delivery model's ITS and LPI
/// entry points (`VGICDelivery+LPI.swift`), with the model's copy of guest RAM.
extension GuestModelMachine {
    mutating func writeRAM(_ bytes: [UInt8], at address: UInt64) throws(HostFailure) {
        guard memory.write(bytes, at: address) else { throw .rejected("\(bytes.count) bytes at \(hex(address)) are not guest RAM") }
    }

    mutating func itsRegister(_ register: ITSRegister, index: UInt32) throws(HostFailure) -> UInt64 {
        guard let value = delivery.hostReadITS(register, index: index) else { throw .refused(.ENXIO) }
        return value
    }

    mutating func setITSRegister(_ register: ITSRegister, index: UInt32, _ value: UInt64) throws(HostFailure) {
        guard delivery.its != nil else { throw .refused(.ENXIO) }
        if let errno = delivery.hostWriteITS(register, index: index, value, memory: &memory) {
            throw .refused(Errno(rawValue: errno.rawValue))
        }
    }

    mutating func enableLPIs(vcpu: Int) throws(HostFailure) {
        guard vcpu >= 0 && vcpu < delivery.gic.vcpuCount else { throw .rejected("no vCPU \(vcpu)") }
        delivery.writeLPIControl(1, vcpu: vcpu, memory: memory)
    }

    mutating func signalMSI(device: UInt32, event: UInt32) throws(HostFailure) -> UInt64 {
        switch delivery.signalMSI(device: device, event: event) {
        case .delivered: return 1
        case .blocked: return 0
        case .refused(let errno): throw .refused(Errno(rawValue: errno.rawValue))
        }
    }

    /// An irqfd on an MSI route: the kernel's injection of the route's message, its answer
    /// swallowed (the eventfd write itself succeeded).
    mutating func signalMSIRoute(_ n: Int) throws(HostFailure) {
        guard scenario.msiRoutes.indices.contains(n) else { throw .rejected("no MSI route \(n)") }
        let route = scenario.msiRoutes[n]
        _ = delivery.signalMSI(device: route.device, event: route.event)
    }
}
