import GICVocabulary

/// One interrupt as a device's `interrupts` property names it to a GIC with
/// `#interrupt-cells = <3>`: the type, the number within the type, the flags
/// (GICDescription.docc/GICBinding.md, "Interrupt specifiers").
///
/// Built from the typed INTIDs so the DT number cannot be confused with the INTID: a PPI's
/// cell is INTID − 16 and an SPI's INTID − 32 (GICVocabulary.docc/Pitfalls.md item 9).
public struct GICInterruptSpecifier: Hashable, Sendable {
    /// The first cell: 0 SPI, 1 PPI (the binding's 2 and 3, extended SPI and PPI, do not exist
    /// in KVM's vgic).
    public enum Kind: UInt32, Hashable, Sendable {
        case spi = 0
        case ppi = 1
    }

    public let kind: Kind
    /// The second cell: the SPI or PPI index.
    public let number: UInt32
    public let trigger: InterruptTrigger
    /// Bits 15:8 of the third cell, GICv2 only: which of up to 8 CPUs a PPI is wired to. The
    /// GICv3 binding has no such field; the GICv3 driver masks it away.
    public let cpuMask: UInt8

    /// A PPI. `cpuMask` is for a GICv2 only.
    public init(_ ppi: PPI, _ trigger: InterruptTrigger, cpuMask: UInt8 = 0) {
        kind = .ppi
        number = ppi.index
        self.trigger = trigger
        self.cpuMask = cpuMask
    }

    /// An SPI (the third cell of an SPI has no CPU mask).
    public init(_ spi: SPI, _ trigger: InterruptTrigger) {
        kind = .spi
        number = spi.index
        self.trigger = trigger
        cpuMask = 0
    }

    /// The three cells.
    public var cells: [UInt32] { [kind.rawValue, number, UInt32(cpuMask) << 8 | trigger.rawValue] }

    /// The INTID the guest's GIC driver will use: 16 + number for a PPI, 32 + number for an SPI.
    public var intid: UInt32 { kind == .ppi ? 16 + number : 32 + number }
}
