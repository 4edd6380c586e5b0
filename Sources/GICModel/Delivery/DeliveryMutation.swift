/// Deliberately wrong delivery mechanics, for the mutation check only: each must make the
/// model's prediction of some guest scenario differ from what the kernel does, or the
/// comparison could not tell a right model from a wrong one. Empty by default.
public struct DeliveryMutation: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Equal priorities go to the lowest INTID instead of the lowest-numbered list register
    /// (the ap_list order).
    public static let tiesByINTID = DeliveryMutation(rawValue: 1 << 0)
    /// An EOI of INTID 1020–1023 drops the running priority (QEMU returns first).
    public static let specialEOIDropsPriority = DeliveryMutation(rawValue: 1 << 1)
    /// A level interrupt keeps its pending latch when its list register retires.
    public static let levelLatchSurvivesDeactivation = DeliveryMutation(rawValue: 1 << 2)
    /// An edge interrupt still pending in its list register is lost on exit.
    public static let edgePendingLostOnExit = DeliveryMutation(rawValue: 1 << 3)

    /// Each mutation with its name, for scenario names and reports.
    public static let named: [(String, DeliveryMutation)] = [
        ("ties_by_intid", .tiesByINTID),
        ("special_eoi_drops_priority", .specialEOIDropsPriority),
        ("level_latch_survives_deactivation", .levelLatchSurvivesDeactivation),
        ("edge_pending_lost_on_exit", .edgePendingLostOnExit),
    ]
}
