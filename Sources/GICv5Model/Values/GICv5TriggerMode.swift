import GICVocabulary

/// How an SPI's input wire is sampled: IRS_SPI_CFGR.TM, 0 edge, 1 level (transitions V3–V6 in
/// GICv5Model.docc/GICv5Architecture.md).
public enum GICv5TriggerMode: UInt8, Hashable, Sendable {
    case edge = 0
    case level = 1

    /// The handling mode a sample of a high line sets (R_HHKMN: SET_EDGE or SET_LEVEL).
    public var handlingMode: GICv5HandlingMode { self == .edge ? .edge : .level }
}
