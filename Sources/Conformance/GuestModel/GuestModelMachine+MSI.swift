import GICModel
import GICVocabulary
import KVM

/// The model side of a scenario's MSIs (KVM.docc/InterruptRouting.md): `KVM_SIGNAL_MSI` is the
/// ITS's translation of (DeviceID, EventID) with the kernel's answer (1 delivered, 0 blocked,
/// EBUSY while the target's LPIs or the ITS are disabled); an irqfd on an MSI route sends the
/// route's message the same way and swallows the answer.
extension GuestModelMachine {
    mutating func signalMSI(device: UInt32, event: UInt32) throws(HostFailure) -> UInt64 {
        switch delivery.signalMSI(device: device, event: event) {
        case .delivered: return 1
        case .blocked: return 0
        case .refused(let errno): throw .refused(Errno(rawValue: errno.rawValue))
        }
    }

    mutating func signalMSIRoute(_ n: Int) throws(HostFailure) {
        guard scenario.msiRoutes.indices.contains(n) else { throw .rejected("no MSI route \(n)") }
        let route = scenario.msiRoutes[n]
        _ = delivery.signalMSI(device: route.device, event: route.event)
    }
}
