@testable import Conformance
import GICModel
import Testing

/// The model's prediction of the irqfd guest cases (`irqfd.guest.*`, which run in the irqfd
/// family rather than in `GuestCatalog.all`): each passes its own checks on both kernel lines.
@Suite("The model's prediction of the irqfd guest cases")
struct GuestIRQFDPredictionTests {
    @Test("passes its case's checks on 6.12 and 7.x", arguments: GuestCatalog.irqfd.map { $0.name })
    func prediction(name: String) throws {
        let guestCase = try #require(GuestCatalog.irqfd.first { $0.name == name })
        for kernel in KernelBehaviour.allCases {
            var machine = try GuestModelMachine(try guestCase.build(), kernel: kernel)
            let outcome = machine.run()
            let verdict = guestCase.check(outcome, GuestCheckContext(kernel: kernel, affinities: machine.affinities))
            if case .pass = verdict { continue }
            Issue.record("\(kernel): \(verdict.detail)\n\(outcome.trace.events.map { $0.description }.joined(separator: "\n"))")
        }
    }

    @Test("a resampled SPI's acknowledgement lowers its line once and counts once; an edge SPI's none")
    func resampler() throws {
        let scenario = try GuestIRQFDScenarios.levelResample()
        var machine = try GuestModelMachine(scenario, kernel: .linux7)
        #expect(machine.delivery.resampledSPIs == [GuestIRQFDScenarios.levelSPI: 0])
        _ = machine.run()
        #expect(machine.delivery.resampledSPIs == [GuestIRQFDScenarios.levelSPI: 0])
        #expect(machine.delivery.gic.interrupt(GuestIRQFDScenarios.levelSPI, vcpu: 0).line == false)
        let edge = try GuestModelMachine(try GuestIRQFDScenarios.edgeOnce(), kernel: .debian6_12)
        #expect(edge.delivery.resampledSPIs.isEmpty)
    }
}
