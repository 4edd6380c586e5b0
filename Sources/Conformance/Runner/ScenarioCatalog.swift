/// Every scenario the runner knows, in run order.
///
/// Each family of scenarios is a list defined beside its scenarios, in
/// `Scenarios/<Family>Scenarios.swift`, as an `extension ScenarioCatalog`; add a scenario to
/// its family's list, and a family here. Names must be unique. Computed properties rather than
/// stored ones: Swift 6 forbids global mutable state, and the lists are cheap to build.
public enum ScenarioCatalog {
    public static var all: [Scenario] {
        [HostProbeScenario.scenario]
            + vgicInit
            + injection
            + registerRoundTrips
            + vcpuRun
            + overhead
            + vgicV5
            + differential
            + snapshot
            + reliability
            + guest
            + guestFuzz
            + linux
            + irqfd
            + msi
            + its
            + itsDifferential
            + snapshotITS
    }
}
