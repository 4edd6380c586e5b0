/// How the kernel reads the number in a `KVM_IRQ_LINE` word, which depends on the in-kernel GIC.
///
/// `kvm_vm_ioctl_irq_line` branches on `vgic_is_v5()` (GICVocabulary.docc/InterruptNumbers.md): for
/// GICv2/GICv3 the number is a GICv3-style INTID (PPI 16–31, SPI 32–1019); for GICv5 it is the raw GICv5 ID
/// (PPI 0–127, SPI 0–65535) and the kernel adds the TYPE bits itself.
public enum IRQLineModel: Hashable, Sendable, CaseIterable {
    /// An in-kernel GICv2 or GICv3 (including GICv3 guests on GICv5 hosts via FEAT_GCIE_LEGACY).
    case v2v3
    /// An in-kernel GICv5 (`KVM_DEV_TYPE_ARM_VGIC_V5`).
    case v5
}
