import GICVocabulary

/// ICH_VMCR_EL2 in its FEAT_GCIE layout, the part of a vCPU's CPU interface KVM keeps in
/// `vgic_vmcr`: EN (bit 0) holds the guest's ICC_CR0_EL1.EN and VPMR (bits [31:27]) its
/// ICC_PCR_EL1.PRIORITY (GICv5Model.docc/GICv5Architecture.md, `vgic_v5_get_vmcr` / `vgic_v5_set_vmcr`).
public struct VirtualMachineControl: Hashable, Sendable {
    /// ICC_CR0_EL1.EN: the guest accepts interrupts at all.
    public var enabled: Bool
    /// ICC_PCR_EL1.PRIORITY, 0–31: interrupts of this priority or higher may be signalled (the mask
    /// is inclusive, GICv5Model.docc/GICv5Architecture.md).
    public var priorityMask: UInt8

    public init(enabled: Bool = false, priorityMask: UInt8 = 0) {
        self.enabled = enabled
        self.priorityMask = priorityMask & 0x1F
    }

    /// From the register: EN bit 0, VPMR [31:27]; other bits are not kept.
    public init(register: UInt64) {
        self.init(enabled: register & 1 != 0, priorityMask: UInt8(truncatingIfNeeded: register >> 27) & 0x1F)
    }

    /// The register value.
    public var register: UInt64 {
        (enabled ? 1 : 0) | UInt64(priorityMask & 0x1F) << 27
    }
}
