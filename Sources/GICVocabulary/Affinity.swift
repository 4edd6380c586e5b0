/// A vCPU's affinity (Aff3.Aff2.Aff1.Aff0): the selector for GICv3 REDIST_REGS, CPU_SYSREGS and
/// LEVEL_INFO attributes.
///
/// The attr carries the four affinity bytes **packed** into bits 63:32 (Aff3 63:56, Aff2 55:48, Aff1 47:40,
/// Aff0 39:32; `KVM_DEV_ARM_VGIC_V3_MPIDR_MASK`), which the kernel resolves with `kvm_mpidr_to_vcpu`
/// (GICVocabulary.docc/AttributeEncodings.md). It is neither the raw MPIDR_EL1 value (whose Aff3 sits at bits
/// 39:32) nor the vCPU index; Cloud Hypervisor shipped that confusion (GICVocabulary.docc/Pitfalls.md item
/// 4). Read the vCPU's MPIDR_EL1 back from KVM and build the selector with `init(mpidr:)`.
public struct Affinity: Hashable, Sendable {
    public var aff3: UInt8
    public var aff2: UInt8
    public var aff1: UInt8
    public var aff0: UInt8

    /// Every combination of four bytes is a valid affinity, so this cannot fail.
    public init(aff3: UInt8 = 0, aff2: UInt8 = 0, aff1: UInt8 = 0, aff0: UInt8) {
        self.aff3 = aff3
        self.aff2 = aff2
        self.aff1 = aff1
        self.aff0 = aff0
    }

    /// Extracts the affinity fields from an MPIDR_EL1 value: Aff3 bits 39:32, Aff2 23:16, Aff1 15:8,
    /// Aff0 7:0. The other bits (U, MT, RES1 bit 31) are not part of the affinity and are dropped.
    public init(mpidr: UInt64) {
        aff3 = UInt8(truncatingIfNeeded: mpidr >> 32)
        aff2 = UInt8(truncatingIfNeeded: mpidr >> 16)
        aff1 = UInt8(truncatingIfNeeded: mpidr >> 8)
        aff0 = UInt8(truncatingIfNeeded: mpidr)
    }

    /// Unpacks the 32-bit form `Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0`.
    public init(packed: UInt32) {
        aff3 = UInt8(truncatingIfNeeded: packed >> 24)
        aff2 = UInt8(truncatingIfNeeded: packed >> 16)
        aff1 = UInt8(truncatingIfNeeded: packed >> 8)
        aff0 = UInt8(truncatingIfNeeded: packed)
    }

    /// Reads the selector out of bits 63:32 of a device attr.
    public init(attr: UInt64) {
        self.init(packed: UInt32(truncatingIfNeeded: attr >> Self.attrShift))
    }

    /// `KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT`.
    public static let attrShift: UInt64 = 32
    /// `KVM_DEV_ARM_VGIC_V3_MPIDR_MASK`.
    public static let attrMask: UInt64 = 0xFFFF_FFFF << attrShift

    /// `Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0`, the form the attr and GICR_TYPER[63:32] use.
    public var packed: UInt32 {
        UInt32(aff3) << 24 | UInt32(aff2) << 16 | UInt32(aff1) << 8 | UInt32(aff0)
    }

    /// The packed affinity in place at attr bits 63:32, ready to OR with an offset, sysreg encoding
    /// or LEVEL_INFO field.
    public var attrBits: UInt64 { UInt64(packed) << Self.attrShift }

    /// The affinity fields at their MPIDR_EL1 positions (Aff3 39:32, Aff2 23:16, Aff1 15:8, Aff0 7:0),
    /// with no other MPIDR bits; what `MPIDR_EL1 & MPIDR_HWID_BITMASK` compares against.
    public var mpidrAffinityBits: UInt64 {
        UInt64(aff3) << 32 | UInt64(aff2) << 16 | UInt64(aff1) << 8 | UInt64(aff0)
    }
}
