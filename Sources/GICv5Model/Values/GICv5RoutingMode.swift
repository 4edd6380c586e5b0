import GICVocabulary

/// The IRM bit of `GIC CDAFF`, an ISTE and ICC_ICSR_EL1: targeted (0) or 1-of-N (1).
public enum GICv5RoutingMode: UInt8, Hashable, Sendable {
    case targeted = 0
    case oneOfN = 1
}
