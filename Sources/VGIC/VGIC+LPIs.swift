import GICVocabulary
import KVM

/// The redistributor side of LPIs: each vCPU's GICR_PROPBASER, GICR_PENDBASER and
/// GICR_CTLR.EnableLPIs, selected by the vCPU's affinity (never its index), and the pending
/// tables' save (VGIC.docc/ITS.md).
///
/// GICR_PROPBASER is one register for the whole VM (`dist->propbaser`): writing it through any
/// vCPU's redistributor changes what every one reads. Both base registers ignore writes once that
/// vCPU's LPIs are enabled, so a restore writes them before GICR_CTLR.
extension VGIC {
    /// GICR_PROPBASER as `vcpu`'s redistributor reads it (the VM's one LPI configuration table).
    public func lpiPropertyBase(of vcpu: VCPUIdentity) throws(VGICError) -> UInt64 {
        try redistributorRegister(.gicrPROPBASER, of: vcpu)
    }

    /// Writes GICR_PROPBASER through `vcpu`'s redistributor (sanitised; ignored once its LPIs are enabled).
    public func setLPIPropertyBase(_ value: UInt64, of vcpu: VCPUIdentity) throws(VGICError) {
        try setRedistributorRegister(.gicrPROPBASER, of: vcpu, to: value)
    }

    /// `vcpu`'s GICR_PENDBASER (PTZ reads 0).
    public func lpiPendingBase(of vcpu: VCPUIdentity) throws(VGICError) -> UInt64 {
        try redistributorRegister(.gicrPENDBASER, of: vcpu)
    }

    /// Writes `vcpu`'s GICR_PENDBASER (sanitised; ignored once its LPIs are enabled).
    public func setLPIPendingBase(_ value: UInt64, of vcpu: VCPUIdentity) throws(VGICError) {
        try setRedistributorRegister(.gicrPENDBASER, of: vcpu, to: value)
    }

    /// GICR_CTLR.EnableLPIs of `vcpu`.
    public func lpisEnabled(on vcpu: VCPUIdentity) throws(VGICError) -> Bool {
        try redistributorRegister(.gicrCTLR, of: vcpu) & 1 != 0
    }

    /// Sets GICR_CTLR.EnableLPIs of `vcpu` (the register's only bit a write changes). Without an
    /// ITS the kernel ignores it. Enabling reads the vCPU's pending table from guest RAM unless
    /// GICR_PENDBASER.PTZ was written as 1.
    public func setLPIsEnabled(_ enabled: Bool, on vcpu: VCPUIdentity) throws(VGICError) {
        try setRedistributorRegister(.gicrCTLR, of: vcpu, to: enabled ? 1 : 0)
    }

    /// `KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`: writes every LPI's pending bit to its vCPU's
    /// pending table in guest RAM. Pause the vCPUs first (`.vcpusRunning` otherwise).
    ///
    /// - Throws: `.guestMemory` (EFAULT) when a table lies outside guest RAM.
    public func savePendingTables() throws(VGICError) {
        do throws(KVMError) {
            try device.perform(.control(.savePendingTables))
        } catch {
            switch error.errno {
            case .EBUSY?: throw .vcpusRunning(error)
            case .EFAULT?: throw .guestMemory(error)
            default: throw .kernel(error)
            }
        }
    }
}
