/// A decoded, validated `KVM_IRQ_LINE` target: what to raise, and on which vCPU.
///
/// Each case holds only values the kernel's range checks in `kvm_vm_ioctl_irq_line` accept for that GIC model
/// (GICVocabulary.docc/InterruptNumbers.md), so `IRQLineWord(line)` cannot fail. Whether the interrupt exists
/// in the VM (`NR_IRQS`, the GICv5 `USERSPACE_PPIS` mask, the vCPU) is still the kernel's call.
public enum IRQLine: Hashable, Sendable {
    /// IRQ or FIQ input of a vCPU, for a userspace irqchip (ENXIO with an in-kernel GIC).
    case cpu(CPUInterruptLine, vcpu: VCPUIndex)
    /// GICv2/GICv3 SPI; the vCPU fields of the word are 0.
    case spi(SPI)
    /// GICv2/GICv3 PPI on one vCPU.
    case ppi(PPI, vcpu: VCPUIndex)
    /// GICv5 PPI (raw number 0–127) on one vCPU.
    case gicv5PPI(GICv5PPI, vcpu: VCPUIndex)
    /// GICv5 SPI (raw ID 0–65535); the vCPU fields of the word are 0.
    case gicv5SPI(id: UInt16)

    /// Decodes `word` the way the kernel would for `model`:
    /// * type CPU: the number must be 0 (IRQ) or 1 (FIQ), else `.outOfRange(field: .cpuLine, …)`;
    /// * type SPI: the vCPU fields must be 0, else `.reservedBitsSet(field: .irqLineVCPU, …)` (the
    ///   kernel ignores them, so a word with them set was not built by us and would not round-trip);
    ///   then v2/v3 needs an INTID 32–1019 (`.outOfRange(field: .spi, …)`), v5 takes any 16-bit ID;
    /// * type PPI: v2/v3 needs an INTID 16–31 (`.outOfRange(field: .ppi, …)`), v5 a number 0–127
    ///   (`.outOfRange(field: .gicv5PPI, …)`);
    /// * types 3–15: `.outOfRange(field: .irqLineType, value:, allowed: 0...2)`.
    public init(word: IRQLineWord, model: IRQLineModel) throws(GICValueError) {
        guard let type = IRQLineWord.LineType(rawValue: word.typeField) else {
            throw .outOfRange(field: .irqLineType, value: UInt64(word.typeField), allowed: 0...2)
        }
        let number = word.number
        switch type {
        case .cpu:
            guard let line = CPUInterruptLine(rawValue: number) else {
                throw .outOfRange(field: .cpuLine, value: UInt64(number), allowed: 0...1)
            }
            self = .cpu(line, vcpu: word.vcpuIndex)
        case .spi:
            try requireClear(UInt64(word.rawValue), mask: UInt64(IRQLineWord.vcpuFieldsMask), .irqLineVCPU)
            switch model {
            case .v2v3: self = .spi(try SPI(intid: number))
            case .v5: self = .gicv5SPI(id: UInt16(truncatingIfNeeded: number))
            }
        case .ppi:
            switch model {
            case .v2v3: self = .ppi(try PPI(intid: number), vcpu: word.vcpuIndex)
            case .v5: self = .gicv5PPI(try GICv5PPI(id: number), vcpu: word.vcpuIndex)
            }
        }
    }

    /// The encoded word.
    public var word: IRQLineWord { IRQLineWord(self) }

    /// The GIC model this line is meant for, or nil for a CPU line (which is for a userspace irqchip
    /// and means the same under any model).
    public var model: IRQLineModel? {
        switch self {
        case .cpu: return nil
        case .spi, .ppi: return .v2v3
        case .gicv5PPI, .gicv5SPI: return .v5
        }
    }

    /// The vCPU the line targets; nil for SPIs, which the kernel routes itself.
    public var vcpu: VCPUIndex? {
        switch self {
        case let .cpu(_, vcpu), let .ppi(_, vcpu), let .gicv5PPI(_, vcpu): return vcpu
        case .spi, .gicv5SPI: return nil
        }
    }

    /// True when the word needs `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2` (vCPU id above 255).
    public var needsLayout2: Bool { vcpu?.needsLayout2 ?? false }
}
