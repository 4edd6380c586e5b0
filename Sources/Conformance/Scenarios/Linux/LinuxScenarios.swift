import CKVM
import KVM
import MinimalVMM

/// A real Linux guest on the library's GIC, booted by the minimal VMM (Conformance.docc/LinuxGuest.md).
extension ScenarioCatalog {
    public static var linux: [Scenario] {
        [
            Scenario("linux.boot.v3", requires: [.guestExecution]) { context in LinuxScenarios.boot(&context, its: false) },
        ]
    }
}

enum LinuxScenarios {
    static func boot(_ context: inout ScenarioContext, its: Bool) -> Outcome {
        var machine: LinuxMachine
        do throws(ScenarioFailure) {
            machine = try LinuxGuest.boot(context, LinuxMachineConfiguration(its: its))
        } catch {
            return error.outcome()
        }
        let initMs: Int64
        do throws(ScenarioFailure) {
            initMs = try LinuxGuest.waitForInit(&machine)
        } catch {
            return error.outcome()
        }
        context.record("boot_to_init", initMs, unit: "ms")
        guard let report = machine.stream.lastReport(with: "READY") else { return .fail("no READY report") }
        var text = ""
        for line in report.lines { text += line.tag + " " + line.text + " | " }
        return .pass("init after \(initMs) ms: " + text)
    }
}
