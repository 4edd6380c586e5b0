/// The attr for GICv3 `KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`: `affinity[63:32] | instr[15:0]`, bits 31:16 RES0.
///
/// GICVocabulary.docc/AttributeEncodings.md, GICVocabulary.docc/GICv3RegisterMap.md. The value behind it is a
/// `__u64` (it goes through the `kvm_one_reg` path); giving the kernel a 32-bit buffer was a real Cloud
/// Hypervisor bug (GICVocabulary.docc/Pitfalls.md item 1).
public struct CPUSysRegAttr: Hashable, Sendable {
    /// Bits 31:16, which must be zero.
    public static let reservedMask: UInt64 = 0xFFFF_0000

    /// The vCPU whose CPU interface is meant (packed affinity, not index).
    public let affinity: Affinity
    /// The register.
    public let encoding: SysRegEncoding

    /// Every affinity and encoding combine into a valid attr.
    public init(affinity: Affinity, encoding: SysRegEncoding) {
        self.affinity = affinity
        self.encoding = encoding
    }

    /// The attr for `register` on the vCPU with `affinity`.
    public init(affinity: Affinity, register: ICCRegister) {
        self.init(affinity: affinity, encoding: register.encoding)
    }

    /// Decodes an attr; bits 31:16 set throw `.reservedBitsSet(field: .sysRegAttr, value:, reservedMask: 0xFFFF_0000)`.
    public init(rawValue: UInt64) throws(GICValueError) {
        try requireClear(rawValue, mask: Self.reservedMask, .sysRegAttr)
        self.init(affinity: Affinity(attr: rawValue),
                  encoding: SysRegEncoding(instr: UInt16(truncatingIfNeeded: rawValue)))
    }

    /// The attr value.
    public var rawValue: UInt64 { affinity.attrBits | UInt64(encoding.instr) }
}
