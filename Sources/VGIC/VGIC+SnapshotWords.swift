import GICVocabulary
import KVM

/// Single 32-bit words of a distributor or redistributor register, for callers that must not
/// touch the other half of a 64-bit element.
///
/// `distributorRegister(_:index:)` moves a whole element, so a GICD_IROUTER element is always two
/// accesses. The kernel keeps only the low word of IROUTER (`vgic_mmio_read_irouter`: "The upper
/// word is RAZ for us"; `vgic_mmio_write_irouter`: "The upper word is WI for us since we don't
/// implement Aff3"), so a snapshot that saves routing word by word halves the cost of the largest
/// bank of a 1020-INTID vgic without losing anything. Word `n` of a register is the 32 bits at
/// `offset + 4n`: word `2m` is the low half of 64-bit element `m`, word `2m + 1` its high half.
extension VGIC {
    /// Reads word `word` of distributor register `register`.
    ///
    /// - Throws: `.configuration(.registerFrame)` for a redistributor register,
    ///   `.configuration(.registerIndex)` for a word past the register's length (count in words);
    ///   the mapped kernel refusal otherwise.
    public func distributorWord(_ register: GICv3Register, word: UInt32) throws(VGICError) -> UInt32 {
        let offset = try wordOffset(register, word, expected: .distributor)
        return try snapshotWord(.distributorRegister(try wordAttribute(VGIC.distributorSelector, offset)))
    }

    /// Writes word `word` of distributor register `register`.
    public func setDistributorWord(_ register: GICv3Register, word: UInt32, to value: UInt32) throws(VGICError) {
        let offset = try wordOffset(register, word, expected: .distributor)
        try setSnapshotWord(.distributorRegister(try wordAttribute(VGIC.distributorSelector, offset)), value)
    }

    /// Reads word `word` of redistributor register `register` (RD or SGI frame) of `vcpu`.
    public func redistributorWord(
        _ register: GICv3Register, word: UInt32, of vcpu: VCPUIdentity
    ) throws(VGICError) -> UInt32 {
        let offset = try wordOffset(register, word, expected: nil)
        return try snapshotWord(.redistributorRegister(try wordAttribute(vcpu.affinity, offset)))
    }

    /// Writes word `word` of redistributor register `register` of `vcpu`.
    public func setRedistributorWord(
        _ register: GICv3Register, word: UInt32, of vcpu: VCPUIdentity, to value: UInt32
    ) throws(VGICError) {
        let offset = try wordOffset(register, word, expected: nil)
        try setSnapshotWord(.redistributorRegister(try wordAttribute(vcpu.affinity, offset)), value)
    }

    // MARK: Plumbing

    /// The attr offset of `word`, after checking the frame (nil: either redistributor frame)
    /// and that the word lies inside the register.
    private func wordOffset(_ register: GICv3Register, _ word: UInt32, expected: GICv3Frame?) throws(VGICError) -> UInt32 {
        if let expected, register.frame != expected {
            throw .configuration(.registerFrame(register, expected: expected))
        }
        if expected == nil, !register.frame.isRedistributor {
            throw .configuration(.registerFrame(register, expected: .redistributorRD))
        }
        let count = register.length / 4
        guard word < count else { throw .configuration(.registerIndex(register, index: word, count: count)) }
        return register.offset + word * 4
    }

    private func wordAttribute(_ affinity: Affinity, _ offset: UInt32) throws(VGICError) -> RegisterAttr {
        do throws(GICValueError) {
            return try RegisterAttr(affinity: affinity, offset: offset)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    private func snapshotWord(_ attribute: DeviceAttribute<UInt32>) throws(VGICError) -> UInt32 {
        do throws(KVMError) {
            return try device.get(attribute)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    private func setSnapshotWord(_ attribute: DeviceAttribute<UInt32>, _ value: UInt32) throws(VGICError) {
        do throws(KVMError) {
            try device.set(attribute, to: value)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }
}
