@testable import Conformance
import GICModel
import Testing

/// The model predicts what the guest sees: every guest case, run on the reference model for
/// each kernel line, passes the same checks the kernel's outcome passes in the lab.
@Suite("The model's prediction of every guest case")
struct GuestModelPredictionTests {
    static let cases = GuestCatalog.all.map { $0.name }

    @Test("passes its case's checks on 6.12 and 7.x", arguments: cases)
    func prediction(name: String) throws {
        let guestCase = try #require(GuestCatalog.all.first { $0.name == name })
        for kernel in KernelBehaviour.allCases {
            let scenario = try guestCase.build()
            var machine = try GuestModelMachine(scenario, kernel: kernel)
            let outcome = machine.run()
            let verdict = guestCase.check(outcome, GuestCheckContext(kernel: kernel, affinities: machine.affinities))
            if case .pass = verdict { continue }
            Issue.record("\(kernel): \(verdict.detail)\n\(outcome.trace.events.map { $0.description }.joined(separator: "\n"))")
        }
    }
}
