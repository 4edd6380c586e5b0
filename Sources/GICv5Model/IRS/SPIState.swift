import GICVocabulary

/// An SPI: its IRS state plus the input wire and how the wire is sampled (IRS_SPI_CFGR.TM).
public struct SPIState: Hashable, Sendable {
    public var interrupt: IRSInterrupt
    public var triggerMode: GICv5TriggerMode
    /// The level of the input wire as last driven.
    public var lineLevel: Bool

    public init(interrupt: IRSInterrupt = IRSInterrupt(), triggerMode: GICv5TriggerMode = .edge,
                lineLevel: Bool = false) {
        self.interrupt = interrupt
        self.triggerMode = triggerMode
        self.lineLevel = lineLevel
    }
}
