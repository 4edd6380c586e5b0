/// Every guest-side case, in run order; each family is an `extension GuestCatalog` beside its
/// cases in `Scenarios/Guest/Guest<Family>Scenarios.swift`. The conformance run takes their
/// scenarios (`ScenarioCatalog.guest`); the model-prediction tests take the cases themselves.
enum GuestCatalog {
    static var all: [GuestCase] {
        harness
            + delivery
            + invariants
            + eoi
            + groups
            + pmr
            + bpr
            + preemption
            + overflow
            + asymmetric
            + restoreActive
            + injectionFailure
            + timer
            + sgi
            + distributor
            + specialINTID
            + latency
    }
}

extension ScenarioCatalog {
    /// The guest-side scenarios (`guest.*`): what a guest taking interrupts sees.
    public static var guest: [Scenario] {
        GuestCatalog.all.map { $0.scenario }
    }
}
