import CKVM
import GICModel
import GICVocabulary
import GuestHarness

/// The guest-side differential fuzzer: seeded random guest programs (`GuestFuzzProgram`) run on
/// the kernel and on the model, whose traces must be equal.
///
/// * `guest.fuzz.programs`: 100 programs (seeds from `baseSeed`), 2–4 vCPUs each; a difference
///   fails with the seed, the difference and the program shrunk to the blocks that still show
///   it, printed as Swift.
/// * `guest.fuzz.mutants`: the guest cases and 25 of the programs run once on the kernel; each
///   deliberately wrong model (`DeliveryMutation`) must mispredict at least one of them.
extension ScenarioCatalog {
    public static var guestFuzz: [Scenario] {
        [
            Scenario("guest.fuzz.programs", requires: [.guestExecution]) { context in GuestFuzzLab.programs(&context) },
            Scenario("guest.fuzz.mutants", requires: [.guestExecution]) { context in GuestFuzzLab.mutants(&context) },
        ]
    }
}

enum GuestFuzzLab {
    /// Programs per kernel (the context's budget of them).
    static let programCount = 100
    /// Program i uses seed `baseSeed + i`.
    static let baseSeed: UInt64 = 0x6E57_F022_0000_0000
    /// Fuzz programs the mutation check runs besides the guest cases.
    static let mutantProgramCount = 25
    /// Kernel runs the shrinker may spend on one difference.
    static let shrinkLimit = 150

    static func programs(_ context: inout ScenarioContext) -> Outcome {
        guard let kernel = KernelBehaviour(release: context.kernelRelease) else {
            return .fail("kernel release \(context.kernelRelease) names no kernel line")
        }
        let count = context.budget.count(programCount)
        let start = ckvm_monotonic_ns()
        var events = 0
        var blocks = 0
        for index in 0..<count {
            let seed = baseSeed + UInt64(index)
            let program = GuestFuzzProgram.random(seed: seed)
            blocks += program.blockCount
            let differences: [String]
            do throws(ScenarioFailure) {
                let (run, found) = try compare(program, kernel: kernel, context)
                events += run.outcome.trace.events.count
                differences = found
                if case .completed = run.outcome.end {} else if differences.isEmpty {
                    return .fail("seed \(hex(seed, uppercase: true)): both sides agree but the run did not complete: \(run.outcome.end)\n\(program)")
                }
            } catch {
                return error.outcome(prefix: "seed \(hex(seed, uppercase: true))")
            }
            guard differences.isEmpty else {
                let (shrunk, shrunkDifferences) = shrink(program, kernel: kernel, context)
                return .fail(
                    "seed \(hex(seed, uppercase: true)) (program \(index + 1) of \(count)): \(differences.joined(separator: "; ")); "
                        + "shrunk to \(shrunk.blockCount) of \(program.blockCount) blocks (\(shrunkDifferences.joined(separator: "; "))):\n\(shrunk)")
            }
        }
        let elapsed = (ckvm_monotonic_ns() - start) / 1_000_000
        context.record("programs", Int64(count), unit: "programs")
        context.record("blocks", Int64(blocks), unit: "blocks")
        context.record("trace_events", Int64(events), unit: "events")
        context.record("wall_ms", elapsed, unit: "ms")
        return .pass("\(count) programs (seeds \(hex(baseSeed, uppercase: true))…+\(count - 1)), \(blocks) blocks, \(events) events: kernel and model agree")
    }

    /// Runs `program` on the kernel and the model; the differences between them.
    static func compare(
        _ program: GuestFuzzProgram, kernel: KernelBehaviour, _ context: ScenarioContext, mutations: DeliveryMutation = []
    ) throws(ScenarioFailure) -> (GuestLab.KernelRun, [String]) {
        let scenario: GuestScenario
        do throws(GuestProgramError) { scenario = try program.scenario() } catch { throw .fail("program: \(error)") }
        let run = try GuestLab.KernelRun(scenario, context)
        let prediction = try run.prediction(kernel: kernel, mutations: mutations)
        return (run, run.outcome.differences(from: prediction))
    }

    /// Removes blocks, latest first, while the kernel and the model still differ.
    static func shrink(_ program: GuestFuzzProgram, kernel: KernelBehaviour, _ context: ScenarioContext) -> (GuestFuzzProgram, [String]) {
        var current = program
        var differences: [String] = []
        var runs = 0
        var progress = true
        while progress && runs < shrinkLimit {
            progress = false
            for position in current.positions where runs < shrinkLimit {
                let candidate = current.removing(vcpu: position.vcpu, phase: position.phase, block: position.block)
                runs += 1
                guard let (_, found) = try? compare(candidate, kernel: kernel, context), !found.isEmpty else { continue }
                current = candidate
                differences = found
                progress = true
                break
            }
        }
        return (current, differences)
    }

    /// Each deliberately wrong model must mispredict one of the guest cases or of the first
    /// fuzz programs, as run on this kernel.
    static func mutants(_ context: inout ScenarioContext) -> Outcome {
        guard let kernel = KernelBehaviour(release: context.kernelRelease) else {
            return .fail("kernel release \(context.kernelRelease) names no kernel line")
        }
        var runs: [(String, GuestLab.KernelRun)] = []
        do throws(ScenarioFailure) {
            for guestCase in GuestCatalog.all where guestCase.name != "guest.harness.watchdog" {
                let scenario: GuestScenario
                do throws(GuestProgramError) { scenario = try guestCase.build() } catch { return .fail("\(guestCase.name): \(error)") }
                runs.append((guestCase.name, try GuestLab.KernelRun(scenario, context)))
            }
            for index in 0..<context.budget.count(mutantProgramCount) {
                let seed = baseSeed + UInt64(index)
                let scenario: GuestScenario
                do throws(GuestProgramError) { scenario = try GuestFuzzProgram.random(seed: seed).scenario() } catch {
                    return .fail("seed \(hex(seed, uppercase: true)): \(error)")
                }
                runs.append(("seed \(hex(seed, uppercase: true))", try GuestLab.KernelRun(scenario, context)))
            }
        } catch {
            return error.outcome(prefix: "kernel runs")
        }
        // Only runs the right model predicts count: a mutant must differ where the model is right.
        var agreed: [(String, GuestLab.KernelRun)] = []
        for (label, run) in runs {
            guard let prediction = try? run.prediction(kernel: kernel) else { continue }
            if run.outcome.differences(from: prediction).isEmpty { agreed.append((label, run)) }
        }
        guard agreed.count == runs.count else {
            return .fail("the right model mispredicts \(runs.count - agreed.count) of \(runs.count) runs (see guest.fuzz.programs and the guest cases)")
        }
        var caught: [String] = []
        var missed: [String] = []
        for (name, mutation) in DeliveryMutation.named {
            var witness: String? = nil
            for (index, (label, run)) in agreed.enumerated() {
                guard let prediction = try? run.prediction(kernel: kernel, mutations: mutation),
                    !run.outcome.differences(from: prediction).isEmpty
                else { continue }
                witness = label
                context.record("\(name)_caught_at", Int64(index), unit: "run")
                break
            }
            if let witness { caught.append("\(name) by \(witness)") } else { missed.append(name) }
        }
        guard missed.isEmpty else {
            return .fail("not caught by any of \(runs.count) runs: \(missed.joined(separator: ", ")); caught: \(caught.joined(separator: "; "))")
        }
        return .pass("\(caught.count) wrong models caught in \(runs.count) kernel runs: \(caught.joined(separator: "; "))")
    }
}
