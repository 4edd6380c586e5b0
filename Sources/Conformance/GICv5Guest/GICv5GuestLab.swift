import GICv5Model
import GICVocabulary
import GuestHarness

/// The GICv5 guest lab as the host drives it: which bare-metal images to boot on QEMU 11
/// (`-M virt,gic-version=x-5 -cpu max -kernel <ELF>`), and the verdicts on what their UARTs
/// printed. No kernel is involved, so this runs on the host (`LabHost`), not in the runner; the
/// records join the report as the pseudo-kernel "gicv5 (QEMU 11)".
///
/// Verdicts: each `gicv5_guest.*` case passes when QEMU logged what the case expects and
/// `GICv5ModelMachine` (with `GICv5Implementation.qemu11`) predicted QEMU's trace exactly;
/// `gicv5_guest.differential.cd_sequences` passes when every random sequence agrees;
/// `gicv5_guest.differential.mutants` when each deliberately wrong model (`GICv5Mutation`) is
/// caught by at least one run.
public enum GICv5GuestLab {
    /// One boot.
    public struct Run: Sendable {
        /// `gicv5_guest.<family>.<case>`, or `gicv5_guest.differential.seed-<hex>`.
        public let name: String
        /// The ELF for QEMU's `-kernel`.
        public let elf: [UInt8]
    }

    /// What one boot printed.
    public struct RunResult: Sendable {
        public let name: String
        /// QEMU's serial output, line by line.
        public let lines: [String]
        /// QEMU ended by itself (the guest powered off) rather than being killed at the timeout.
        public let exitedNormally: Bool

        public init(name: String, lines: [String], exitedNormally: Bool) {
            self.name = name
            self.lines = lines
            self.exitedNormally = exitedNormally
        }
    }

    /// A verdict for the report.
    public struct Record: Sendable {
        public let name: String
        public let outcome: Outcome
        public let figures: [Figure]
    }

    /// The scenario names this lab reports (for `--list` and `--filter`).
    public static var scenarioNames: [String] {
        cases.map { $0.name } + [differentialName, mutantsName]
    }

    static let differentialName = "gicv5_guest.differential.cd_sequences"
    static let mutantsName = "gicv5_guest.differential.mutants"
    static let differentialPrefix = "gicv5_guest.differential.seed-"

    static var cases: [GICv5GuestCase] { GICv5CPUInterfaceCases.all + GICv5IRSCases.all + GICv5WireCases.all }

    static func seeds(_ budget: ScenarioBudget) -> [UInt64] {
        (0..<UInt64(budget.count(GICv5Differential.sequences))).map { GICv5Differential.firstSeed &+ $0 }
    }

    /// Why the lab's images could not be built: a package defect, reported rather than trapped.
    public enum BuildError: Error, Sendable, CustomStringConvertible {
        case assembly(A64AssemblyError)
        case program(String, GuestProgramError)
        case load(String, GuestLoadError)

        public var description: String {
            switch self {
            case .assembly(let error): "the guest runtime does not assemble: \(error)"
            case .program(let name, let error): "\(name): \(error)"
            case .load(let name, let error): "\(name): \(error)"
            }
        }
    }

    /// Every boot, cases first, then the differential sequences.
    public static func runs(budget: ScenarioBudget = .full) throws(BuildError) -> [Run] {
        let image: GuestRuntime.Image
        do throws(A64AssemblyError) { image = try GuestRuntime.image(transport: .virtUART) } catch { throw .assembly(error) }
        func run(_ name: String, _ build: () throws(GuestProgramError) -> GuestPrograms) throws(BuildError) -> Run {
            let programs: GuestPrograms
            do throws(GuestProgramError) { programs = try build() } catch { throw .program(name, error) }
            do throws(GuestLoadError) {
                let load = try GuestLoad(image: image, programs: [programs], frames: .init(distributor: 0, redistributors: [0]))
                return Run(name: name, elf: load.elfImage)
            } catch {
                throw .load(name, error)
            }
        }
        var runs: [Run] = []
        for guestCase in cases { runs.append(try run(guestCase.name, guestCase.build)) }
        for seed in seeds(budget) {
            runs.append(try run(differentialPrefix + hex(seed)) { () throws(GuestProgramError) in try GICv5Differential.programs(seed: seed) })
        }
        return runs
    }

