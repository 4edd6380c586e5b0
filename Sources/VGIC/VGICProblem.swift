import GICVocabulary
import KVM

/// Why caller input was refused before anything was sent to the kernel.
///
/// Each case names the offending frame or value and what would have been accepted, so tests
/// can assert the exact case and a VMM can tell its user which setting to change.
public enum VGICProblem: Hashable, Sendable, CustomStringConvertible {
    /// A vgic needs at least one vCPU before CTRL_INIT (the kernel says ENODEV otherwise).
    case noVCPUs
    /// More vCPUs than the model serves (the kernel says E2BIG on create).
    case tooManyVCPUs(count: Int, maximum: Int)
    /// The model has no such frame (a CPU interface on a GICv3, any address on a GICv5).
    case frameNotInModel(VGICFrame, GICVersion)
    /// The model has no NR_IRQS (GICv5 in 7.1 answers ENXIO).
    case interruptCountNotInModel(GICVersion)
    /// A frame the model needs before the first `KVM_RUN` is not configured.
    case missingFrame(VGICFrame, GICVersion)
    /// `.regions([])`: no redistributor at all.
    case noRedistributorRegions
    /// The region at `position` has index `index`; the kernel demands 0, 1, 2, … in order.
    case regionIndex(position: Int, index: UInt32)
    /// A frame base that is not a multiple of the model's alignment (the kernel: EINVAL).
    case misaligned(VGICFrame, base: UInt64, alignment: UInt64)
    /// A frame that does not lie wholly below `1 << ipaBits` (the kernel: E2BIG, even when only
    /// half of it sticks out).
    case beyondIPA(VGICFrame, base: UInt64, size: UInt64, ipaBits: Int)
    /// NR_IRQS must be a multiple of 32 in 64...992 (`vgic_set_common_attr` rejects > 1023).
    case interruptCount(UInt32)
    /// Two frames share addresses. The kernel catches a distributor over a legacy
    /// redistributor block only at the first `KVM_RUN`, after the VM is dead; this catches it first.
    case overlap(VGICFrame, VGICFrame)
    /// Redistributor regions that serve fewer vCPUs than exist (first `KVM_RUN`: ENXIO).
    case insufficientRedistributors(capacity: Int, vcpus: Int)
    /// A number that does not fit the GIC field it was meant for (INTID, selector, offset).
    case invalidValue(GICValueError)
    /// `register` is in another frame than the accessor reaches (a GICR_* through the
    /// distributor accessor, or the reverse).
    case registerFrame(GICv3Register, expected: GICv3Frame)
    /// Element `index` of `register` does not exist: it has `count` elements.
    case registerIndex(GICv3Register, index: UInt32, count: UInt32)
    /// A value wider than the 32-bit register element it was meant for.
    case valueTooWide(GICv3Register, value: UInt64)
    /// A `KVM_IRQ_LINE` request for another GIC model than this vgic's: a GICv2/GICv3 PPI or
    /// SPI on a GICv5 (whose word means a different interrupt there), or a GICv5 line on a
    /// GICv2/GICv3.
    case lineNotInModel(IRQLine, GICVersion)
    /// The request needs CTRL_INIT first. Sent anyway, a GICv5 answers EINVAL for a PPI (its
    /// userspace mask is empty until init) and EBUSY for an SPI (GICVocabulary.docc/InterruptNumbers.md).
    case initialiseFirst(GICVersion)
    /// A GICv5 PPI the kernel does not let userspace drive (`KVM_IRQ_LINE` would say EINVAL);
    /// `drivable` is the VM's `USERSPACE_PPIS` mask.
    case ppiNotDrivable(GICv5PPI, drivable: GICv5PPISet)
    /// This kernel's GICv5 takes no SPIs through `KVM_IRQ_LINE` (Linux 7.1 refuses every one
    /// with EINVAL: it has no IRS, so no SPI exists).
    case gicv5SPIsUnsupported
    /// `KVM_DEV_ARM_VGIC_USERSPACE_PPIS` exists only on a GICv5 (GICv2/GICv3 answer ENXIO).
    case userspacePPIsNotInModel(GICVersion)
    /// The operation needs the vgic's ITS, and it has none.
    case noITS
    /// Element `index` of ITS register `register` does not exist: it has `count`.
    case itsRegisterIndex(ITSRegister, index: UInt32, count: UInt32)
    /// A value wider than the 32-bit ITS register it was meant for.
    case itsValueTooWide(ITSRegister, value: UInt64)
    /// irqfds and GSI routing raise SPIs of a GICv2 or GICv3; a GICv5 vgic (Linux 7.1) has none.
    case irqfdNotInModel(GICVersion)
    /// An SPI at or above the VM's NR_IRQS: routed, its injections would be dropped
    /// (`vgic_valid_spi`).
    case spiBeyondInterruptCount(SPI, count: UInt32)
    /// The GSI already carries a line this vgic connected.
    case gsiInUse(GSI)
    /// The SPI already has a line this vgic connected (a second GSI on its pin would take the
    /// guest's acknowledgements from the first: `kvm_notify_acked_irq` notifies one GSI per pin).
    case spiInUse(SPI, gsi: GSI)
    /// A routing table the kernel would refuse (KVM.docc/InterruptRouting.md).
    case routing(RoutingProblem)

