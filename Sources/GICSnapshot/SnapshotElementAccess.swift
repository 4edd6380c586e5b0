import GICVocabulary
import KVM
import VGIC

/// Reading and writing one element of a `SnapshotRegister` through the typed VGIC accessors, and
/// counting the kernel accesses that took. The only place snapshot code touches the vgic.
extension VGIC {
    /// Reads element `index` of `register`. `vcpu` is the vCPU whose redistributor or CPU
    /// interface is meant; for distributor line levels it only has to exist.
    func readElement(
        _ register: SnapshotRegister, _ index: UInt32, vcpu: VCPUIdentity, tally: inout AccessTally
    ) throws(VGICError) -> UInt64 {
        let value: UInt64
        switch register {
        case .distributor(let bank) where bank == .gicdIROUTER:
            value = UInt64(try distributorWord(bank, word: 2 * index))
        case .distributor(let bank):
            value = try distributorRegister(bank, index: index)
        case .redistributor(let bank):
            value = try redistributorRegister(bank, index: index, of: vcpu)
        case .lineLevels:
            value = UInt64(try lineLevels(try VGIC.snapshotSelector(index, vcpu)))
        case .system(let sysreg):
            value = try systemRegister(sysreg, of: vcpu)
        case .activePriorities(let group):
            value = try systemRegister(VGIC.activePriorityRegister(group: group, index: index), of: vcpu)
        }
        tally.reads += register.accessesPerElement
        return value
    }

    /// Writes element `index` of `register`.
    func writeElement(
        _ register: SnapshotRegister, _ index: UInt32, _ value: UInt64, vcpu: VCPUIdentity, tally: inout AccessTally
    ) throws(VGICError) {
        switch register {
        case .distributor(let bank) where bank == .gicdIROUTER:
            try setDistributorWord(bank, word: 2 * index, to: UInt32(truncatingIfNeeded: value))
        case .distributor(let bank):
            try setDistributorRegister(bank, index: index, to: value)
        case .redistributor(let bank):
            try setRedistributorRegister(bank, index: index, of: vcpu, to: value)
        case .lineLevels:
            try setLineLevels(try VGIC.snapshotSelector(index, vcpu), to: UInt32(truncatingIfNeeded: value))
        case .system(let sysreg):
            try setSystemRegister(sysreg, of: vcpu, to: value)
        case .activePriorities(let group):
            try setSystemRegister(VGIC.activePriorityRegister(group: group, index: index), of: vcpu, to: value)
        }
        tally.writes += register.accessesPerElement
    }

    /// Writes all-ones to element `index` of the IC* register `register` (distributor or vCPU).
    func clearElement(
        _ register: GICv3Register, _ index: UInt32, vcpu: VCPUIdentity, tally: inout AccessTally
    ) throws(VGICError) {
        if register.frame.isRedistributor {
            try setRedistributorRegister(register, index: index, of: vcpu, to: 0xFFFF_FFFF)
        } else {
            try setDistributorRegister(register, index: index, to: 0xFFFF_FFFF)
        }
        tally.writes += 1
    }

    /// The LEVEL_INFO selector of element `index` (INTIDs 32 × index ..< 32 × index + 32).
    static func snapshotSelector(_ index: UInt32, _ vcpu: VCPUIdentity) throws(VGICError) -> LevelInfoSelector {
        do throws(GICValueError) {
            return try LevelInfoSelector(affinity: vcpu.affinity, firstINTID: index * LevelInfoSelector.intidsPerAccess)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// The active-priority register for element `index` of a snapshot's APR bank of `group`.
    static func activePriorityRegister(group: UInt8, index: UInt32) throws(VGICError) -> ICCRegister {
        do throws(GICValueError) {
            return try ICCRegister.activePriority(group: group, index: index)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }
}
