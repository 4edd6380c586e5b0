/// The trigger flags of a GIC interrupt specifier's third cell, bits 3:0 (the `IRQ_TYPE_*`
/// values of include/dt-bindings/interrupt-controller/irq.h; GICDescription.docc/GICBinding.md,
/// "Interrupt specifiers").
///
/// The GICv3 binding allows only `edgeRising` and `levelHigh`; the GICv2 binding also names the
/// falling edge and active-low level, for PPIs only.
public enum InterruptTrigger: UInt32, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// 1, `IRQ_TYPE_EDGE_RISING`.
    case edgeRising = 1
    /// 2, `IRQ_TYPE_EDGE_FALLING` (GICv2 PPIs only).
    case edgeFalling = 2
    /// 4, `IRQ_TYPE_LEVEL_HIGH`: level-sensitive, what the GIC and KVM call "level".
    case levelHigh = 4
    /// 8, `IRQ_TYPE_LEVEL_LOW` (GICv2 PPIs only).
    case levelLow = 8

    public var description: String {
        switch self {
        case .edgeRising: "IRQ_TYPE_EDGE_RISING"
        case .edgeFalling: "IRQ_TYPE_EDGE_FALLING"
        case .levelHigh: "IRQ_TYPE_LEVEL_HIGH"
        case .levelLow: "IRQ_TYPE_LEVEL_LOW"
        }
    }
}
