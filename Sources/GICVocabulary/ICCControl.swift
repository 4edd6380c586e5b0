/// ICC_CTLR_EL1 as a bitfield: the one place its layout is written down.
///
/// Fields (Arm IHI 0069, ICC_CTLR_EL1): CBPR [0], EOImode [1], PMHE [6], PRIbits [10:8] (priority
/// bits − 1), IDbits [13:11] (0: 16-bit INTIDs, 1: 24-bit), SEIS [14], A3V [15], RSS [18],
/// ExtRange [19].
///
/// What KVM makes of it (`get_gic_ctlr`/`set_gic_ctlr` in `arch/arm64/kvm/vgic/vgic-sys-reg-v3.c`):
/// a GET reports PRIbits and IDbits from the vCPU, SEIS and A3V from the host, CBPR and EOImode from
/// the VMCR, nothing else. A SET is checked field by field: PRIbits and IDbits may not exceed the
/// vCPU's (a smaller value is accepted and becomes the vCPU's), SEIS and A3V must equal the host's,
/// else EINVAL. Only CBPR and EOImode are state. PRIbits also fixes how many active-priority
/// registers exist (`vgic_v3_max_apr_idx`), which is why a snapshot records it.
public struct ICCControl: Hashable, Sendable {
    /// The raw register value.
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Composes a value from its fields. `priorityBits` is PRIbits + 1 (1...8) and `idBits` the raw
    /// 3-bit IDbits field; wider values are refused with `GICValueError.outOfRange`.
    public init(
        priorityBits: UInt32, idBits: UInt32, seis: Bool = false, a3v: Bool = false,
        cbpr: Bool = false, eoiMode: Bool = false
    ) throws(GICValueError) {
        try require(priorityBits, in: 1...8, .iccPriorityBits)
        try require(idBits, in: 0...7, .iccIDBits)
        rawValue = 0
        self.priorityBits = priorityBits
        self.idBits = idBits
        self.seis = seis
        self.a3v = a3v
        self.cbpr = cbpr
        self.eoiMode = eoiMode
    }

    static let priBitsShift: UInt64 = 8
    static let idBitsShift: UInt64 = 11

    /// The bits of each field, for code that varies one field of a raw value.
    public static let cbprMask: UInt64 = 1 << 0
    public static let eoiModeMask: UInt64 = 1 << 1
    public static let priorityBitsMask: UInt64 = 0x7 << 8
    public static let idBitsMask: UInt64 = 0x7 << 11
    public static let seisMask: UInt64 = 1 << 14
    public static let a3vMask: UInt64 = 1 << 15

    /// CBPR [0]: ICC_BPR0_EL1 also decides group 1 preemption; ICC_BPR1_EL1 writes are ignored.
    public var cbpr: Bool {
        get { bit(0) }
        set { setBit(0, newValue) }
    }
    /// EOImode [1]: an EOI only drops the running priority; deactivation needs ICC_DIR_EL1.
    public var eoiMode: Bool {
        get { bit(1) }
        set { setBit(1, newValue) }
    }
    /// PMHE [6]: priority-mask hint enable. KVM reports it clear.
    public var pmhe: Bool { bit(6) }
    /// Bits of priority: PRIbits [10:8] + 1, so 1...8. Setting stores the low three bits of
    /// `newValue − 1`, as the field holds them (the throwing initialiser refuses values outside 1...8).
    public var priorityBits: UInt32 {
        get { UInt32((rawValue >> Self.priBitsShift) & 0x7) + 1 }
        set { setField(Self.priBitsShift, UInt64(newValue &- 1)) }
    }
    /// The IDbits field [13:11] (0: 16-bit INTIDs, 1: 24-bit). Setting stores its low three bits.
    public var idBits: UInt32 {
        get { UInt32((rawValue >> Self.idBitsShift) & 0x7) }
        set { setField(Self.idBitsShift, UInt64(newValue)) }
    }
    /// SEIS [14]: the CPU interface supports local SError generation.
    public var seis: Bool {
        get { bit(14) }
        set { setBit(14, newValue) }
    }
    /// A3V [15]: the CPU interface supports a non-zero Aff3.
    public var a3v: Bool {
        get { bit(15) }
        set { setBit(15, newValue) }
    }
    /// RSS [18]: range selector support for SGIs. KVM reports it clear.
    public var rss: Bool { bit(18) }
    /// ExtRange [19]: extended SPI/PPI ranges. KVM reports it clear.
    public var extRange: Bool { bit(19) }

    /// The fields KVM takes from the host and checks on a write (PRIbits, IDbits, SEIS, A3V), with
    /// the state fields (CBPR, EOImode) clear: what a write must keep to be accepted.
    public var hostFields: ICCControl {
        ICCControl(rawValue: rawValue & (Self.priorityBitsMask | Self.idBitsMask | Self.seisMask | Self.a3vMask))
    }

    /// ICC_AP0Rn / ICC_AP1Rn registers per group the kernel accepts for these priority bits:
    /// 1, 2 or 4 (`ICCRegister.maxAPRIndex` + 1).
    public var activePriorityCount: Int {
        Int(ICCRegister.maxAPRIndex(priorityBits: priorityBits)) + 1
    }

    private mutating func setField(_ shift: UInt64, _ value: UInt64) {
        rawValue = rawValue & ~(0x7 << shift) | (value & 0x7) << shift
    }
    private func bit(_ n: UInt64) -> Bool { rawValue & (1 << n) != 0 }
    private mutating func setBit(_ n: UInt64, _ on: Bool) {
        if on { rawValue |= 1 << n } else { rawValue &= ~(1 << n) }
    }
}
