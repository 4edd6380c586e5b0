import GICModel
import GICVocabulary
import KVM

/// One ITS sequence on the kernel and on the model side by side (Conformance.docc/ITSLab.md):
/// both start from the same seed-drawn state, take the same operations, and must show the same
/// thing after each — the command queue's registers, each MSI's answer, the LPI enables, and at
/// every table save the whole tables mebibyte of guest RAM, byte for byte.
enum ITSDifferential {
    /// Where a sequence first differed.
    struct Mismatch: CustomStringConvertible {
        let step: Int
        let operation: ITSOperation
        let kernel: ITSObservation
        let model: ITSObservation

        var description: String {
            "step \(step) (\(operation)): kernel \(ITSDifferential.describe(kernel, against: model)), model \(ITSDifferential.describe(model, against: kernel))"
        }
    }

    /// What a sequence came to.
    struct Result {
        let operations: [ITSOperation]
        let mismatch: Mismatch?
        /// How many commands the model said failed, by outcome (for the figures).
        let commandOutcomes: [String: Int]
    }

    /// Runs sequence `seed` of `length` operations on `kvm` and on the model of `kernel`.
    static func run(
        seed: UInt64, length: Int, vcpus: Int = 4, kvm: borrowing KVM, kernel: KernelBehaviour, mutations: ITSMutation = []
    ) throws(ScenarioFailure) -> Result {
        var generator = ITSOperationGenerator(seed: seed, vcpuCount: vcpus)
        let start = generator.start()
        let operations = generator.sequence(length)
        var kernelSide = try ITSKernelSide.create(on: kvm, start)
        var modelSide = ITSModelSide(start, kernel: kernel, mutations: mutations)
        var outcomes: [String: Int] = [:]
        for (step, operation) in operations.enumerated() {
            if case .command(let command) = operation {
                var its = modelSide.delivery.its!
                var gic = modelSide.delivery.gic
                var memory = modelSide.memory
                var joins: [APListJoin] = []
                let error = its.enabled ? its.execute(command, gic: &gic, memory: &memory, joins: &joins) : nil
                outcomes[error.map { "\($0)" } ?? "ok", default: 0] += 1
            }
            let observed = kernelSide.perform(operation)
            let predicted = modelSide.perform(operation)
            if observed != predicted {
                return Result(
                    operations: operations, mismatch: Mismatch(step: step, operation: operation, kernel: observed, model: predicted),
                    commandOutcomes: outcomes)
            }
        }
        return Result(operations: operations, mismatch: nil, commandOutcomes: outcomes)
    }

    /// An observation, with a table comparison narrowed to the first differing entry.
    static func describe(_ observation: ITSObservation, against other: ITSObservation) -> String {
        guard case .tables(let before, let save, let pending, let bytes) = observation,
            case .tables(let otherBefore, _, _, let others) = other
        else { return "\(observation)" }
        if let place = firstDifference(before, otherBefore) { return "before the save: " + place }
        let saves = "SAVE_TABLES \(save), SAVE_PENDING_TABLES \(pending)"
        guard let place = firstDifference(bytes, others) else { return saves }
        return saves + ", after it: " + place
    }

    /// The first 8-byte entry where `bytes` differs from `others`, named and with its value.
    static func firstDifference(_ bytes: [UInt8], _ others: [UInt8]) -> String? {
        guard bytes.count == others.count, let first = bytes.indices.first(where: { bytes[$0] != others[$0] }) else {
            return bytes.count == others.count ? nil : "\(bytes.count) bytes"
        }
        let offset = UInt64(first & ~7)
        var word: UInt64 = 0
        for index in 0..<8 where Int(offset) + index < bytes.count { word |= UInt64(bytes[Int(offset) + index]) << UInt64(8 * index) }
        return "at \(region(ITSLabLayout.tables + offset)) \(hex(word))"
    }

    /// Which table `address` is in, and the entry.
    static func region(_ address: UInt64) -> String {
        let entry = { (base: UInt64) in (address - base) / 8 }
        if address >= ITSLabLayout.deviceTable { return "DTE \(entry(ITSLabLayout.deviceTable))" }
        if address >= ITSLabLayout.itt(0) && address < ITSLabLayout.itt(0) + 64 * 0x100 {
            let slot = (address - ITSLabLayout.itt(0)) / 0x100
            return "ITT slot \(slot) ITE \((address - ITSLabLayout.itt(0)) % 0x100 / 8)"
        }
        if address >= ITSLabLayout.commandQueue && address < ITSLabLayout.commandQueue + 0x1_0000 { return "command queue +\(hex(address - ITSLabLayout.commandQueue))" }
        if address >= ITSLabLayout.collectionTable { return "CTE \(entry(ITSLabLayout.collectionTable))" }
        if address >= ITSLabLayout.pendingTable(0) {
            let vcpu = (address - ITSLabLayout.pendingTable(0)) / 0x1_0000
            let byte = (address - ITSLabLayout.pendingTable(0)) % 0x1_0000
            return "vCPU \(vcpu)'s pending table, LPIs \(byte * 8)…\(byte * 8 + 63)"
        }
        return "property table +\(hex(address - ITSLabLayout.propertyTable))"
    }
}
