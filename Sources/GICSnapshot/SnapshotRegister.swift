import GICVocabulary

/// One kind of state a snapshot saves: a register bank of the distributor or of a redistributor,
/// the line levels, or a CPU-interface register.
///
/// Identity is architectural (frame and offset, or sysreg encoding), so the binary encoding and
/// JSON name registers by what they are, not by a position in one of our tables: a later version
/// can save more without renumbering anything.
public enum SnapshotRegister: Hashable, Sendable, CustomStringConvertible {
    /// A `DIST_REGS` register; element `i` is the one `VGIC.distributorRegister(_:index:)` names
    /// (a 32-bit word for the 1-, 2- and 8-bit-per-INTID banks, INTID `i` for GICD_IROUTER).
    case distributor(GICv3Register)
    /// A `REDIST_REGS` register (RD or SGI frame) of one vCPU; elements as for `.distributor`.
    case redistributor(GICv3Register)
    /// `LEVEL_INFO` bitmaps: element `i` holds the line levels of INTIDs `32i ..< 32i + 32`. In
    /// the distributor scope it holds SPIs (elements 1 and up), in a vCPU's the PPIs (element 0).
    case lineLevels
    /// A `CPU_SYSREGS` register of one vCPU (one element).
    case system(ICCRegister)
    /// The active-priority registers of `group` (0: ICC_AP0Rn, 1: ICC_AP1Rn) of one vCPU; element
    /// `n` is APRn. How many exist follows from ICC_CTLR_EL1.PRIbits (`ICCRegister.maxAPRIndex`).
    case activePriorities(group: UInt8)

    /// The name people and JSON use: the architectural register name, `LEVEL_INFO`, or
    /// `ICC_AP0R` / `ICC_AP1R` for the APR banks.
    public var name: String {
        switch self {
        case .distributor(let register), .redistributor(let register): register.name.description
        case .lineLevels: "LEVEL_INFO"
        case .system(let register): register.name.description
        case .activePriorities(let group): group == 0 ? "ICC_AP0R" : "ICC_AP1R"
        }
    }

    public var description: String { name }

    /// 32-bit kernel accesses one element costs when saved and when restored: 2 for the 64-bit
    /// redistributor registers (GICR_PROPBASER/PENDBASER), 1 for everything else. GICD_IROUTER
    /// is 64-bit but costs 1: only its low word holds state (its upper word is RAZ/WI, see
    /// `VGIC+SnapshotWords.swift`); CPU_SYSREGS move 64 bits in one access.
    public var accessesPerElement: Int {
        switch self {
        case .redistributor(let register): Int(register.width.wordCount)
        default: 1
        }
    }

    /// Whether an element is wider than 32 bits in the snapshot (the 64-bit registers and the
    /// CPU-interface registers); for the others a value above `UInt32.max` is malformed.
    public var holds64Bits: Bool {
        switch self {
        case .distributor(let register), .redistributor(let register): register.width == .bits64
        case .system, .activePriorities: true
        case .lineLevels: false
        }
    }

    /// How many elements the register has at all, whatever the vgic's size: a GICD/GICR bank's
    /// bytes over its element width (GICD_ISENABLER 32 words, GICD_IROUTER 1024 INTIDs,
    /// GICR_IPRIORITYR 8 words), 32 `LEVEL_INFO` words (INTIDs 0 ..< 1024), one CPU-interface
    /// register, four APRs per group (`ICCRegister.maxAPRIndex` is at most 3).
    ///
    /// No `RegisterBank` holds an element at or beyond it, so every index a bank yields is below
    /// 1024 and index arithmetic on it (element × INTIDs per element) cannot overflow.
    public var elementCount: UInt32 {
        switch self {
        case .distributor(let register), .redistributor(let register):
            register.length / (register.width == .bits64 ? 8 : 4)
        case .lineLevels: 1024 / LevelInfoSelector.intidsPerAccess
        case .system: 1
        case .activePriorities: 4
        }
    }

    /// Whether the binary format and JSON can name this register: a distributor bank from the
    /// distributor frame, a redistributor bank from an RD or SGI frame, APRs of group 0 or 1.
    /// `BankKey` decodes exactly these, so a bank of any other cannot be written.
    public var isNameable: Bool {
        switch self {
        case .distributor(let register): !register.frame.isRedistributor
        case .redistributor(let register): register.frame.isRedistributor
        case .lineLevels, .system: true
        case .activePriorities(let group): group <= 1
        }
    }
}
