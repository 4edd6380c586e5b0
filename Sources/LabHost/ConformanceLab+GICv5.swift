import Conformance
import Foundation

/// The GICv5 guest lab step: QEMU 11's TCG GICv5 (`-M virt,gic-version=x-5`), no kernel. It
/// fetches QEMU (`fetch-qemu.sh`: a trixie root with trixie-backports' qemu-system-arm under the
/// cache), writes one ELF per `GICv5GuestLab.Run`, boots them all with `boot-gicv5.sh`, and turns
/// the serial output into `GICv5GuestLab.records`, reported as the pseudo-kernel "gicv5".
extension ConformanceLab {
    /// The report label of the GICv5 lab.
    public static let gicv5Label = KernelKind.gicv5.rawValue

    func runGICv5(options: LabOptions) -> KernelResult {
        let label = Self.gicv5Label
        func failed(_ detail: String, _ signal: Int32? = nil) -> KernelResult {
            let record = signal.map { Self.interruptedRecord($0, during: "the GICv5 lab", ended: "QEMU was ended") }
                ?? ScenarioRecord(name: "lab.gicv5", status: .fail, detail: detail)
            return KernelResult(label: label, release: "gicv5 (QEMU 11)", mode: .qemu, bootToVerdictMilliseconds: nil, scenarios: [record])
        }
        console("== gicv5 (QEMU 11): fetch")
        let qemu: String
        do {
            qemu = try stepForPath("fetch-qemu.sh", [])
        } catch .interrupted(let signal) {
            return failed("", signal)
        } catch {
            return failed("fetching QEMU 11: \(error)")
        }
        let version = (try? String(contentsOfFile: qemu + ".version", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "qemu-system-arm"
        let runs: [GICv5GuestLab.Run]
        do {
            runs = try GICv5GuestLab.runs()
        } catch {
            return failed("building the guest programs: \(error)")
        }
        let directory = workDirectory.appendingPathComponent("gicv5")
        do {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for run in runs {
                try Data(run.elf).write(to: directory.appendingPathComponent(run.name + ".elf"))
            }
        } catch {
            return failed("writing the guest images: \(error)")
        }
        console("== gicv5 (QEMU 11): \(runs.count) bare-metal boots (\(version))")

        let clock = ContinuousClock()
        let start = clock.now
        var results: [GICv5GuestLab.RunResult] = []
        var current: String?
        var lines: [String] = []
        let status: Int32
        do {
            status = try script("boot-gicv5.sh", [qemu, directory.path, "20"]).run { line in
                if line.hasPrefix("@@RUN ") {
                    current = String(line.dropFirst(6))
                    lines = []
                } else if line.hasPrefix("@@STATUS "), let name = current {
                    let code = Int32(line.dropFirst(9)) ?? -1
                    results.append(GICv5GuestLab.RunResult(name: name, lines: lines, exitedNormally: code == 0))
                    current = nil
                } else {
                    lines.append(line)
                }
            }
        } catch .interrupted(let signal) {
            return failed("", signal)
        } catch {
            return failed("booting: \(error)")
        }
        let elapsed = milliseconds(clock.now - start)
        var scenarios: [ScenarioRecord] = []
        for record in GICv5GuestLab.records(results) {
            let scenario = ScenarioRecord(
                name: record.name, status: ScenarioStatus(rawValue: record.outcome.status) ?? .fail,
                detail: record.outcome.detail, figures: record.figures)
            guard options.keeps(scenario) else { continue }
            stream(.scenario(name: scenario.name, status: scenario.status, detail: scenario.detail), label: label)
            scenarios.append(scenario)
        }
        if status != 0 {
            scenarios.append(ScenarioRecord(name: "lab.gicv5", status: .fail, detail: "boot-gicv5.sh exited with \(status)"))
        }
        return KernelResult(
            label: label, release: "gicv5 (QEMU 11: \(version))", mode: .qemu, bootToVerdictMilliseconds: elapsed,
            scenarios: scenarios)
    }
}
