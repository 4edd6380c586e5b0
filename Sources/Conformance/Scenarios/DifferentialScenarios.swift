import CKVM
import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import VGIC

/// The differential family: the kernel's vgic-v3 and the reference model side by side.
///
/// * `differential.v3.reset_state`: a fresh vgic's whole register map, exhaustively.
/// * `differential.v3.attribute_map`: HAS and GET of every distributor, redistributor and
///   CPU-sysreg attr against the model (which offsets exist, what they read).
/// * `differential.v3.fuzz`: 200 seeded sequences of 200 operations each on a 4-vCPU, 256-IRQ
///   vgic, compared after every operation and in full at each sequence end.
/// * `differential.v3.mutation.<name>`: the same fuzzing with a deliberately wrong model; passes
///   when the cross-check catches it.
///
/// Budget (TCG, ~30 µs per ioctl): a few seconds for the maps, about a minute for the fuzz run.
extension ScenarioCatalog {
    public static var differential: [Scenario] {
        var scenarios = [
            Scenario("differential.v3.reset_state") { context in DifferentialScenarios.resetState(&context) },
            Scenario("differential.v3.attribute_map") { context in DifferentialAttributeMap.run(&context) },
            Scenario("differential.v3.fuzz") { context in DifferentialScenarios.fuzz(&context) },
        ]
        for (name, mutation) in ModelMutation.named {
            scenarios.append(Scenario("differential.v3.mutation." + name) { context in
                DifferentialScenarios.mutation(mutation, &context)
            })
        }
        return scenarios
    }
}

enum DifferentialScenarios {
    /// Sequences and their length, as the issue asks; the run does the context's budget of the
    /// sequences (`ScenarioBudget`), each of the full length.
    static let sequences = 200
    static let length = 200
    /// The first seed; sequence i uses `baseSeed + i`, so a range names a run.
    static let baseSeed: UInt64 = 0x5EED_0000
    /// Replays the shrinker may spend on a real difference, and on a caught mutant.
    static let shrinkBudget = 120
    static let mutantShrinkBudget = 40
    /// Sequences a mutant has to be caught within.
    static let mutantSequences = 25

    /// A fresh vgic's whole map (`.exhaustive`) equals the model's reset state.
    static func resetState(_ context: inout ScenarioContext) -> Outcome {
        let factory = DifferentialLab.factory(context, kernel: DifferentialLab.kernel(context))
        if let outcome = DifferentialLab.probe(factory) { return outcome }
        do throws(VGICError) {
            var checked = try factory()
            let start = ckvm_monotonic_ns()
            let locations = checked.model.stateLocations(.exhaustive)
            let differences = checked.verify(.exhaustive)
            context.record("locations", Int64(locations.count), unit: "locations")
            context.record("ioctls", Int64(checked.kernelAccesses), unit: "ioctls")
            context.record("compare_ms", DifferentialLab.milliseconds(since: start), unit: "ms")
            let host = checked.model.configuration.host
            let summary = "\(locations.count) locations; host PRIbits \(host.priorityBits), IDbits \(host.idBits), SEIS \(host.seis), A3V \(host.a3v); model \(checked.model.configuration.kernel)"
            if differences.isEmpty { return .pass(summary) }
            var text = "\(differences.count) differences: "
            for (i, difference) in differences.prefix(12).enumerated() { text += (i == 0 ? "" : "; ") + difference.description }
            return .fail(text + " (" + summary + ")")
        } catch {
            return .fail("\(error)")
        }
    }

    /// 200 × 200 operations (at the full budget), zero differences expected; on one, the seed, a
    /// shrunk reproduction and a pasteable test.
    static func fuzz(_ context: inout ScenarioContext) -> Outcome {
        let sequences = context.budget.count(Self.sequences)
        let kernel = DifferentialLab.kernel(context)
        let factory = DifferentialLab.factory(context, kernel: kernel)
        if let outcome = DifferentialLab.probe(factory) { return outcome }
        let fuzzer = DifferentialFuzzer(length: length)
        let start = ckvm_monotonic_ns()
        var accesses = 0
        var operations = 0
        let last = baseSeed + UInt64(sequences - 1)
        let range = "seeds " + hex(baseSeed, uppercase: true) + "..." + hex(last, uppercase: true)
        print("differential: " + range + " (\(sequences) sequences of \(length) operations, model \(kernel))")
        for i in 0..<sequences {
            let seed = baseSeed + UInt64(i)
            let result: DifferentialFuzzer.SequenceResult
            do throws(VGICError) {
                result = try fuzzer.run(seed: seed, factory: factory)
            } catch {
                return .fail(range + ": seed " + hex(seed, uppercase: true) + " could not run: \(error)")
            }
            accesses += result.kernelAccesses
            operations += result.script.count
            if result.mismatch != nil {
                record(&context, sequences: i + 1, operations: operations, accesses: accesses, start: start)
                let account = DifferentialLab.report(result, fuzzer: fuzzer, factory: factory, budget: shrinkBudget, context: &context)
                return .fail(range + ": difference in sequence \(i + 1): " + account)
            }
        }
        record(&context, sequences: sequences, operations: operations, accesses: accesses, start: start)
        return .pass(range + ": \(sequences) sequences x \(length) operations, 0 differences, \(accesses) ioctls (model \(kernel))")
    }

    static func record(_ context: inout ScenarioContext, sequences: Int, operations: Int, accesses: Int, start: Int64) {
        let elapsed = DifferentialLab.milliseconds(since: start)
        context.record("seed_first", Int64(baseSeed), unit: "seed")
        context.record("sequences", Int64(sequences), unit: "sequences")
        context.record("operations", Int64(operations), unit: "operations")
        context.record("ioctls", Int64(accesses), unit: "ioctls")
        context.record("fuzz_ms", elapsed, unit: "ms")
        context.record("checked_ops_per_s", elapsed > 0 ? Int64(operations) * 1000 / elapsed : 0, unit: "ops/s")
        context.record("ioctls_per_s", elapsed > 0 ? Int64(accesses) * 1000 / elapsed : 0, unit: "ioctls/s")
    }

    /// Fuzzing with a wrong model must find a difference within `mutantSequences` sequences.
    static func mutation(_ mutation: ModelMutation, _ context: inout ScenarioContext) -> Outcome {
        let kernel = DifferentialLab.kernel(context)
        let factory = DifferentialLab.factory(context, kernel: kernel, mutations: mutation)
        if let outcome = DifferentialLab.probe(factory) { return outcome }
        let fuzzer = DifferentialFuzzer(length: length)
        let start = ckvm_monotonic_ns()
        var operations = 0
        for i in 0..<mutantSequences {
            let seed = baseSeed + UInt64(i)
            let result: DifferentialFuzzer.SequenceResult
            do throws(VGICError) {
                result = try fuzzer.run(seed: seed, factory: factory)
            } catch {
                return .fail("seed " + hex(seed, uppercase: true) + " could not run: \(error)")
            }
            operations += result.script.count
            if result.mismatch != nil {
                context.record("sequences_to_catch", Int64(i + 1), unit: "sequences")
                context.record("operations_to_catch", Int64(operations), unit: "operations")
                context.record("catch_ms", DifferentialLab.milliseconds(since: start), unit: "ms")
                let account = DifferentialLab.report(
                    result, fuzzer: fuzzer, factory: factory, budget: mutantShrinkBudget, context: &context)
                return .pass("mutant caught after \(operations) operations: " + account)
            }
        }
        return .fail("the cross-check did not catch the mutant in \(mutantSequences) sequences (\(operations) operations)")
    }
}
