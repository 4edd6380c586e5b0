/// A device's MSI a guest scenario wires through an irqfd on an MSI route
/// (`GuestScenario.msiRoutes`): the GSI, and the DeviceID and EventID the route's message carries
/// to the ITS doorbell (`VGIC.connectMSI`).
struct GuestMSIRoute: Hashable, Sendable {
    var device: UInt32
    var event: UInt32
    /// Above the SPIs' default GSIs (CTRL_INIT routes GSI n to SPI n + 32).
    var gsi: UInt32
}
