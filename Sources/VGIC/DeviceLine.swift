import GICVocabulary
import KVM

/// An SPI wired to a device through an irqfd (`VGIC.connectIRQFD`): the eventfds the device
/// model signals and, for a level line, hears the guest's acknowledgement on.
///
/// `~Copyable` because it owns the eventfds, and `Sendable` so it can move to the device's
/// thread. Closing them (this owner going away) detaches the irqfd in the kernel; keep it as long
/// as the device is wired.
public struct IRQFDLine: ~Copyable, Sendable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this owner.
    deinit {}

    /// The SPI the line raises.
    public let spi: SPI
    /// The GSI routed to it.
    public let gsi: GSI
    /// Signalled by the device to raise the line.
    public let trigger: EventFD
    /// For a level line: signalled by the kernel when the guest has acknowledged the interrupt
    /// (the kernel has lowered the line then). nil for an edge line.
    public let resample: EventFD?

    init(spi: SPI, gsi: GSI, trigger: consuming EventFD, resample: consuming EventFD?) {
        self.spi = spi
        self.gsi = gsi
        self.trigger = trigger
        self.resample = resample
    }

    /// Whether the line is level-triggered (has a resampler).
    public var isLevel: Bool { resample != nil }

    /// Raises the line: an edge for an edge line; for a level line, the line goes high and stays
    /// high until the guest acknowledges it.
    public func assert() throws(KVMError) {
        try trigger.signal()
    }

    /// How many acknowledgements arrived since the last call (0 for none, and always for an edge
    /// line). After one, a device whose condition still holds calls `assert()` again.
    public func takeAcknowledgements() throws(KVMError) -> UInt64 {
        try resample?.consume() ?? 0
    }
}

/// An ITS event wired to a device through an MSI route and an irqfd (`VGIC.connectMSI`).
public struct MSILine: ~Copyable, Sendable {
    deinit {}

    /// The GSI routed to the message.
    public let gsi: GSI
    /// What the route sends: the ITS doorbell, the EventID, the DeviceID.
    public let message: MSIMessage
    /// Signalled by the device to send the message once.
    public let trigger: EventFD

    init(gsi: GSI, message: MSIMessage, trigger: consuming EventFD) {
        self.gsi = gsi
        self.message = message
        self.trigger = trigger
    }

    /// Sends the message (the kernel translates it through the ITS, from the write's wake-up).
    public func signal() throws(KVMError) {
        try trigger.signal()
    }
}

/// What a GSI connected through the vgic raises.
enum ConnectedLine: Hashable, Sendable {
    case spi(SPI, level: Bool)
    case msi(MSIMessage)
}
