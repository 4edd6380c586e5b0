/// One device's event as an MSI names it to the ITS: the DeviceID (`KVM_MSI_VALID_DEVID`) and the
/// EventID (the message's data).
struct GuestMSIEvent: Hashable, Sendable {
    var device: UInt32
    var event: UInt32
}
