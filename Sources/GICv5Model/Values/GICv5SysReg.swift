import GICVocabulary

/// One GICv5 EL1 CPU-interface system register (FEAT_GCIE), with its encoding and what it holds.
/// The registers are data in `GICv5SysReg.table`.
///
/// Encodings (op0, op1, CRn, CRm, op2): `arch/arm64/tools/sysreg` and QEMU `gicv5_cpuif_reginfo`
/// (GICv5Model.docc/GICv5Architecture.md): HMR0/1 3,0,12,10,0/1; IDR0 …,2;
/// HPPIR …,3; ICSR …,4; IAFFIDR …,5; ENABLER0/1 …,6/7; CACTIVER0/1 3,0,12,13,0/1; SACTIVER0/1 …,2/3;
/// CPENDR0/1 …,4/5; SPENDR0/1 …,6/7; PRIORITYRn 3,0,12,14+(n/8),n%8; APR 3,1,12,0,0; CR0 …,1; PCR …,2; HAPR
/// …,3.
public struct GICv5SysReg: Sendable {
    /// What the register holds.
    public enum Contents: Hashable, Sendable {
        case handlingModes(PPIBank)
        case identification
        case highestPriorityPending
        case interruptStatus
        case affinityID
        case enable(PPIBank)
        case clearActive(PPIBank)
        case setActive(PPIBank)
        case clearPending(PPIBank)
        case setPending(PPIBank)
        case priority(Int)
        case activePriorities
        case control
        case priorityMask
        case highestActivePriority
    }

    public let name: StaticString
    public let encoding: SysRegEncoding
    public let contents: Contents

    init(_ name: StaticString, _ op1: UInt16, _ crm: UInt16, _ op2: UInt16, _ contents: Contents) {
        self.name = name
        // op0 = 3, CRn = 12 for every register here.
        self.encoding = SysRegEncoding(instr: 3 << 14 | op1 << 11 | 12 << 7 | crm << 3 | op2)
        self.contents = contents
    }

    /// The register with this encoding, if it is a GICv5 EL1 CPU-interface register.
    public static func lookup(_ encoding: SysRegEncoding) -> GICv5SysReg? {
        table.first { $0.encoding == encoding }
    }

    /// Whether KVM's userspace accessors (`KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS` for a GICv5 guest,
    /// Sept-2026 series; GICv5Model.docc/GICv5UnderKVM.md) handle the register. Not handled: the read-only
    /// identification and status registers, ICC_HAPR_EL1, ICC_IAFFIDR_EL1, and the C-variants of
    /// the active and pending registers ("only raw state writes are supported via the S(et)
    /// variant").
    public var hasUserspaceAccessor: Bool {
        switch contents {
        case .interruptStatus, .enable, .setActive, .setPending, .priority, .activePriorities,
             .control, .priorityMask:
            return true
        case .handlingModes, .identification, .highestPriorityPending, .affinityID, .clearActive,
             .clearPending, .highestActivePriority:
            return false
        }
    }

    /// ICC_PPI_ENABLER0_EL1 etc., for callers that want a register by what it holds.
    /// `priority(_:)` clamps its index into 0–15.
    public static func enable(_ bank: PPIBank) -> GICv5SysReg { register(.enable(bank)) }
    public static func setActive(_ bank: PPIBank) -> GICv5SysReg { register(.setActive(bank)) }
    public static func setPending(_ bank: PPIBank) -> GICv5SysReg { register(.setPending(bank)) }
    public static func clearPending(_ bank: PPIBank) -> GICv5SysReg { register(.clearPending(bank)) }
    public static func priority(_ index: Int) -> GICv5SysReg { register(.priority(min(max(index, 0), 15))) }
    public static var interruptStatus: GICv5SysReg { register(.interruptStatus) }
    public static var activePriorities: GICv5SysReg { register(.activePriorities) }
    public static var control: GICv5SysReg { register(.control) }
    public static var priorityMask: GICv5SysReg { register(.priorityMask) }
    public static var highestActivePriority: GICv5SysReg { register(.highestActivePriority) }
    public static var affinityID: GICv5SysReg { register(.affinityID) }

    static func register(_ contents: Contents) -> GICv5SysReg {
        guard let match = table.first(where: { $0.contents == contents }) else {
            fatalError("every Contents value has a table row")
        }
        return match
    }
}

extension GICv5SysReg: Hashable {
    public static func == (lhs: GICv5SysReg, rhs: GICv5SysReg) -> Bool { lhs.encoding == rhs.encoding }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoding) }
}

