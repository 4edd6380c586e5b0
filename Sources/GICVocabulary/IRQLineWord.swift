/// The `irq` word of `struct kvm_irq_level` for `KVM_IRQ_LINE` on arm64.
///
/// ```
/// bits:  | 31 ... 28   | 27 ... 24 | 23 ... 16  | 15 ... 0 |
/// field: | vcpu2_index | irq_type  | vcpu_index |  irq_id  |
/// ```
/// (`KVM_ARM_IRQ_*_SHIFT`/`_MASK`, GICVocabulary.docc/InterruptNumbers.md). The target vCPU is `vcpu_index +
/// 256 * vcpu2_index`; a non-zero `vcpu2_index` needs `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`
/// (GICVocabulary.docc/Pitfalls.md item 10).
///
/// Any `UInt32` is a representable word (`init(rawValue:)`), because words also arrive from traces and
/// other tools; `IRQLine(word:model:)` is where a word is judged. The static constructors only build
/// words the kernel's own range checks accept.
public struct IRQLineWord: RawRepresentable, Hashable, Sendable {
    /// `irq_type`: `KVM_ARM_IRQ_TYPE_CPU` 0, `_SPI` 1, `_PPI` 2.
    public enum LineType: UInt32, Hashable, Sendable, CaseIterable {
        case cpu = 0
        case spi = 1
        case ppi = 2
    }

    public static let vcpu2Shift: UInt32 = 28
    public static let vcpu2Mask: UInt32 = 0xF
    public static let typeShift: UInt32 = 24
    public static let typeMask: UInt32 = 0xF
    public static let vcpuShift: UInt32 = 16
    public static let vcpuMask: UInt32 = 0xFF
    public static let numberShift: UInt32 = 0
    public static let numberMask: UInt32 = 0xFFFF

    /// Both vCPU fields in place (bits 31:28 and 23:16).
    public static let vcpuFieldsMask: UInt32 = vcpu2Mask << vcpu2Shift | vcpuMask << vcpuShift

    /// The word passed to the kernel.
    public let rawValue: UInt32

    /// Wraps any word; nothing is checked until it is decoded with `IRQLine(word:model:)`.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Assembles a word from fields that are already known to fit.
    init(type: LineType, vcpu: VCPUIndex, number: UInt32) {
        let low = vcpu.value & Self.vcpuMask
        let high = (vcpu.value >> 8) & Self.vcpu2Mask
        rawValue = high << Self.vcpu2Shift
            | type.rawValue << Self.typeShift
            | low << Self.vcpuShift
            | (number & Self.numberMask) << Self.numberShift
    }

    /// The word for a decoded line; never fails, because every `IRQLine` is valid by construction.
    public init(_ line: IRQLine) {
        switch line {
        case let .cpu(which, vcpu): self.init(type: .cpu, vcpu: vcpu, number: which.rawValue)
        case let .spi(spi): self.init(type: .spi, vcpu: .zero, number: spi.intid)
        case let .ppi(ppi, vcpu): self.init(type: .ppi, vcpu: vcpu, number: ppi.intid)
        case let .gicv5PPI(ppi, vcpu): self.init(type: .ppi, vcpu: vcpu, number: ppi.id)
        case let .gicv5SPI(id): self.init(type: .spi, vcpu: .zero, number: UInt32(id))
        }
    }

    /// A GICv2/GICv3 SPI: type SPI, the INTID (32–1019) as the number, vCPU fields 0 (the kernel ignores them
    /// for SPIs). Not the SPI index: that is the irqfd GSI (GICVocabulary.docc/Pitfalls.md item 9).
    public static func spi(_ spi: SPI) -> IRQLineWord { IRQLineWord(.spi(spi)) }

    /// A GICv2/GICv3 PPI on one vCPU: type PPI, the INTID (16–31) as the number.
    public static func ppi(_ ppi: PPI, vcpu: VCPUIndex) -> IRQLineWord { IRQLineWord(.ppi(ppi, vcpu: vcpu)) }

    /// A GICv5 PPI on one vCPU: type PPI and the raw PPI number 0–127 (not 16–31; the kernel builds the
    /// INTID with `vgic_v5_make_ppi`). KVM 7.1 accepts only PPIs in the VM's `USERSPACE_PPIS` mask.
    public static func gicv5PPI(_ ppi: GICv5PPI, vcpu: VCPUIndex) -> IRQLineWord {
        IRQLineWord(.gicv5PPI(ppi, vcpu: vcpu))
    }

    /// A GICv5 SPI: type SPI and the raw SPI ID, which the 16-bit field limits to 0–65535. The documented
    /// range; KVM 7.1 itself still refuses every GICv5 SPI with EINVAL
    /// (GICVocabulary.docc/InterruptNumbers.md).
    public static func gicv5SPI(id: UInt16) -> IRQLineWord { IRQLineWord(.gicv5SPI(id: id)) }

    /// Raises the IRQ or FIQ input of a vCPU, for a userspace irqchip only.
    public static func cpu(_ line: CPUInterruptLine, vcpu: VCPUIndex) -> IRQLineWord {
        IRQLineWord(.cpu(line, vcpu: vcpu))
    }

    /// Bits 31:28.
    public var vcpu2Field: UInt32 { (rawValue >> Self.vcpu2Shift) & Self.vcpu2Mask }
    /// Bits 27:24, the raw `irq_type` (0–15; only 0–2 are defined).
    public var typeField: UInt32 { (rawValue >> Self.typeShift) & Self.typeMask }
    /// Bits 23:16.
    public var vcpuField: UInt32 { (rawValue >> Self.vcpuShift) & Self.vcpuMask }
    /// Bits 15:0, `irq_id`.
    public var number: UInt32 { (rawValue >> Self.numberShift) & Self.numberMask }

    /// The target vCPU id, `vcpu_index + 256 * vcpu2_index` (0–4095).
    public var vcpuIndex: VCPUIndex { VCPUIndex(checked: vcpuField + 256 * vcpu2Field) }

    /// True when `vcpu2_index` is non-zero, i.e. the word addresses a vCPU id above 255 and the kernel
    /// must advertise `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2` (without it the field must be 0).
    public var needsLayout2: Bool { vcpu2Field != 0 }
}
