@testable import Conformance
import GICv5Model
import GICVocabulary
import GuestHarness
import Testing

/// The GICv5 guest lab without QEMU: its catalog, the model's prediction of every case (it must
/// log exactly what the case expects: the model predicts QEMU 11, deviations included), the
/// differential's sequences, the mutants, and the verdicts on UART output.
@Suite("GICv5 guest lab (QEMU 11) on the model")
struct GICv5GuestLabTests {
    static let names = GICv5GuestLab.cases.map(\.name)

    @Test("at least 30 cases, each named gicv5_guest.<family>.<case>, none twice, plus the differential and its mutants")
    func catalog() {
        #expect(Self.names.count >= 30)
        #expect(Set(Self.names).count == Self.names.count)
        for name in GICv5GuestLab.scenarioNames { #expect(name.hasPrefix("gicv5_guest."), "\(name)") }
        #expect(GICv5GuestLab.scenarioNames.contains("gicv5_guest.differential.cd_sequences"))
        #expect(GICv5GuestLab.scenarioNames.contains("gicv5_guest.differential.mutants"))
    }

    @Test("the model logs what each case expects, and completes", arguments: names)
    func modelPredictsTheCase(name: String) throws {
        let guestCase = try #require(GICv5GuestLab.cases.first { $0.name == name })
        let model = try #require(GICv5GuestLab.prediction(name))
        #expect(model.end == .completed)
        #expect(model.trace.values(of: 0) == guestCase.expected)
        // The model's own trace as QEMU's: the verdict passes.
        #expect(guestCase.verdict(qemu: model, model: model).status == "pass")
    }

    @Test("a case whose QEMU log differs from the model fails, naming the difference")
    func verdictCanFail() throws {
        let guestCase = try #require(GICv5GuestLab.cases.first { $0.name == "gicv5_guest.spi.cdaff_irm_res0" })
        let model = try #require(GICv5GuestLab.prediction(guestCase.name))
        let lines = ["@@GL 0000000f00000002 000000000000200a", "@@GE 0000000000000000", "@@GD 0000000000000000"]
        let qemu = GuestOutcome(uartLines: lines, exitedNormally: true)
        let verdict = guestCase.verdict(qemu: qemu, model: model)
        #expect(verdict.status == "fail")
        #expect(verdict.detail.contains("QEMU and the model differ"))
    }

    @Test("UART output parses into the trace the model gives; a killed QEMU is a hang, a silent exit a broken run")
    func uartOutcome() {
        let lines = ["qemu noise", "@@GL 0000000300000001 0000000160000006", "@@GE 0000000000000000", "@@GD 0000000000000007"]
        let outcome = GuestOutcome(uartLines: lines, exitedNormally: true)
        #expect(outcome.end == .completed)
        #expect(outcome.trace.events == [
            .logged(vcpu: 0, GuestLogEntry(tag: .acknowledged, value: 0x1_6000_0006, depth: 0, program: .main, step: 3)),
            .finished(vcpu: 0, accumulator: 7),
        ])
        #expect(GuestOutcome(uartLines: [], exitedNormally: false).end == .hung(vcpu: 0, "QEMU timed out"))
        guard case .broken = GuestOutcome(uartLines: [], exitedNormally: true).end else {
            Issue.record("a QEMU that exits without a done report must be a broken run")
            return
        }
    }

    @Test("differential sequences replay from their seed and fit the log")
    func differential() throws {
        let first = try GICv5Differential.programs(seed: GICv5Differential.firstSeed)
        #expect(first == (try GICv5Differential.programs(seed: GICv5Differential.firstSeed)))
        #expect(first != (try GICv5Differential.programs(seed: GICv5Differential.firstSeed + 1)))
        var machine = GICv5ModelMachine(first)
        let outcome = machine.run()
        #expect(outcome.end == .completed)
        #expect(outcome.trace.values(of: 0).count >= GICv5Differential.operations)
        #expect(outcome.trace.values(of: 0).count < GuestLayout.logStride / 16)
    }

    @Test("each mutant mispredicts the correct model on some case or sequence, so the comparison can fail")
    func mutantsAreVisible() throws {
        let runs = GICv5GuestLab.cases.map(\.name) + (0..<10).map { GICv5GuestLab.differentialPrefix + hex(GICv5Differential.firstSeed + $0) }
        for (mutation, label) in GICv5Mutation.each {
            let caught = runs.contains { name in
                guard let right = GICv5GuestLab.prediction(name), let wrong = GICv5GuestLab.prediction(name, mutations: mutation) else { return false }
                return !right.differences(from: wrong).isEmpty
            }
            #expect(caught, "\(label)")
        }
    }

    @Test("the guest's GICv5 registers and instructions have the model's names and encodings")
    func encodingsAgree() {
        for register in GuestSysReg.allCases where register.isGICv5 {
            let row = GICv5SysReg.lookup(register.encoding)
            #expect(row.map { "\($0.name)" } == register.description, "\(register)")
        }
        for instruction in GuestGICv5Instruction.allCases {
            let model = GICv5Instruction(crm: instruction.encoding.crm, op2: instruction.encoding.op2)
            #expect(model.map { "\($0.name)" } == instruction.description, "\(instruction)")
        }
    }

    @Test("every run of the lab is an ELF with the runtime's entry")
    func runs() throws {
        let runs = try GICv5GuestLab.runs(budget: .smoke)
        #expect(runs.count == GICv5GuestLab.cases.count + 1)
        for run in runs { #expect(Array(run.elf.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46]) }
    }
}
