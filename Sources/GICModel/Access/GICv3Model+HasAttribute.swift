import GICVocabulary

/// `KVM_HAS_DEVICE_ATTR`: which attrs exist (`vgic_v3_has_attr`, `vgic_v3_has_attr_regs`).
///
/// HAS is where ENXIO lives: GET and SET of an offset in no region succeed (reading 0), but HAS
/// says the register does not exist. HAS parses the selector first, so a REDIST_REGS or
/// CPU_SYSREGS attr whose affinity names no vCPU is EINVAL even at a valid offset.
extension GICv3Model {
    /// HAS for DIST_REGS at `offset`: ENXIO where `readDistributor` would find no region.
    public func hasDistributorRegister(offset: UInt32) throws(ModelRefusal) {
        guard distributorRegion(offset) != nil else { throw ModelRefusal(.ENXIO, .noRegisterAt(offset: offset)) }
    }

    /// HAS for REDIST_REGS at `offset` of the vCPU with affinity `selector`.
    public func hasRedistributorRegister(_ selector: Affinity, offset: UInt32) throws(ModelRefusal) {
        _ = try vcpu(selectedBy: selector)
        guard offset & 3 == 0, KernelRegionSearch.redistributor(offset) != nil else {
            throw ModelRefusal(.ENXIO, .noRegisterAt(offset: offset))
        }
    }

    /// HAS for CPU_SYSREGS: ENXIO for an unknown or hidden register (GET/SET say ENOENT).
    public func hasSystemRegister(_ selector: Affinity, _ encoding: SysRegEncoding) throws(ModelRefusal) {
        _ = try vcpu(selectedBy: selector)
        do throws(ModelRefusal) {
            _ = try Self.exposedRegister(encoding)
        } catch {
            throw ModelRefusal(.ENXIO, error.reason)
        }
    }

    /// HAS for LEVEL_INFO: only the info field is checked (no selector, no alignment).
    public func hasLineLevels(attr: UInt64) throws(ModelRefusal) {
        let info = UInt32(truncatingIfNeeded: (attr & LevelInfoSelector.infoMask) >> 10)
        guard info == 0 else { throw ModelRefusal(.ENXIO, .levelInfoKind(info)) }
    }
}
