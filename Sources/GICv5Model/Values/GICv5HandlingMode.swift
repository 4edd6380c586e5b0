import GICVocabulary

/// How a GICv5 interrupt's pending state behaves: edge (acknowledge clears pending) or level (pending follows
/// the input; acknowledge leaves it). The HM bit of ICC_PPI_HMRx_EL1, an ISTE and ICC_ICSR_EL1 is 1 for
/// level, 0 for edge (GICVocabulary.docc/GICv5Interrupts.md, GICv5Model.docc/GICv5Architecture.md).
public enum GICv5HandlingMode: UInt8, Hashable, Sendable {
    case edge = 0
    case level = 1

    /// From an HM bit.
    public init(hmBit: Bool) {
        self = hmBit ? .level : .edge
    }

    /// The HM bit.
    public var hmBit: Bool { self == .level }

    /// The fixed handling mode of a PPI (R_CFSKX): SW_PPI (3) is edge, every other PPI is level. CTIIRQ (24)
    /// is IMPLEMENTATION DEFINED architecturally; KVM creates every PPI but SW_PPI as level
    /// (`kvm_vgic_create`, GICv5Model.docc/GICv5UnderKVM.md) and QEMU resets HMR to all ones but bit 3, so
    /// the model takes level for it too.
    public static func fixed(for ppi: GICv5PPI) -> GICv5HandlingMode {
        ppi == .swPPI ? .edge : .level
    }

    /// The ICC_PPI_HMR0/1_EL1 images: a bit set for every level PPI. Bank 0 is
    /// `0xFFFF_FFFF_FFFF_FFF7` (all but SW_PPI), bank 1 all ones: QEMU's reset values
    /// `PPI_HMR0_RESET` / `PPI_HMR1_RESET`. (Unimplemented PPIs are RES0 architecturally; the model
    /// implements all 128 PPIs, as QEMU does.)
    public static let ppiHandlingModes: PPISet = PPISet(GICv5PPI.everyPPI.filter { fixed(for: $0) == .level })
}
