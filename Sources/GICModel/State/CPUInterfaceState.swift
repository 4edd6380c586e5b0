import GICVocabulary

/// One vCPU's GICv3 CPU interface as KVM stores it while the vCPU is not running: the ICH_VMCR_EL2
/// image (`vgic_v3_cpu_if.vgic_vmcr`), the active-priority registers and the per-vCPU sizes.
///
/// The VMCR fields keep what `vgic_v3_set_vmcr` packs: VPMR 8 bits, VBPR0 and VBPR1 3 bits each,
/// VCBPR, VEOIM, VENG0, VENG1. Nothing masks unimplemented priority bits until the vCPU runs
/// (divergence 4 in GICModel.docc/AttributeView.md), and the model never runs a vCPU.
public struct CPUInterfaceState: Hashable, Sendable {
    /// ICC_PMR_EL1 (VMCR.VPMR), all 8 bits as written.
    public var pmr: UInt8 = 0
    /// ICC_BPR0_EL1 (VMCR.VBPR0), 3 bits.
    public var bpr0: UInt8 = 0
    /// ICC_BPR1_EL1 (VMCR.VBPR1), 3 bits, used when CBPR is clear.
    public var bpr1: UInt8 = 0
    /// ICC_CTLR_EL1.CBPR (VMCR.VCBPR).
    public var cbpr = false
    /// ICC_CTLR_EL1.EOImode (VMCR.VEOIM).
    public var eoiMode = false
    /// ICC_IGRPEN0_EL1 (VMCR.VENG0).
    public var groupEnable0 = false
    /// ICC_IGRPEN1_EL1 (VMCR.VENG1).
    public var groupEnable1 = false
    /// ICC_AP0R0..3_EL1 (`vgic_ap0r[]`, 32 bits each).
    public var ap0r: [UInt32] = [0, 0, 0, 0]
    /// ICC_AP1R0..3_EL1 (`vgic_ap1r[]`).
    public var ap1r: [UInt32] = [0, 0, 0, 0]
    /// `num_pri_bits`: starts at the host's and only ever shrinks (through ICC_CTLR_EL1 writes).
    public var priorityBits: UInt8
    /// `num_id_bits`: likewise.
    public var idBits: UInt8

    /// `vgic_v3_enable`: VMCR zero, APRs zero, sizes from the host.
    public init(host: HostCPUInterface) {
        priorityBits = host.priorityBits
        idBits = host.idBits
    }

    /// `vgic_v3_max_apr_idx`: 7 bits → 3, 6 → 1, anything else → 0 (the vocabulary's rule).
    public var maxAPRIndex: UInt8 {
        ICCRegister.maxAPRIndex(priorityBits: UInt32(priorityBits))
    }
}
