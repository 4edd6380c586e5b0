/// What a GICv3 register reads as on a freshly created and initialised vgic-v3, before anyone
/// writes it: the state `kvm_vgic_dist_init`, `kvm_vgic_vcpu_init` and `vgic_v3_enable` leave.
///
/// The model's reset state is checked against this column (`RegisterTableBehaviourTests` in
/// GICModelTests), and through the model against the kernel by the lab's reset scenarios.
public enum GICv3Reset: Hashable, Sendable {
    /// The register reads `value` (its low word at the register's offset, its high word at +4).
    case value(UInt64)
    /// The value reports the VM's configuration (NR_IRQS, the ITS, the vCPU's affinity, the ID
    /// registers), so no one constant holds: GICD_TYPER, GICR_TYPER, the ID register blocks.
    case configuration
    /// Per-interrupt: every SGI's field holds `sgi`, every PPI's `ppi`, every SPI's `spi`
    /// (SGIs reset enabled and edge, PPIs level, SPIs edge; everything Group 1).
    case fields(sgi: UInt64, ppi: UInt64, spi: UInt64)

    /// Every field zero.
    public static let zeroFields = GICv3Reset.fields(sgi: 0, ppi: 0, spi: 0)

    /// The field value `intid` resets to, or nil for a register that is not per-interrupt.
    public func field(_ intid: UInt32) -> UInt64? {
        guard case .fields(let sgi, let ppi, let spi) = self else { return nil }
        if intid < 16 { return sgi }
        return intid < 32 ? ppi : spi
    }
}
