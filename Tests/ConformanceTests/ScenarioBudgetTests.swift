@testable import Conformance
import Testing

@Suite("ScenarioBudget: the lab's full counts, scaled for swift test")
struct ScenarioBudgetTests {
    @Test("a count scales by the per-mille, never below the minimum nor above the full count", arguments: [
        (ScenarioBudget.full, 200, 1, 200), (.full, 1000, 1, 1000),
        (.smoke, 200, 1, 2), (.smoke, 1000, 1, 10), (.smoke, 2000, 1, 20), (.smoke, 25, 1, 1),
        (.smoke, 25, 3, 3), (.smoke, 2, 5, 2), (ScenarioBudget(permille: 500), 9, 1, 4),
    ] as [(ScenarioBudget, Int, Int, Int)])
    func count(budget: ScenarioBudget, full: Int, minimum: Int, expected: Int) {
        #expect(budget.count(full, minimum: minimum) == expected)
    }

    @Test("per-mille is kept within 1...1000")
    func clamped() {
        #expect(ScenarioBudget(permille: 0).permille == 1)
        #expect(ScenarioBudget(permille: 5000) == .full)
    }

    @Test("a context runs at the full budget unless told otherwise: the lab's runner never names one")
    func defaultIsFull() {
        #expect(ScenarioContext(kernelRelease: "6.12.117").budget == .full)
    }
}
