import GICModel
import GICVocabulary
import KVM
import VGIC

/// The model side of `HostAction`: the same operations on the model's userspace entry points,
/// element by element as VGIC makes them (64-bit elements as two 32-bit accesses, low word
/// first), with KVM's queueing (`VGICDelivery+Host.swift`).
extension GuestModelMachine: HostBackend {
    mutating func setLine(_ word: IRQLineWord, level: Bool) throws(HostFailure) {
        try Self.model { () throws(ModelRefusal) in try delivery.hostSetLine(word, level: level) }
    }

    mutating func register(_ register: GICv3Register, vcpu: Int, index: UInt32) throws(HostFailure) -> UInt64 {
        let offset = try Self.checkedOffset(register, index: index)
        var value = try word(register, vcpu: vcpu, offset: offset)
        if elementSize(register) == 8 { value |= try word(register, vcpu: vcpu, offset: offset + 4) << 32 }
        return value
    }

    mutating func setRegister(_ register: GICv3Register, vcpu: Int, index: UInt32, _ value: UInt64) throws(HostFailure) {
        let offset = try Self.checkedOffset(register, index: index)
        try setWord(register, vcpu: vcpu, offset: offset, UInt32(truncatingIfNeeded: value))
        if elementSize(register) == 8 { try setWord(register, vcpu: vcpu, offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32)) }
    }

    mutating func lineLevels(covering intid: UInt32, vcpu: Int) throws(HostFailure) -> UInt32 {
        let selector = try levelSelector(intid, vcpu: vcpu)
        return try Self.model { () throws(ModelRefusal) -> UInt32 in try delivery.gic.readLineLevels(selector) }
    }

    mutating func setLineLevels(covering intid: UInt32, vcpu: Int, _ word: UInt32) throws(HostFailure) {
        let selector = try levelSelector(intid, vcpu: vcpu)
        try Self.model { () throws(ModelRefusal) in try delivery.hostWriteLineLevels(selector, word) }
    }

    mutating func systemRegister(_ register: ICCRegister, vcpu: Int) throws(HostFailure) -> UInt64 {
        let selector = affinity(vcpu)
        return try Self.model { () throws(ModelRefusal) -> UInt64 in try delivery.gic.readSystemRegister(selector, register.encoding) }
    }

    mutating func setSystemRegister(_ register: ICCRegister, vcpu: Int, _ value: UInt64) throws(HostFailure) {
        let selector = affinity(vcpu)
        try Self.model { () throws(ModelRefusal) in try delivery.hostWriteSystemRegister(selector, register.encoding, value) }
    }

    func vcpuID(_ vcpu: Int) -> UInt32 { UInt32(truncatingIfNeeded: vcpu) }

    /// The affinity of scenario vCPU `vcpu` (one no vCPU has, for a vCPU the VM lacks).
    func affinity(_ vcpu: Int) -> Affinity {
        vcpu >= 0 && vcpu < delivery.gic.vcpuCount ? delivery.gic.redistributors[vcpu].affinity : Affinity(aff0: 0xFF)
    }

    // MARK: Plumbing

    private mutating func word(_ register: GICv3Register, vcpu: Int, offset: UInt32) throws(HostFailure) -> UInt64 {
        if register.frame == .distributor { return UInt64(delivery.gic.readDistributor(offset: offset)) }
        let selector = affinity(vcpu)
        return UInt64(try Self.model { () throws(ModelRefusal) -> UInt32 in try delivery.gic.readRedistributor(selector, offset: offset) })
    }

    private mutating func setWord(_ register: GICv3Register, vcpu: Int, offset: UInt32, _ value: UInt32) throws(HostFailure) {
        if register.frame == .distributor {
            try Self.model { () throws(ModelRefusal) in try delivery.hostWriteDistributor(offset: offset, value) }
        } else {
            let selector = affinity(vcpu)
            try Self.model { () throws(ModelRefusal) in try delivery.hostWriteRedistributor(selector, offset: offset, value) }
        }
    }

    /// The element's offset, refused as VGIC refuses it before any ioctl (the same typed error,
    /// so the trace's `.rejected` text is the kernel side's).
    private static func checkedOffset(_ register: GICv3Register, index: UInt32) throws(HostFailure) -> UInt32 {
        do throws(VGICError) {
            return try VGIC.elementOffset(register, index: index)
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// Bytes per element, as VGIC counts them: 8 for 64-bit registers and banks, else 4.
    private func elementSize(_ register: GICv3Register) -> UInt32 {
        register.bitsPerInterrupt == 64 || (register.bitsPerInterrupt == 0 && register.width == .bits64) ? 8 : 4
    }

    /// The selector VGIC would build, refused as VGIC refuses it (the same typed error).
    private func levelSelector(_ intid: UInt32, vcpu: Int) throws(HostFailure) -> LevelInfoSelector {
        do throws(VGICError) {
            return try VGIC.levelSelector(covering: intid, of: VCPUIdentity(id: vcpuID(vcpu), affinity: affinity(vcpu)))
        } catch {
            throw .rejected("\(error)")
        }
    }

    private static func model<Value>(_ body: () throws(ModelRefusal) -> Value) throws(HostFailure) -> Value {
        do throws(ModelRefusal) {
            return try body()
        } catch {
            throw .refused(Errno(rawValue: error.errno.rawValue))
        }
    }
}