    public var description: String {
        switch self {
        case .noVCPUs:
            "a vgic needs its vCPUs created first; none were given"
        case .tooManyVCPUs(let count, let maximum):
            "\(count) vCPUs, but this GIC model serves at most \(maximum)"
        case .frameNotInModel(let frame, let version):
            "\(version) has no \(frame) frame"
        case .interruptCountNotInModel(let version):
            "\(version) has no configurable interrupt count (NR_IRQS)"
        case .missingFrame(let frame, let version):
            "\(version) needs a \(frame) base"
        case .noRedistributorRegions:
            "no redistributor regions given"
        case .regionIndex(let position, let index):
            "redistributor region at position \(position) has index \(index); regions are numbered 0, 1, 2, … in order"
        case .misaligned(let frame, let base, let alignment):
            "\(frame) base \(hex(base)) is not a multiple of \(hex(alignment))"
        case .beyondIPA(let frame, let base, let size, let bits):
            "\(frame) \(hex(base)) + \(hex(size)) does not fit below the \(bits)-bit IPA space"
        case .interruptCount(let count):
            "interrupt count \(count) is not a multiple of 32 in 64...992"
        case .overlap(let first, let second):
            "\(first) and \(second) overlap"
        case .insufficientRedistributors(let capacity, let vcpus):
            "redistributor regions hold \(capacity) redistributors for \(vcpus) vCPUs"
        case .invalidValue(let error):
            error.description
        case .registerFrame(let register, let expected):
            "\(register.name) is in the \(register.frame.rawValue) frame, not \(expected.rawValue)"
        case .registerIndex(let register, let index, let count):
            "\(register.name) has \(count) elements; index \(index) does not exist"
        case .valueTooWide(let register, let value):
            "\(hex(value)) does not fit the 32-bit elements of \(register.name)"
        case .lineNotInModel(let line, let version):
            "KVM_IRQ_LINE word \(hex(line.word.rawValue)) is a "
                + (line.model == .v5 ? "GICv5" : "GICv2/GICv3") + " line; this vgic is \(version)"
        case .initialiseFirst(let version):
            "\(version) is not initialised: CTRL_INIT must come first (after every vCPU exists)"
        case .ppiNotDrivable(let ppi, let drivable):
            "GICv5 PPI \(ppi.id) is not one userspace may drive; this VM's USERSPACE_PPIS mask is \(drivable)"
        case .gicv5SPIsUnsupported:
            "this kernel's GICv5 takes no SPIs through KVM_IRQ_LINE (Linux 7.1 refuses them all)"
        case .userspacePPIsNotInModel(let version):
            "\(version) has no USERSPACE_PPIS attribute; only a GICv5 has"
        case .noITS:
            "this vgic has no ITS"
        case .itsRegisterIndex(let register, let index, let count):
            "\(register.name) has \(count) elements; index \(index) does not exist"
        case .itsValueTooWide(let register, let value):
            "\(hex(value)) does not fit the 32-bit \(register.name)"
        case .irqfdNotInModel(let version):
            "\(version) takes no irqfds or GSI routes"
        case .spiBeyondInterruptCount(let spi, let count):
            "SPI \(spi.intid) is beyond this vgic's \(count) interrupts; its injections would be dropped"
        case .gsiInUse(let gsi):
            "\(gsi) already carries a connected line"
        case .spiInUse(let spi, let gsi):
            "SPI \(spi.intid) is already connected through \(gsi)"
        case .routing(let problem):
            problem.description
        }
    }
}
