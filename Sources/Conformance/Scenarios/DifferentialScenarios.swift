extension ScenarioCatalog {
    /// Scenarios of this family, in run order.
    public static var differential: [Scenario] { [] }
}
