/// The GICv5 system instructions a guest program executes: the `GIC CD*` configuration and
/// completion commands (`SYS #0, C12, Cm, #op2, Xt` with a 64-bit operand), the acknowledges
/// `GICR CDIA` / `GICR CDNMIA` (`SYSL Xt, #0, C12, C3, #op2`, a 64-bit result) and the `GSB`
/// barriers, as data: each case's raw value is its slot in the runtime's instruction stubs.
///
/// Encodings: GICv5Model.docc/GICv5Architecture.md (GIC architecture version 5, Arm 111701,
/// the CPU interface instructions; QEMU 11's `gicv5_cpuif_reginfo` and the kernel selftest's
/// `gic_v5.h` agree). GNU as 2.40 has no GICv5 mnemonics, so the runtime lists them in the
/// generic `sys` / `sysl` forms.
public enum GuestGICv5Instruction: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case gsbSys, gsbAck
    case cddis, cden, cdpri, cdaff, cdpend, cdrcfg, cdeoi
    case cddi, cdhm
    case cdia, cdnmia

    /// (CRm, op2) under op0 = 1, op1 = 0, CRn = 12.
    public var encoding: (crm: UInt8, op2: UInt8) {
        switch self {
        case .gsbSys: (0, 0)
        case .gsbAck: (0, 1)
        case .cddis: (1, 0)
        case .cden: (1, 1)
        case .cdpri: (1, 2)
        case .cdaff: (1, 3)
        case .cdpend: (1, 4)
        case .cdrcfg: (1, 5)
        case .cdeoi: (1, 7)
        case .cddi: (2, 0)
        case .cdhm: (2, 1)
        case .cdia: (3, 0)
        case .cdnmia: (3, 1)
        }
    }

    /// SYSL (a result into the accumulator) rather than SYS (an operand from it).
    public var returnsResult: Bool { self == .cdia || self == .cdnmia }

    /// The case's name, for printing a step as Swift source.
    public var caseName: String {
        switch self {
        case .gsbSys: "gsbSys"
        case .gsbAck: "gsbAck"
        case .cddis: "cddis"
        case .cden: "cden"
        case .cdpri: "cdpri"
        case .cdaff: "cdaff"
        case .cdpend: "cdpend"
        case .cdrcfg: "cdrcfg"
        case .cdeoi: "cdeoi"
        case .cddi: "cddi"
        case .cdhm: "cdhm"
        case .cdia: "cdia"
        case .cdnmia: "cdnmia"
        }
    }

    /// The architecture's name (`GIC CDEN`).
    public var description: String {
        switch self {
        case .gsbSys: "GSB SYS"
        case .gsbAck: "GSB ACK"
        case .cdia: "GICR CDIA"
        case .cdnmia: "GICR CDNMIA"
        default: "GIC " + caseName.uppercased()
        }
    }
}
