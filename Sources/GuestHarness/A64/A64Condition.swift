/// A64 condition codes for `B.cond` (Arm ARM C1.2.4), with the names GNU as reads.
public enum A64Condition: UInt32, Sendable, CaseIterable {
    case eq = 0, ne = 1, hs = 2, lo = 3, mi = 4, pl = 5, vs = 6, vc = 7
    case hi = 8, ls = 9, ge = 10, lt = 11, gt = 12, le = 13, al = 14

    /// The mnemonic suffix (`b.eq`).
    public var name: String {
        switch self {
        case .eq: "eq"
        case .ne: "ne"
        case .hs: "hs"
        case .lo: "lo"
        case .mi: "mi"
        case .pl: "pl"
        case .vs: "vs"
        case .vc: "vc"
        case .hi: "hi"
        case .ls: "ls"
        case .ge: "ge"
        case .lt: "lt"
        case .gt: "gt"
        case .le: "le"
        case .al: "al"
        }
    }
}
