@testable import Conformance
import GICVocabulary
import Testing

@Suite("Scenario tables")
struct ScenarioTableTests {
    @Test("scenario names are unique across every family")
    func uniqueNames() {
        let names = ScenarioCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test("round-trip steps address registers of the frame their target names")
    func frames() {
        for step in RegisterRoundTripScenarios.distributor {
            for target in [step.write, step.read] {
                guard case .distributor(let register, let index) = target else {
                    Issue.record("\(step.label): not a distributor target"); continue
                }
                #expect(register.frame == .distributor, "\(step.label)")
                #expect(index * (register.bitsPerInterrupt == 64 ? 8 : 4) < register.length, "\(step.label)")
            }
        }
        for step in RegisterRoundTripScenarios.redistributor {
            for target in [step.write, step.read] {
                guard case .redistributor(let register, _) = target else {
                    Issue.record("\(step.label): not a redistributor target"); continue
                }
                #expect(register.frame.isRedistributor, "\(step.label)")
            }
        }
    }

    @Test("round-trip labels are unique, so a failure names one step")
    func uniqueLabels() {
        let labels = (RegisterRoundTripScenarios.distributor + RegisterRoundTripScenarios.redistributor).map(\.label)
        #expect(Set(labels).count == labels.count)
    }

    @Test("annotated keeps the verdict and prefixes the note")
    func annotated() {
        #expect(Outcome.pass("3 checks").annotated("6.12 rule") == .pass("6.12 rule: 3 checks"))
        #expect(Outcome.fail("x").annotated("n") == .fail("n: x"))
        #expect(Outcome.skip("y").annotated("n") == .skip("n: y"))
    }
}