extension GICv5SysReg {
    /// Every GICv5 EL1 CPU-interface register the model knows, in encoding order.
    public static let table: [GICv5SysReg] = [
        GICv5SysReg("ICC_PPI_HMR0_EL1", 0, 10, 0, .handlingModes(.bank0)),
        GICv5SysReg("ICC_PPI_HMR1_EL1", 0, 10, 1, .handlingModes(.bank1)),
        GICv5SysReg("ICC_IDR0_EL1", 0, 10, 2, .identification),
        GICv5SysReg("ICC_HPPIR_EL1", 0, 10, 3, .highestPriorityPending),
        GICv5SysReg("ICC_ICSR_EL1", 0, 10, 4, .interruptStatus),
        GICv5SysReg("ICC_IAFFIDR_EL1", 0, 10, 5, .affinityID),
        GICv5SysReg("ICC_PPI_ENABLER0_EL1", 0, 10, 6, .enable(.bank0)),
        GICv5SysReg("ICC_PPI_ENABLER1_EL1", 0, 10, 7, .enable(.bank1)),
        GICv5SysReg("ICC_PPI_CACTIVER0_EL1", 0, 13, 0, .clearActive(.bank0)),
        GICv5SysReg("ICC_PPI_CACTIVER1_EL1", 0, 13, 1, .clearActive(.bank1)),
        GICv5SysReg("ICC_PPI_SACTIVER0_EL1", 0, 13, 2, .setActive(.bank0)),
        GICv5SysReg("ICC_PPI_SACTIVER1_EL1", 0, 13, 3, .setActive(.bank1)),
        GICv5SysReg("ICC_PPI_CPENDR0_EL1", 0, 13, 4, .clearPending(.bank0)),
        GICv5SysReg("ICC_PPI_CPENDR1_EL1", 0, 13, 5, .clearPending(.bank1)),
        GICv5SysReg("ICC_PPI_SPENDR0_EL1", 0, 13, 6, .setPending(.bank0)),
        GICv5SysReg("ICC_PPI_SPENDR1_EL1", 0, 13, 7, .setPending(.bank1)),
        GICv5SysReg("ICC_PPI_PRIORITYR0_EL1", 0, 14, 0, .priority(0)),
        GICv5SysReg("ICC_PPI_PRIORITYR1_EL1", 0, 14, 1, .priority(1)),
        GICv5SysReg("ICC_PPI_PRIORITYR2_EL1", 0, 14, 2, .priority(2)),
        GICv5SysReg("ICC_PPI_PRIORITYR3_EL1", 0, 14, 3, .priority(3)),
        GICv5SysReg("ICC_PPI_PRIORITYR4_EL1", 0, 14, 4, .priority(4)),
        GICv5SysReg("ICC_PPI_PRIORITYR5_EL1", 0, 14, 5, .priority(5)),
        GICv5SysReg("ICC_PPI_PRIORITYR6_EL1", 0, 14, 6, .priority(6)),
        GICv5SysReg("ICC_PPI_PRIORITYR7_EL1", 0, 14, 7, .priority(7)),
        GICv5SysReg("ICC_PPI_PRIORITYR8_EL1", 0, 15, 0, .priority(8)),
        GICv5SysReg("ICC_PPI_PRIORITYR9_EL1", 0, 15, 1, .priority(9)),
        GICv5SysReg("ICC_PPI_PRIORITYR10_EL1", 0, 15, 2, .priority(10)),
        GICv5SysReg("ICC_PPI_PRIORITYR11_EL1", 0, 15, 3, .priority(11)),
        GICv5SysReg("ICC_PPI_PRIORITYR12_EL1", 0, 15, 4, .priority(12)),
        GICv5SysReg("ICC_PPI_PRIORITYR13_EL1", 0, 15, 5, .priority(13)),
        GICv5SysReg("ICC_PPI_PRIORITYR14_EL1", 0, 15, 6, .priority(14)),
        GICv5SysReg("ICC_PPI_PRIORITYR15_EL1", 0, 15, 7, .priority(15)),
        GICv5SysReg("ICC_APR_EL1", 1, 0, 0, .activePriorities),
        GICv5SysReg("ICC_CR0_EL1", 1, 0, 1, .control),
        GICv5SysReg("ICC_PCR_EL1", 1, 0, 2, .priorityMask),
        GICv5SysReg("ICC_HAPR_EL1", 1, 0, 3, .highestActivePriority),
    ]
}
