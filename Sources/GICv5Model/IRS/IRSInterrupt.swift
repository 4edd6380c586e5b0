import GICVocabulary

/// The state the Interrupt Routing Service keeps for one SPI or LPI: exactly what an L2 interrupt
/// state table entry holds (GICv5Model.docc/GICv5Architecture.md, QEMU `GICv5SPIState` / `L2_ISTE`), apart from
/// the HWU bits, which are for hardware use.
///
/// Unlike a PPI the pending state is one stored bit: a level SPI's bit is driven by the sampling
/// rules of `GICv5IRS.setLine` (SET_LEVEL / CLEAR), an edge SPI's and an LPI's only by events.
public struct IRSInterrupt: Hashable, Sendable {
    public var enabled: Bool
    public var pending: Bool
    public var active: Bool
    public var handlingMode: GICv5HandlingMode
    /// 0–31, already masked to the IRS's implemented bits.
    public var priority: UInt8
    /// IAFFID of the target PE.
    public var target: UInt16
    /// IRM. The model delivers 1-of-N interrupts to `target` as if targeted, as QEMU does
    /// (`gicv5_set_target`: "treat IRM=1 the same as IRM=0"); 1-of-N selection is not modelled.
    public var routing: GICv5RoutingMode

    /// The reset state: everything 0 (disabled, idle, edge, priority 0, IAFFID 0, targeted), the
    /// value of a zeroed ISTE.
    public init(enabled: Bool = false, pending: Bool = false, active: Bool = false,
                handlingMode: GICv5HandlingMode = .edge, priority: UInt8 = 0, target: UInt16 = 0,
                routing: GICv5RoutingMode = .targeted) {
        self.enabled = enabled
        self.pending = pending
        self.active = active
        self.handlingMode = handlingMode
        self.priority = priority & 0x1F
        self.target = target
        self.routing = routing
    }

    /// A candidate for the highest priority pending interrupt: enabled, pending and not active
    /// (GICv5Model.docc/GICv5Architecture.md).
    public var isCandidate: Bool { enabled && pending && !active }
}
