/// The 64 KiB register frames a GICv3 register can live in, as `DIST_REGS`/`REDIST_REGS` see them.
///
/// The distributor is one frame (`KVM_DEV_ARM_VGIC_GRP_DIST_REGS`). Each redistributor is two
/// (`KVM_DEV_ARM_VGIC_GRP_REDIST_REGS`): the RD frame at RD_base and the SGI frame at RD_base + 0x10000;
/// REDIST_REGS offsets count from RD_base, so SGI-frame registers have offsets 0x10000 and up
/// (GICVocabulary.docc/GICv3RegisterMap.md).
public enum GICv3Frame: String, Hashable, Sendable, CaseIterable {
    case distributor = "GICD"
    case redistributorRD = "GICR RD_base"
    case redistributorSGI = "GICR SGI_base"

    /// Where the frame starts in attr-offset terms: 0, 0, and 0x10000 for the SGI frame.
    public var attrOffsetBase: UInt32 {
        switch self {
        case .distributor, .redistributorRD: return 0
        case .redistributorSGI: return 0x1_0000
        }
    }

    /// True for the two redistributor frames, which are reached through `KVM_DEV_ARM_VGIC_GRP_REDIST_REGS`
    /// and select the vCPU by affinity.
    public var isRedistributor: Bool { self != .distributor }

    /// The INTID the frame's per-interrupt banks start with: 32 in the distributor, whose first 32
    /// INTIDs' bits are RAZ/WI (`REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`), 0 in the SGI frame, which
    /// holds exactly the 32 private INTIDs.
    var firstINTID: UInt32 {
        self == .distributor ? SPI.intids.lowerBound : SGI.intids.lowerBound
    }
}
