import GICVocabulary

/// A virtual interrupt's link to a host interrupt (`irq->hw`, `irq->host_irq`), and the level of
/// that physical line, which the pending check reads for a mapped interrupt
/// (`vgic_get_phys_line_level`) and which drives a directly injected PPI in the guest.
public struct PhysicalMapping: Hashable, Sendable {
    public var hostIRQ: UInt32
    /// The physical line level as the host last saw it.
    public var lineLevel: Bool

    public init(hostIRQ: UInt32, lineLevel: Bool = false) {
        self.hostIRQ = hostIRQ
        self.lineLevel = lineLevel
    }
}
