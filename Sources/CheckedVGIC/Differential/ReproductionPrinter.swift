import GICModel
import GICVocabulary

/// Prints a disagreement as a swift-testing case that replays it against the model alone and
/// asserts what the kernel answered: paste it into `Tests/GICModelTests`, watch it fail, fix the
/// model (or `KernelBehaviour`) until it passes.
public enum ReproductionPrinter {
    /// The test as source lines. Every line is a complete statement (no `//` comments), so the
    /// lines joined with spaces are still valid Swift, which is what a one-line scenario detail
    /// carries.
    public static func swiftTest(
        seed: UInt64, configuration: GICv3ModelConfiguration,
        script: [(operation: GICv3Operation, kernel: AccessOutcome)], mismatch: Mismatch
    ) -> [String] {
        let seedText = String(seed, radix: 16, uppercase: true)
        let subject: String
        switch mismatch.subject {
        case .operation: subject = mismatch.differences.first?.register ?? "operation"
        case .location(let location): subject = location.registerName
        }
        var lines: [String] = []
        lines.append("@Test(\"differential seed 0x" + seedText + ": " + subject + " after \(script.count) operations ("
            + configuration.kernel.description + ")\")")
        lines.append("func differentialSeed" + seedText + identifier(subject) + "() {")
        lines.append("    var model = GICv3Model(configuration: " + source(configuration) + ")")
        lines.append("    let script: [(GICv3Operation, AccessOutcome)] = [")
        for (operation, kernel) in script {
            lines.append("        (" + operation.swiftSource + ", " + kernel.swiftSource + "),")
        }
        lines.append("    ]")
        switch mismatch.subject {
        case .operation:
            lines.append("    for (operation, kernel) in script { #expect(model.outcome(of: operation) == kernel, \"\\(operation)\") }")
        case .location(let location):
            lines.append("    for (operation, kernel) in script { #expect(model.outcome(of: operation) == kernel, \"\\(operation)\") }")
            lines.append("    #expect(model.read(" + location.swiftSource + ") == " + mismatch.actual.swiftSource + ")")
        }
        lines.append("}")
        return lines
    }

    /// `subject` reduced to the characters an identifier may hold ("GICD_TYPER2 write" →
    /// "GICD_TYPER2write"), so tests from one seed get distinct names.
    static func identifier(_ subject: String) -> String {
        var out: [UInt8] = []
        for byte in subject.utf8 where (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 {
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `GICv3ModelConfiguration(...)` with every field that matters spelled out.
    static func source(_ configuration: GICv3ModelConfiguration) -> String {
        var affinities = ""
        for (i, affinity) in configuration.vcpuAffinities.enumerated() {
            affinities += (i == 0 ? "" : ", ") + affinity.swiftSource
        }
        let host = configuration.host
        var text = "GICv3ModelConfiguration(interruptCount: \(configuration.interruptCount), vcpuAffinities: ["
            + affinities + "], hasITS: \(configuration.hasITS), kernel: " + kernelSource(configuration.kernel)
            + ", host: HostCPUInterface(priorityBits: \(host.priorityBits), idBits: \(host.idBits), seis: \(host.seis), a3v: \(host.a3v)"
        if host.preemptionBits != host.priorityBits { text += ", preemptionBits: \(host.preemptionBits)" }
        text += ")"
        if case .regions(let regions) = configuration.redistributors {
            text += ", redistributors: .regions(["
            for (i, region) in regions.enumerated() {
                text += (i == 0 ? "" : ", ") + ".init(base: " + hex(region.base) + ", count: \(region.count))"
            }
            text += "])"
        }
        return text + ")"
    }

    static func kernelSource(_ kernel: KernelBehaviour) -> String {
        switch kernel {
        case .debian6_12: ".debian6_12"
        case .linux7: ".linux7"
        }
    }
}