    /// The model's prediction of run `name`, with `mutations`.
    static func prediction(_ name: String, mutations: GICv5Mutation = []) -> GuestOutcome? {
        let programs: GuestPrograms
        do throws(GuestProgramError) {
            if let guestCase = cases.first(where: { $0.name == name }) {
                programs = try guestCase.build()
            } else if name.hasPrefix(differentialPrefix), let seed = UInt64(name.dropFirst(differentialPrefix.count).dropFirst(2), radix: 16) {
                programs = try GICv5Differential.programs(seed: seed)
            } else {
                return nil
            }
        } catch {
            return nil
        }
        var machine = GICv5ModelMachine(programs, implementation: .qemu11, mutations: mutations)
        return machine.run()
    }

    /// The verdicts on a lab's results (every run of `runs(budget:)`, in any order).
    public static func records(_ results: [RunResult]) -> [Record] {
        var outcomes: [String: GuestOutcome] = [:]
        for result in results {
            outcomes[result.name] = GuestOutcome(uartLines: result.lines, exitedNormally: result.exitedNormally)
        }
        var records: [Record] = []
        for guestCase in cases {
            guard let qemu = outcomes[guestCase.name] else {
                records.append(Record(name: guestCase.name, outcome: .fail("not run"), figures: []))
                continue
            }
            guard let model = prediction(guestCase.name) else {
                records.append(Record(name: guestCase.name, outcome: .fail("the case does not build"), figures: []))
                continue
            }
            records.append(Record(
                name: guestCase.name, outcome: guestCase.verdict(qemu: qemu, model: model),
                figures: [Figure(name: "trace_events", value: Int64(qemu.trace.events.count), unit: "events")]))
        }
        records.append(differentialRecord(outcomes))
        records.append(mutantsRecord(outcomes))
        return records
    }

    static func differentialRecord(_ outcomes: [String: GuestOutcome]) -> Record {
        let runs = outcomes.keys.filter { $0.hasPrefix(differentialPrefix) }.sorted()
        var failures: [String] = []
        var events = 0
        for name in runs {
            guard let qemu = outcomes[name], let model = prediction(name) else { continue }
            events += qemu.trace.events.count
            if qemu.end != .completed { failures.append("\(name): \(qemu.end)") }
            let differences = qemu.differences(from: model)
            if !differences.isEmpty { failures.append("\(name): " + differences.joined(separator: "; ")) }
        }
        let figures = [
            Figure(name: "sequences", value: Int64(runs.count), unit: "sequences"),
            Figure(name: "operations", value: Int64(runs.count * GICv5Differential.operations), unit: "operations"),
            Figure(name: "observations", value: Int64(events), unit: "events"),
            Figure(name: "differences", value: Int64(failures.count), unit: "sequences"),
        ]
        guard runs.count > 0 else { return Record(name: differentialName, outcome: .fail("no sequence ran"), figures: figures) }
        guard failures.isEmpty else {
            return Record(name: differentialName, outcome: .fail("\(failures.count) of \(runs.count) sequences differ: "
                + failures.prefix(3).joined(separator: " | ")), figures: figures)
        }
        return Record(name: differentialName, outcome: .pass(
            "\(runs.count) sequences × \(GICv5Differential.operations) CD* operations, \(events) observations: QEMU and the model agree"),
            figures: figures)
    }

    static func mutantsRecord(_ outcomes: [String: GuestOutcome]) -> Record {
        var missed: [String] = []
        var caughtBy: [String] = []
        for (mutation, label) in GICv5Mutation.each {
            let catcher = outcomes.keys.sorted().first { name in
                guard let qemu = outcomes[name], let model = prediction(name, mutations: mutation) else { return false }
                return !qemu.differences(from: model).isEmpty
            }
            if let catcher { caughtBy.append("\(label) by \(catcher)") } else { missed.append(label) }
        }
        guard missed.isEmpty else {
            return Record(name: mutantsName, outcome: .fail("not caught: " + missed.joined(separator: ", ")), figures: [])
        }
        return Record(name: mutantsName, outcome: .pass("every wrong model mispredicts QEMU: " + caughtBy.joined(separator: "; ")),
                      figures: [Figure(name: "mutants", value: Int64(GICv5Mutation.each.count), unit: "models")])
    }
}
