/// Every scenario the runner knows, in run order.
///
/// Add a scenario by appending it here; names must be unique. A computed property rather
/// than a stored one: Swift 6 forbids global mutable state, and the list is cheap to build.
public enum ScenarioCatalog {
    public static var all: [Scenario] {
        [
            HostProbeScenario.scenario,
        ] + vgicInit
    }
}
