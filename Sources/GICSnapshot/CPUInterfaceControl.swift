import GICVocabulary

/// The fields of ICC_CTLR_EL1 that decide whether a snapshot fits a vCPU.
///
/// The kernel checks a written ICC_CTLR_EL1 against the vCPU (`set_gic_ctlr` in
/// `arch/arm64/kvm/vgic-sys-reg-v3.c`): PRIbits and IDbits may not exceed the vCPU's (a smaller
/// value is accepted and becomes the vCPU's), SEIS and A3V must equal the host's, else EINVAL.
/// Only CBPR and EOImode are state. PRIbits also fixes how many active-priority registers exist
/// (`vgic_v3_max_apr_idx`), which is why a snapshot records it.
public struct CPUInterfaceControl: Hashable, Sendable {
    /// The raw ICC_CTLR_EL1 value.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Bits of priority: PRIbits [10:8] + 1.
    public var priorityBits: UInt32 { UInt32((rawValue >> 8) & 0x7) + 1 }
    /// The IDbits field [13:11] (0: 16-bit INTIDs, 1: 24-bit).
    public var idBits: UInt32 { UInt32((rawValue >> 11) & 0x7) }
    /// SEIS [14]: the host supports local SError generation.
    public var seis: Bool { rawValue & (1 << 14) != 0 }
    /// A3V [15]: the host supports a non-zero Aff3.
    public var a3v: Bool { rawValue & (1 << 15) != 0 }

    /// ICC_AP0Rn / ICC_AP1Rn registers per group the kernel accepts for these priority bits:
    /// 1, 2 or 4 (`ICCRegister.maxAPRIndex` + 1).
    public var activePriorityCount: Int {
        Int(ICCRegister.maxAPRIndex(priorityBits: priorityBits)) + 1
    }
}

/// The CPU-interface registers a snapshot saves, by their `instr` (uapi doc §3.6), looked up in
/// GICVocabulary's table so names and encodings have one source.
enum CPUInterfaceRegisters {
    static let pmr = register(0xC230)
    static let bpr0 = register(0xC643)
    static let bpr1 = register(0xC663)
    static let ctlr = register(0xC664)
    static let sre = register(0xC665)
    static let igrpen0 = register(0xC666)
    static let igrpen1 = register(0xC667)

    /// ICC_AP0Rn (group 0, instr 0xC644 + n) or ICC_AP1Rn (group 1, instr 0xC648 + n), n in 0...3.
    static func activePriority(group: UInt8, index: UInt32) -> ICCRegister {
        register(UInt16(group == 0 ? 0xC644 : 0xC648) + UInt16(truncatingIfNeeded: index & 3))
    }

    /// Every instr above is in `ICCRegister.el1`; a missing one is a broken table, which the
    /// test suite checks, not a runtime condition.
    private static func register(_ instr: UInt16) -> ICCRegister {
        guard let found = ICCRegister.lookup(instr: instr) else {
            fatalError("ICCRegister.el1 lacks instr \(instr)")
        }
        return found
    }
}
