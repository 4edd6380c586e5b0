import CKVM
import GICModel
import GICVocabulary
import KVM

/// The ITS and its model side by side (Conformance.docc/ITSLab.md):
///
/// * `its.differential.fuzz`: 100 seeded sequences of 100 operations each — ITS commands from
///   the guest's command queue, MSIs, LPI enables, property and pending table writes, table saves
///   compared byte for byte — 0 differences expected. Each sequence runs on a fresh VM with 4
///   vCPUs.
/// * `its.differential.mutation.<name>`: the same with a deliberately wrong ITS model
///   (`ITSMutation`); passes when a sequence shows the difference.
///
/// Host side only (no vCPU runs): KVM runs the command queue on a userspace GITS_CWRITER write as
/// it does on the guest's.
extension ScenarioCatalog {
    public static var itsDifferential: [Scenario] {
        var scenarios = [Scenario("its.differential.fuzz") { context in ITSDifferentialScenarios.fuzz(&context) }]
        for (name, mutation) in ITSMutation.named {
            scenarios.append(Scenario("its.differential.mutation." + name) { context in
                ITSDifferentialScenarios.mutation(mutation, &context)
            })
        }
        return scenarios
    }
}

enum ITSDifferentialScenarios {
    static let sequences = 100
    static let length = 100
    static let baseSeed: UInt64 = 0x175E_0000
    /// Sequences a mutant has to be caught within.
    static let mutantSequences = 60

    static func fuzz(_ context: inout ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        let kernel = DifferentialLab.kernel(context)
        let count = context.budget.count(sequences)
        let last = baseSeed + UInt64(count - 1)
        let range = "seeds " + hex(baseSeed, uppercase: true) + "..." + hex(last, uppercase: true)
        let start = ckvm_monotonic_ns()
        var operations = 0
        var commands = 0
        var failed = 0
        var outcomes: [String: Int] = [:]
        for i in 0..<count {
            let seed = baseSeed + UInt64(i)
            let result: ITSDifferential.Result
            do throws(ScenarioFailure) {
                result = try ITSDifferential.run(seed: seed, length: length, kvm: kvm, kernel: kernel)
            } catch {
                return error.outcome(prefix: "seed " + hex(seed, uppercase: true))
            }
            operations += result.operations.count
            for (outcome, n) in result.commandOutcomes {
                outcomes[outcome, default: 0] += n
                commands += n
                if outcome != "ok" { failed += n }
            }
            if let mismatch = result.mismatch {
                return .fail(range + ": seed " + hex(seed, uppercase: true) + ", " + mismatch.description + "; sequence: "
                    + result.operations.prefix(mismatch.step + 1).map { $0.description }.joined(separator: "; "))
            }
        }
        let elapsed = DifferentialLab.milliseconds(since: start)
        context.record("sequences", Int64(count), unit: "sequences")
        context.record("operations", Int64(operations), unit: "operations")
        context.record("commands", Int64(commands), unit: "commands")
        context.record("commands_failed", Int64(failed), unit: "commands")
        context.record("error_kinds", Int64(outcomes.count - (outcomes["ok"] == nil ? 0 : 1)), unit: "kinds")
        context.record("fuzz_ms", elapsed, unit: "ms")
        return .pass(range + ": \(count) sequences x \(length) operations, 0 differences; \(commands) commands, \(failed) of them failing in \(outcomes.count - 1) ways (model \(kernel))")
    }

    static func mutation(_ mutation: ITSMutation, _ context: inout ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        let kernel = DifferentialLab.kernel(context)
        var operations = 0
        for i in 0..<mutantSequences {
            let seed = baseSeed + UInt64(i)
            let result: ITSDifferential.Result
            do throws(ScenarioFailure) {
                result = try ITSDifferential.run(seed: seed, length: length, kvm: kvm, kernel: kernel, mutations: mutation)
            } catch {
                return error.outcome(prefix: "seed " + hex(seed, uppercase: true))
            }
            if let mismatch = result.mismatch {
                operations += mismatch.step + 1
                context.record("sequences_to_catch", Int64(i + 1), unit: "sequences")
                context.record("operations_to_catch", Int64(operations), unit: "operations")
                return .pass("mutant caught in sequence \(i + 1), " + mismatch.description)
            }
            operations += result.operations.count
        }
        return .fail("the cross-check did not catch the mutant in \(mutantSequences) sequences (\(operations) operations)")
    }
}
