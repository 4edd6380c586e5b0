import GICVocabulary

/// The GICv5 system instructions a guest executes: `GIC CD*` (SYS, a 64-bit operand), `GICR CDIA` / `CDNMIA`
/// (SYSL, a 64-bit result) and the `GSB` barriers, with their encodings (op1, CRn, CRm, op2) as data
/// (GICv5Model.docc/GICv5Architecture.md; QEMU `gicv5_cpuif_reginfo`; the selftest's `gic_v5.h`). All have
/// op0 = 1, op1 = 0, CRn = 12.
public enum GICv5Instruction: Hashable, Sendable, CaseIterable {
    case gsbSys, gsbAck
    case cddis, cden, cdpri, cdaff, cdpend, cdrcfg, cdeoi
    case cddi, cdhm
    case cdia, cdnmia

    /// (CRm, op2).
    public var encoding: (crm: UInt8, op2: UInt8) {
        switch self {
        case .gsbSys: return (0, 0)
        case .gsbAck: return (0, 1)
        case .cddis: return (1, 0)
        case .cden: return (1, 1)
        case .cdpri: return (1, 2)
        case .cdaff: return (1, 3)
        case .cdpend: return (1, 4)
        case .cdrcfg: return (1, 5)
        case .cdeoi: return (1, 7)
        case .cddi: return (2, 0)
        case .cdhm: return (2, 1)
        case .cdia: return (3, 0)
        case .cdnmia: return (3, 1)
        }
    }

    /// The instruction with this (CRm, op2) under op0 = 1, op1 = 0, CRn = 12, if any.
    public init?(crm: UInt8, op2: UInt8) {
        guard let match = Self.allCases.first(where: { $0.encoding == (crm, op2) }) else { return nil }
        self = match
    }

    /// The assembler name, for messages.
    public var name: StaticString {
        switch self {
        case .gsbSys: return "GSB SYS"
        case .gsbAck: return "GSB ACK"
        case .cddis: return "GIC CDDIS"
        case .cden: return "GIC CDEN"
        case .cdpri: return "GIC CDPRI"
        case .cdaff: return "GIC CDAFF"
        case .cdpend: return "GIC CDPEND"
        case .cdrcfg: return "GIC CDRCFG"
        case .cdeoi: return "GIC CDEOI"
        case .cddi: return "GIC CDDI"
        case .cdhm: return "GIC CDHM"
        case .cdia: return "GICR CDIA"
        case .cdnmia: return "GICR CDNMIA"
        }
    }
}
