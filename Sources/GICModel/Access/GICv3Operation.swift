import GICVocabulary

/// One state-changing thing a VMM does to a vgic, at the granularity of the `VGIC` API: the unit
/// the checked device applies to kernel and model alike, and the fuzzer generates, shrinks and
/// prints.
///
/// Register writes name a `GICv3Register` and an element index, as `VGIC.set*Register` do: an
/// element of a 64-bit register (GICD_IROUTER n, GICR_TYPER, PROPBASER, PENDBASER) is written as
/// two 32-bit accesses, low word first, and the second is not sent if the first is refused.
/// Selectors are affinities, not vCPU ids, so an operation can name a vCPU that does not exist.
public enum GICv3Operation: Hashable, Sendable {
    /// `KVM_IRQ_LINE` with this word and level (any word, including ones the kernel refuses).
    case setLine(IRQLineWord, level: Bool)
    /// DIST_REGS write of element `index` of `register`.
    case writeDistributor(GICv3Register, index: UInt32, value: UInt64)
    /// REDIST_REGS write of element `index` of `register` on the vCPU with affinity `vcpu`.
    case writeRedistributor(GICv3Register, index: UInt32, vcpu: Affinity, value: UInt64)
    /// LEVEL_INFO write of the 32 lines from `firstINTID` (a multiple of 32) on `vcpu`.
    case writeLineLevels(vcpu: Affinity, firstINTID: UInt32, bitmap: UInt32)
    /// CPU_SYSREGS write of `register` on `vcpu`.
    case writeSystemRegister(ICCRegister, vcpu: Affinity, value: UInt64)
}

extension GICv3Register {
    /// Bytes per element the `VGIC` register API moves: 8 for 64-bit registers and the 64-bit
    /// per-interrupt GICD_IROUTER, 4 otherwise.
    public var elementSize: UInt32 {
        if bitsPerInterrupt == 64 { return 8 }
        if bitsPerInterrupt == 0 && width == .bits64 { return 8 }
        return 4
    }

    /// How many elements the register has (its region length over the element size).
    public var elementCount: UInt32 { length / elementSize }

    /// The attr offset of element `index`.
    public func elementOffset(_ index: UInt32) -> UInt32 { offset + index * elementSize }
}

extension GICv3Model {
    /// Applies `operation` as the kernel would, word by word; throws the first refusal.
    ///
    /// A value wider than a 32-bit element keeps its low 32 bits (the `VGIC` API refuses such a
    /// value before any ioctl, so the fuzzer never builds one).
    public mutating func apply(_ operation: GICv3Operation) throws(ModelRefusal) {
        switch operation {
        case .setLine(let word, let level):
            try setLine(word, level: level)
        case .writeDistributor(let register, let index, let value):
            let offset = register.elementOffset(index)
            try writeDistributor(offset: offset, UInt32(truncatingIfNeeded: value))
            if register.elementSize == 8 {
                try writeDistributor(offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32))
            }
        case .writeRedistributor(let register, let index, let vcpu, let value):
            let offset = register.elementOffset(index)
            try writeRedistributor(vcpu, offset: offset, UInt32(truncatingIfNeeded: value))
            if register.elementSize == 8 {
                try writeRedistributor(vcpu, offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32))
            }
        case .writeLineLevels(let vcpu, let first, let bitmap):
            try writeLineLevels(attr: vcpu.attrBits | UInt64(first & 0x3FF), bitmap)
        case .writeSystemRegister(let register, let vcpu, let value):
            try writeSystemRegister(vcpu, register.encoding, value)
        }
    }

    /// The same, with the outcome as a value.
    public mutating func outcome(of operation: GICv3Operation) -> AccessOutcome {
        do throws(ModelRefusal) {
            try apply(operation)
            return .done
        } catch {
            return .refused(error.errno)
        }
    }
}
