@testable import Conformance
import GICModel
import KVM
import KVMSimulation
import Testing

/// Every conformance scenario against a fresh simulated kernel of each line, on the host the lab
/// boots (`.qemuMax`: vgic-v3 and its ITS, no vgic-v2, no vgic-v5): the same scenario code the
/// lab runs against Debian's real 6.12 and 7.x, at the smoke budget.
///
/// The lab is green on both real kernels, so a scenario's expectations are the kernel's; a
/// scenario that fails here is a place where the simulated kernel (the reference models behind
/// it) disagrees with a real one. Each scenario passes, or skips for exactly the reason listed in
/// `expectedSkip`: what it needs that the simulated kernel lacks, or what the lab's host lacks
/// too (the lab skips those as well).
@Suite("Every conformance scenario on the simulated kernel")
struct SimulatedScenarioTests {
    static let scenarios = ScenarioCatalog.all
    static let names = scenarios.map(\.name)

    @Test("passes, or skips for the reason the simulated host gives", arguments: KernelBehaviour.allCases, names)
    func scenario(line: KernelBehaviour, name: String) throws {
        let scenario = try #require(Self.scenarios.first { $0.name == name })
        let kernel = SimulatedKernel(host: .qemuMax, kernel: line)
        var context = ScenarioContext(kernelRelease: kernel.release, kernel: .simulated(kernel), budget: .smoke)
        let outcome = scenario.body(&context)
        if let reason = Self.expectedSkip(scenario) {
            #expect(outcome == .skip(reason))
        } else {
            #expect(outcome.status == "pass", "\(outcome.detail)")
        }
    }

    /// Why `scenario` cannot run on the simulated `.qemuMax` host, or nil when it must pass.
    static func expectedSkip(_ scenario: Scenario) -> String? {
        if let requirement = scenario.requirements.first { return requirement.reasonWhenSimulated }
        if scenario.name == "vgic_init.v2_after_v3" { return "host cannot emulate GICv2" }
        if scenario.name.hasPrefix("vgic_v5."), scenario.name != "vgic_v5.unsupported_typed_error" {
            return VGICv5Lab.noGICv5
        }
        return nil
    }

    /// The scenarios that depend on the kernel line find the simulated one: nASSGIcap by how
    /// the kernel behaves (TYPER2 before CTRL_INIT), the differential model by the release.
    @Test("kernel-line detection sees the line the simulated kernel simulates", arguments: KernelBehaviour.allCases)
    func lineDetection(line: KernelBehaviour) throws {
        func detail(_ name: String) throws -> String {
            let scenario = try #require(Self.scenarios.first { $0.name == name })
            let kernel = SimulatedKernel(host: .qemuMax, kernel: line)
            var context = ScenarioContext(kernelRelease: kernel.release, kernel: .simulated(kernel), budget: .smoke)
            return scenario.body(&context).detail
        }
        let rule = line == .debian6_12 ? "kernel without selectable nASSGIcap" : "kernel with selectable nASSGIcap"
        #expect(try detail("vgic_init.v3.nassgicap").hasPrefix(rule))
        #expect(try detail("differential.v3.reset_state").hasSuffix("model \(line)"))
    }

    /// The `vgic_v5.*` family on a simulated GICv5 host running Linux 7.1, the one place it runs
    /// today: no machine the lab can emulate has a GICv5. Its expectations come from the 7.1
    /// sources (Conformance.docc/KernelSelftests.md), not from a kernel run, so a failure here is
    /// a disagreement between the scenario and the GICv5 model, to be settled on GICv5 hardware.
    @Test("the vgic_v5 scenarios on a simulated GICv5 host", arguments: ScenarioCatalog.vgicV5.map(\.name))
    func gicv5Host(name: String) throws {
        let scenario = try #require(ScenarioCatalog.vgicV5.first { $0.name == name })
        let kernel = SimulatedKernel(host: .gicv5Linux7_1, kernel: .linux7)
        var context = ScenarioContext(kernelRelease: kernel.release, kernel: .simulated(kernel), budget: .smoke)
        let outcome = scenario.body(&context)
        if name == "vgic_v5.unsupported_typed_error" {
            #expect(outcome == .skip("host offers GICv5: creation is not refused here"))
        } else {
            #expect(outcome.status == "pass", "\(outcome.detail)")
        }
    }

    @Test("ConformanceRun runs against the kernel and at the budget it is given")
    func run() {
        let kernel = SimulatedKernel(kernel: .debian6_12)
        var lines: [String] = []
        let totals = ConformanceRun.run(
            ScenarioCatalog.all, kernelRelease: kernel.release, kernel: .simulated(kernel), budget: .smoke,
            filter: "reliability.create_destroy", emit: { lines.append($0) })
        #expect(totals == Totals(passed: 1))
        #expect(lines.first == "@@BEGIN\t6.12.0-simulated\t1")
        #expect(lines.contains("@@FIGURE\treliability.create_destroy_cycles\tcycles\t10\tcycles"))
        #expect(!kernel.calls.isEmpty, "the scenario talked to the simulated kernel")
        let skipped = ConformanceRun.run(
            ScenarioCatalog.all, kernelRelease: kernel.release, kernel: .simulated(kernel), filter: "vcpu_run.", emit: { _ in })
        #expect(skipped == Totals(skipped: 2))
    }

    @Test("a scenario needing guest execution skips before its body runs, with the reason")
    func requirementGate() {
        let kernel = SimulatedKernel()
        var context = ScenarioContext(kernelRelease: kernel.release, kernel: .simulated(kernel))
        let scenario = Scenario("gate", requires: [.guestExecution]) { _ in .fail("the body ran") }
        #expect(scenario.body(&context) == .skip("guest execution: the simulated kernel does not run guests"))
        #expect(kernel.calls.isEmpty)
    }

    @Test("the live kernel offers every requirement; a simulated one none")
    func offers() {
        let live = ScenarioContext(kernelRelease: "7.3.4")
        let simulated = ScenarioContext(kernelRelease: "7.0.0-simulated", kernel: .simulated(SimulatedKernel()))
        for requirement: KernelRequirement in [.guestExecution, .kernelDescriptors] {
            #expect(live.offers(requirement))
            #expect(!simulated.offers(requirement))
        }
        #expect(live.missing([.guestExecution, .kernelDescriptors]) == nil)
    }

    @Test("the simulated kernel's release names its line", arguments: KernelBehaviour.allCases)
    func release(line: KernelBehaviour) {
        #expect(KernelBehaviour(release: SimulatedKernel(kernel: line).release) == line)
    }
}
