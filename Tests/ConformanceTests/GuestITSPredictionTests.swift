@testable import Conformance
import GICModel
import Testing

/// The model's prediction of the ITS guest cases (`its.guest.*`, which run in the its family):
/// each passes its own checks on both kernel lines, and a wrong ITS model fails them.
@Suite("The model's prediction of the ITS guest cases")
struct GuestITSPredictionTests {
    @Test("passes its case's checks on 6.12 and 7.x", arguments: (GuestCatalog.its + GuestCatalog.itsLatency).map { $0.name })
    func prediction(name: String) throws {
        let guestCase = try #require((GuestCatalog.its + GuestCatalog.itsLatency).first { $0.name == name })
        for kernel in KernelBehaviour.allCases {
            var machine = try GuestModelMachine(try guestCase.build(), kernel: kernel)
            let outcome = machine.run()
            let verdict = guestCase.check(outcome, GuestCheckContext(kernel: kernel, affinities: machine.affinities))
            if case .pass = verdict { continue }
            Issue.record("\(kernel): \(verdict.detail)\n\(outcome.trace.events.map { $0.description }.joined(separator: "\n"))")
        }
    }

    @Test("the setup maps every LPI the stress case signals, on its collection's vCPU")
    func stressMappings() throws {
        let machine = try GuestModelMachine(try GuestITSScenarios.stress(), kernel: .linux7)
        let its = try #require(machine.delivery.its)
        #expect(its.devices.count == Int(GuestITSScenarios.stressDevices))
        for vcpu in 0..<2 {
            let lpis = GuestITSScenarios.expectedStress(vcpu: UInt32(vcpu))
            #expect(lpis.count == 32)
            #expect(lpis.allSatisfy { machine.delivery.gic.lpi($0)?.target == vcpu })
        }
    }
}
