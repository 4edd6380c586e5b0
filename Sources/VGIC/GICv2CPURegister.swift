import GICVocabulary
import KVM

/// One GICv2 CPU interface register (GICC_*) as `KVM_DEV_ARM_VGIC_GRP_CPU_REGS` exposes it:
/// a 32-bit value at an offset from the CPU interface base, per vCPU.
///
/// The table below is the kernel's `vgic_v2_cpu_registers[]` (`vgic-mmio-v2.c`) with what
/// userspace sees of each (`vgic_mmio_{read,write}_vcpuif`, `_apr`, and
/// `Documentation/virt/kvm/devices/arm-vgic.rst`). Every register KVM keeps state for is here;
/// any other offset answers ENXIO. Identity is the offset.
public struct GICv2CPURegister: Sendable, CustomStringConvertible {
    /// The architectural name, e.g. "GICC_PMR".
    public let name: StaticString
    /// Byte offset from the CPU interface base (4-aligned; the attr's low 32 bits).
    public let offset: UInt32
    /// What userspace reads and writes do.
    public let uaccess: UAccess

    /// How a GICC register behaves through CPU_REGS, which is not always the guest's view.
    public enum UAccess: Hashable, Sendable {
        /// Stored in the vCPU's VMCR image: reads return it, writes replace it. GICC_CTLR keeps
        /// EnableGrp0, EnableGrp1, AckCtl, FIQEn, CBPR and EOImodeNS; other bits read 0.
        case vmcrField
        /// GICC_PMR in KVM's historical ABI: bits 4:0 carry GICH_VMCR.VMPriMask, i.e. the
        /// architectural 8-bit priority mask shifted right by 3 (`VGIC.priorityMask` converts).
        case priorityMaskField
        /// GICC_APRn in KVM's fixed format: bit X of APRn set means preemption level 32n + X
        /// has an active interrupt. On a GICv2 host only APR0 is kept (APR1–3 RAZ/WI); a GICv2
        /// guest on a GICv3 host keeps as many as the host's priority bits need.
        case activePriorities
        /// Read-only: writes are ignored. GICC_IIDR reads 0x04B2_043B (KVM's product id 0x4B,
        /// architecture version 2, implementer Arm 0x43B).
        case readOnly
    }

    init(_ name: StaticString, offset: UInt32, _ uaccess: UAccess) {
        self.name = name
        self.offset = offset
        self.uaccess = uaccess
    }

    public var description: String { name.description }

    public static let giccCTLR = GICv2CPURegister("GICC_CTLR", offset: 0x00, .vmcrField)
    public static let giccPMR = GICv2CPURegister("GICC_PMR", offset: 0x04, .priorityMaskField)
    public static let giccBPR = GICv2CPURegister("GICC_BPR", offset: 0x08, .vmcrField)
    public static let giccABPR = GICv2CPURegister("GICC_ABPR", offset: 0x1C, .vmcrField)
    public static let giccAPR0 = GICv2CPURegister("GICC_APR0", offset: 0xD0, .activePriorities)
    public static let giccAPR1 = GICv2CPURegister("GICC_APR1", offset: 0xD4, .activePriorities)
    public static let giccAPR2 = GICv2CPURegister("GICC_APR2", offset: 0xD8, .activePriorities)
    public static let giccAPR3 = GICv2CPURegister("GICC_APR3", offset: 0xDC, .activePriorities)
    public static let giccIIDR = GICv2CPURegister("GICC_IIDR", offset: 0xFC, .readOnly)

    /// Every register, in offset order: the order a save walks and a restore replays (IIDR is
    /// read-only, so a restore skips it).
    public static let table: [GICv2CPURegister] = [
        .giccCTLR, .giccPMR, .giccBPR, .giccABPR, .giccAPR0, .giccAPR1, .giccAPR2, .giccAPR3, .giccIIDR,
    ]

    /// The active-priority registers by index n (GICC_APRn).
    public static let activePriorities: [GICv2CPURegister] = [.giccAPR0, .giccAPR1, .giccAPR2, .giccAPR3]

    /// How far GICC_PMR's userspace value is shifted from the architectural priority mask
    /// (`GICV_PMR_PRIORITY_SHIFT`).
    public static let priorityMaskShift: UInt32 = 3
}

extension GICv2CPURegister: Hashable {
    public static func == (lhs: GICv2CPURegister, rhs: GICv2CPURegister) -> Bool { lhs.offset == rhs.offset }
    public func hash(into hasher: inout Hasher) { hasher.combine(offset) }
}
