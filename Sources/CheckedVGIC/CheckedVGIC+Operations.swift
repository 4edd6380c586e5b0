import GICModel
import GICVocabulary
import KVM
import VGIC

/// The `VGIC` operations a VMM uses, checked: each goes to kernel and model, a disagreement in
/// outcome is recorded (`recordedDifferences`), and the kernel's refusal is thrown as `VGIC`
/// would throw it. Call `verify()` to compare register state.
extension CheckedVGIC {
    /// `VGIC.setLevel(_:_:)` for an SPI.
    public mutating func setLevel(_ spi: SPI, _ level: Bool) throws(VGICError) {
        try checked(.setLine(.spi(spi), level: level))
    }

    /// `VGIC.setLevel(_:on:_:)` for a PPI of `vcpu`.
    public mutating func setLevel(_ ppi: PPI, on vcpu: VCPUIdentity, _ level: Bool) throws(VGICError) {
        try checked(.setLine(.ppi(ppi, vcpu: try vcpu.lineIndex()), level: level))
    }

    /// `VGIC.setLine(_:_:)`.
    public mutating func setLine(_ word: IRQLineWord, _ level: Bool) throws(VGICError) {
        try checked(.setLine(word, level: level))
    }

    /// `VGIC.setDistributorRegister(_:index:to:)`.
    public mutating func setDistributorRegister(_ register: GICv3Register, index: UInt32 = 0, to value: UInt64) throws(VGICError) {
        try checked(.writeDistributor(register, index: index, value: value))
    }

    /// `VGIC.setRedistributorRegister(_:index:of:to:)`.
    public mutating func setRedistributorRegister(
        _ register: GICv3Register, index: UInt32 = 0, of vcpu: VCPUIdentity, to value: UInt64
    ) throws(VGICError) {
        try checked(.writeRedistributor(register, index: index, vcpu: vcpu.affinity, value: value))
    }

    /// `VGIC.setLineLevels(_:to:)`.
    public mutating func setLineLevels(_ selector: LevelInfoSelector, to bitmap: UInt32) throws(VGICError) {
        try checked(.writeLineLevels(vcpu: selector.affinity, firstINTID: selector.firstINTID, bitmap: bitmap))
    }

    /// `VGIC.setSystemRegister(_:of:to:)`.
    public mutating func setSystemRegister(_ register: ICCRegister, of vcpu: VCPUIdentity, to value: UInt64) throws(VGICError) {
        try checked(.writeSystemRegister(register, vcpu: vcpu.affinity, value: value))
    }

    /// Performs `operation` on both sides, then throws the kernel's refusal, if any, exactly as
    /// the `VGIC` API threw it.
    mutating func checked(_ operation: GICv3Operation) throws(VGICError) {
        if let refusal = try performKeepingRefusal(operation).refusal { throw refusal }
    }
}
