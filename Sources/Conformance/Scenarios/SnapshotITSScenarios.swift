import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// A vgic with an ITS through a snapshot and guest RAM (GICSnapshot.docc/RestoreRules.md "The
/// ITS", Conformance.docc/ITSLab.md):
///
/// * `snapshot.its.round_trip_random`: 50 seeded ITS states (the differential's operations: devices,
///   translations, collections, pending LPIs, a queue that wrapped) captured, encoded, the RAM
///   copied into a fresh VM, restored, captured again: the same snapshot and the same tables in
///   RAM; then 120 MSIs answer the same on both machines, and both save the same again. The ITS
///   model decodes each table the kernel saved and writes it back byte for byte.
/// * `snapshot.its.memory_not_declared`: restore refuses before any write until the VMM declares
///   the tables' RAM restored.
/// * `snapshot.its.corrupt_tables`: a collection that targets a vCPU the VM lacks is the model's
///   typed error before any write; the kernel, asked anyway, refuses the same table (EINVAL).
/// * `snapshot.its.figures_64x32`: capture and restore times of 64 devices × 32 events.
extension ScenarioCatalog {
    public static var snapshotITS: [Scenario] {
        [
            Scenario("snapshot.its.round_trip_random") { context in SnapshotITSScenarios.roundTrips(&context) },
            Scenario("snapshot.its.memory_not_declared") { context in SnapshotITSScenarios.memoryNotDeclared(context) },
            Scenario("snapshot.its.corrupt_tables") { context in SnapshotITSScenarios.corruptTables(context) },
            Scenario("snapshot.its.figures_64x32") { context in SnapshotITSScenarios.figures(&context) },
        ]
    }
}

enum SnapshotITSScenarios {
    static let stateCount = 50
    static let firstSeed: UInt64 = 0x175E_5000
    static let operations = 100
    static let vcpuCount = 4
    /// GITS_BASER0 with one page: the device table inside the RAM the scenarios migrate.
    static let deviceTableBase = ITSRegister.validBit | ITSLabLayout.deviceTable
    static let wholeRAM = RestoredGuestMemory([ITSLabLayout.ram..<(ITSLabLayout.ram + ITSLabLayout.ramBytes)])
    /// The ITS tables' part of RAM (collection table, command queue, ITTs, device table), as offsets.
    static let itsTables = Int(ITSLabLayout.collectionTable - ITSLabLayout.ram)..<GuestLayout.ramBytes

    static func roundTrips(_ context: inout ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        let kernel = DifferentialLab.kernel(context)
        let count = context.budget.count(stateCount)
        var lpis = 0
        var refused: [String] = []
        var identical = 0
        for offset in 0..<UInt64(count) {
            let seed = firstSeed + offset
            do throws(ScenarioFailure) {
                switch try roundTrip(kvm, seed: seed, kernel: kernel) {
                case .restored(let translations, let exact):
                    lpis += translations
                    if exact { identical += 1 }
                case .refused(let errno): refused.append("\(hex(seed)) \(errno)")
                }
            } catch {
                return .fail("seed \(hex(seed)): \(error.text)")
            }
        }
        context.record("states", Int64(count), unit: "count")
        context.record("translations", Int64(lpis), unit: "count")
        context.record("refused_states", Int64(refused.count), unit: "count")
        context.record("identical_resaves", Int64(identical), unit: "count")
        return .pass(
            "\(count) random ITS states (seeds \(hex(firstSeed))...\(hex(firstSeed + UInt64(count) - 1)), \(lpis) translations): "
                + "capture == capture after restore, the restored ITS saves what the model's decode-and-resave predicts "
                + "(\(identical) byte for byte the source's tables), 120 MSIs alike, pending tables alike; "
                + "\(refused.count) states whose saved tables the model refuses, and the kernel refuses alike"
                + (refused.isEmpty ? "" : " (" + refused.joined(separator: ", ") + ")"))
    }

    /// The RAM of `side`, whole.
    static func ram(_ side: borrowing ITSKernelSide) throws(ScenarioFailure) -> [UInt8] {
        guard let bytes = side.memory.bytes(at: 0, count: GuestLayout.ramBytes) else { throw .fail("reading guest RAM") }
        return bytes
    }

    /// `bytes` as the model's guest RAM.
    static func sparse(_ bytes: [UInt8]) -> SparseGuestMemory {
        var memory = SparseGuestMemory(regions: [ITSLabLayout.ram..<(ITSLabLayout.ram + ITSLabLayout.ramBytes)])
        _ = memory.write(bytes, at: ITSLabLayout.ram)
        return memory
    }

    /// What became of one state.
    enum RoundTrip {
        /// Restored and equal, with this many valid ITEs saved; `exact` when the model's re-save of
        /// the saved tables is byte for byte the kernel's (6.12 differs where a translation lost
        /// its collection: `KernelBehaviour.itsNextEventSkipsUncollected`).
        case restored(Int, exact: Bool)
        /// The saved tables cannot be restored (a device whose ITT the guest placed outside RAM:
        /// `ITS_SAVE_TABLES` writes no ITE for it, `ITS_RESTORE_TABLES` reads its ITT and fails),
        /// and the model and the kernel refuse them with this errno alike.
        case refused(KernelErrno)
    }

    /// A source in a seeded state, captured, restored into a fresh VM, compared.
    static func roundTrip(_ kvm: borrowing KVM, seed: UInt64, kernel: KernelBehaviour) throws(ScenarioFailure) -> RoundTrip {
        var generator = ITSOperationGenerator(seed: seed, vcpuCount: vcpuCount)
        var start = generator.start()
        start.deviceTableBase = deviceTableBase
        var source = try ITSKernelSide.create(on: kvm, start)
        // What a driver maps first (collections on every vCPU, six devices with 32 events), so
        // the random MAPTIs that follow meet mapped devices and collections.
        var preamble: [ITSCommand] = (0..<UInt16(vcpuCount)).map { .mapc(collection: $0, target: UInt32($0), valid: true) }
        for device in UInt32(0)..<6 { preamble.append(.mapd(device: device, itt: ITSLabLayout.itt(device), eventIDBits: 5, valid: true)) }
        for command in preamble { _ = source.perform(.command(command)) }
        for operation in generator.sequence(operations) where operation != .save { _ = source.perform(operation) }
        var tally = AccessTally()
        let first = try SnapshotLab.capture(source.gic, &source.vcpus, tally: &tally)
        let ram = try ram(source)
        let decoded: GICSnapshot
        let encoding = try SnapshotLab.encode(first)
        do throws(SnapshotDecodingError) {
            decoded = try GICSnapshot(decoding: encoding)
        } catch {
            throw .fail("decoding its own encoding: \(error)")
        }
        guard decoded == first else { throw .fail("decode(encode(snapshot)) differs") }
        var scratch = sparse(ram)
        if let problem = first.loadITSModel(kernel: kernel, memory: &scratch)?.problem {
            var unchecked = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
            guard unchecked.memory.write(ram, at: 0) else { throw .fail("writing the target's RAM") }
            var restoreTally = AccessTally()
            let answer = SnapshotLab.restore(decoded, into: unchecked.gic, &unchecked.vcpus, tally: &restoreTally, restoredMemory: wholeRAM)
            guard case .itsWriting(.restoreTables, let error)? = answer, error.errno?.rawValue == problem.errno.rawValue else {
                throw .fail("the model refuses the saved tables (\(problem)); the kernel's restore: \(answer.map { $0.description } ?? "success")")
            }
            return .refused(problem.errno)
        }
        let predicted = try modelResave(first, ram: ram, kernel: kernel)

        var target = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
        guard target.memory.write(ram, at: 0) else { throw .fail("writing the target's RAM") }
        do throws(SnapshotError) {
            let tables = sparse(ram)
            try target.vcpus.whileStopped { (stopped) throws(SnapshotError) in
                try target.gic.restoreSnapshot(decoded, stopped, restoredMemory: wholeRAM, tables: tables)
            }
        } catch {
            throw .fail("restore: \(error)")
        }
        let second = try SnapshotLab.capture(target.gic, &target.vcpus, tally: &tally)
        // Every pending LPI the source saved is pending again and saved again.
        let targetRAM = try Self.ram(target)
        if let offset = pendingTables.first(where: { ram[$0] != targetRAM[$0] }) {
            throw .fail("pending tables after the restored save differ at \(ITSDifferential.region(ITSLabLayout.ram + UInt64(offset)))")
        }
        if let difference = SnapshotLab.firstDifference(first, second) { throw .fail("after restore: \(difference)") }
        if let place = firstDifference(predicted, try Self.ram(target)) {
            throw .fail("tables after the restored ITS's save, against the model's re-save of the source's: \(place)")
        }
        for device in UInt32(0)..<6 {
            for event in UInt32(0)..<20 {
                let operation = ITSOperation.signal(device: device, event: event)
                let (before, after) = (source.perform(operation), target.perform(operation))
                guard before == after else { throw .fail("\(operation): source \(before), restored \(after)") }
            }
        }
        let third = try SnapshotLab.capture(source.gic, &source.vcpus, tally: &tally)
        let fourth = try SnapshotLab.capture(target.gic, &target.vcpus, tally: &tally)
        if let difference = SnapshotLab.firstDifference(third, fourth) { throw .fail("after the MSIs: \(difference)") }
        return .restored(validEntries(ram), exact: firstDifference(ram, predicted) == nil)
    }

    /// The model decodes the tables the kernel saved (`GICSnapshot.loadITSModel`) and saves them
    /// again over the same bytes: what a restored ITS's save must leave in RAM.
    static func modelResave(_ snapshot: GICSnapshot, ram: [UInt8], kernel: KernelBehaviour) throws(ScenarioFailure) -> [UInt8] {
        var memory = sparse(ram)
        guard var load = snapshot.loadITSModel(kernel: kernel, memory: &memory) else { throw .fail("no ITS state") }
        if let problem = load.problem { throw .fail("the model refused the kernel's tables: \(problem)") }
        if let errno = load.its.saveTables(into: &memory) { throw .fail("the model's save: \(errno)") }
        guard let resaved = memory.bytes(at: ITSLabLayout.ram, count: GuestLayout.ramBytes) else { throw .fail("reading the model's RAM") }
        return resaved
    }

    /// The vCPUs' pending tables, as offsets.
    static let pendingTables = Int(ITSLabLayout.pendingTable(0) - ITSLabLayout.ram)..<Int(ITSLabLayout.collectionTable - ITSLabLayout.ram)

    /// The first ITS table entry (not the LPI tables) where `a` and `b` differ.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String? {
        guard let offset = itsTables.first(where: { a[$0] != b[$0] }) else { return nil }
        let address = ITSLabLayout.ram + UInt64(offset)
        return "\(ITSDifferential.region(address)): \(hex(a[offset])) then \(hex(b[offset]))"
    }

    /// Valid ITEs in the ITT area.
    static func validEntries(_ ram: [UInt8]) -> Int {
        let start = Int(ITSLabLayout.itt(0) - ITSLabLayout.ram)
        var count = 0
        for entry in 0..<(64 * 32) {
            var word: UInt64 = 0
            for byte in 0..<8 { word |= UInt64(ram[start + entry * 8 + byte]) << UInt64(8 * byte) }
            if ITSTranslationTableEntry(rawValue: word).lpi != 0 { count += 1 }
        }
        return count
    }

    /// A source with two collections and one translation, captured with its RAM.
    static func fixedSource(_ kvm: borrowing KVM) throws(ScenarioFailure) -> (GICSnapshot, [UInt8]) {
        var generator = ITSOperationGenerator(seed: firstSeed, vcpuCount: vcpuCount)
        var start = generator.start()
        start.deviceTableBase = deviceTableBase
        start.lpisEnabled = [Bool](repeating: true, count: vcpuCount)
        var source = try ITSKernelSide.create(on: kvm, start)
        let commands: [ITSCommand] = [
            .mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true),
            .mapd(device: 1, itt: ITSLabLayout.itt(1), eventIDBits: 5, valid: true),
            .mapti(device: 1, event: 0, lpi: 8192, collection: 1),
        ]
        for command in commands { _ = source.perform(.command(command)) }
        var tally = AccessTally()
        let snapshot = try SnapshotLab.capture(source.gic, &source.vcpus, tally: &tally)
        return (snapshot, try ram(source))
    }

    /// What a refused restore must not have changed: GITS_BASER0 at its reset value, every
    /// vCPU's EnableLPIs clear, GICD_CTLR as created.
    static func untouched(_ side: borrowing ITSKernelSide) throws(ScenarioFailure) -> String? {
        do throws(VGICError) {
            let baser = try side.gic.itsRegister(.gitsBASER, index: 0)
            if baser != ITSRegister.gitsBASER.reset[0] { return "GITS_BASER0 \(hex(baser))" }
            for vcpu in side.identities where try side.gic.redistributorRegister(.gicrCTLR, of: vcpu) & 1 != 0 {
                return "EnableLPIs set on \(vcpu)"
            }
            let control = try side.gic.distributorRegister(.gicdCTLR)
            if control & 0x3 != 0 { return "GICD_CTLR \(hex(control))" }
            return nil
        } catch {
            throw .fail("reading the target: \(error)")
        }
    }

    static func memoryNotDeclared(_ context: ScenarioContext) -> Outcome {
        do throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            let (snapshot, ram) = try fixedSource(kvm)
            var target = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
            guard target.memory.write(ram, at: 0) else { throw .fail("writing the target's RAM") }
            var tally = AccessTally()
            let partly = RestoredGuestMemory([
                ITSLabLayout.ram..<ITSLabLayout.pendingTable(3),
                (ITSLabLayout.pendingTable(3) + 0x1_0000)..<(ITSLabLayout.ram + ITSLabLayout.ramBytes),
            ])
            for declared in [RestoredGuestMemory.none, partly] {
                let error = SnapshotLab.restore(snapshot, into: target.gic, &target.vcpus, tally: &tally, restoredMemory: declared)
                guard case .guestMemoryNotRestored(let missing)? = error else { return .fail("restore answered \(error.map { $0.description } ?? "success")") }
                if declared == partly && missing.map({ $0.kind }) != [.pendingTable(target.identities[3].affinity)] {
                    return .fail("with all but vCPU 3's pending table declared, missing: \(missing)")
                }
                if let changed = try untouched(target) { return .fail("a refused restore changed \(changed)") }
            }
            if let error = SnapshotLab.restore(snapshot, into: target.gic, &target.vcpus, tally: &tally, restoredMemory: wholeRAM) {
                return .fail("with the RAM declared: \(error)")
            }
            return .pass("no ranges, or all but one pending table: .guestMemoryNotRestored, target untouched; with the RAM declared: restored")
        } catch {
            return error.outcome()
        }
    }

    static func corruptTables(_ context: ScenarioContext) -> Outcome {
        do throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            let (snapshot, ram) = try fixedSource(kvm)
            var corrupt = ram
            // Collection 1 (the second entry) now targets vCPU 9 of 4.
            let entry = ITSCollectionTableEntry(valid: true, target: 9, collection: 1).rawValue
            let at = Int(ITSLabLayout.collectionTable - ITSLabLayout.ram) + 8
            for byte in 0..<8 { corrupt[at + byte] = UInt8(truncatingIfNeeded: entry >> UInt64(8 * byte)) }
            var checked = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
            guard checked.memory.write(corrupt, at: 0) else { throw .fail("writing the target's RAM") }
            let tables = sparse(corrupt)
            var refusal: SnapshotError?
            do throws(SnapshotError) {
                try checked.vcpus.whileStopped { (stopped) throws(SnapshotError) in
                    try checked.gic.restoreSnapshot(snapshot, stopped, restoredMemory: wholeRAM, tables: tables)
                }
            } catch {
                refusal = error
            }
            guard refusal == .malformed(.itsTables(ITSTableProblem(errno: .EINVAL))) else {
                return .fail("with the model's check: \(refusal.map { $0.description } ?? "success")")
            }
            if let changed = try untouched(checked) { return .fail("a refused restore changed \(changed)") }
            var unchecked = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
            guard unchecked.memory.write(corrupt, at: 0) else { throw .fail("writing the target's RAM") }
            var tally = AccessTally()
            let kernelAnswer = SnapshotLab.restore(snapshot, into: unchecked.gic, &unchecked.vcpus, tally: &tally, restoredMemory: wholeRAM)
            guard case .itsWriting(.restoreTables, let error)? = kernelAnswer, error.errno == .EINVAL else {
                return .fail("the kernel, asked without the check: \(kernelAnswer.map { $0.description } ?? "success")")
            }
            return .pass("collection 1 → vCPU 9: the model's .itsTables(EINVAL) before any write; the kernel's ITS_RESTORE_TABLES: EINVAL")
        } catch {
            return error.outcome()
        }
    }

    /// 64 devices × 32 events on 2 collections (2048 LPIs): capture (with both table saves) and
    /// restore (with the model's table check, and without), in milliseconds.
    static func figures(_ context: inout ScenarioContext) -> Outcome {
        do throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            let devices = UInt32(context.budget.count(64, minimum: 4))
            var generator = ITSOperationGenerator(seed: firstSeed, vcpuCount: vcpuCount)
            var start = generator.start()
            start.deviceTableBase = deviceTableBase
            start.properties = [UInt8](repeating: ITSLabLayout.property(priority: 0xA0), count: 2048)
            var source = try ITSKernelSide.create(on: kvm, start)
            var commands: [ITSCommand] = [.mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true)]
            for device in 0..<devices {
                commands.append(.mapd(device: device, itt: ITSLabLayout.itt(device), eventIDBits: 5, valid: true))
                for event in UInt32(0)..<32 {
                    commands.append(.mapti(device: device, event: event, lpi: 8192 + device * 32 + event, collection: UInt16(event % 2)))
                }
            }
            for command in commands { _ = source.perform(ITSOperation.command(command)) }
            var tally = AccessTally()
            let captureStart = ckvm_monotonic_ns()
            let snapshot = try SnapshotLab.capture(source.gic, &source.vcpus, tally: &tally)
            let captureTime = ckvm_monotonic_ns() - captureStart
            let ram = try ram(source)
            let mapped = validEntries(ram)
            guard mapped == Int(devices) * 32 else { return .fail("\(mapped) ITEs saved, \(devices * 32) mapped") }
            var target = try ITSKernelSide.create(on: kvm, vcpuCount: vcpuCount)
            guard target.memory.write(ram, at: 0) else { throw .fail("writing the target's RAM") }
            let restoreStart = ckvm_monotonic_ns()
            if let error = SnapshotLab.restore(snapshot, into: target.gic, &target.vcpus, tally: &tally, restoredMemory: wholeRAM) {
                return .fail("restore: \(error)")
            }
            let restoreTime = ckvm_monotonic_ns() - restoreStart
            let tables = sparse(ram)
            let checkStart = ckvm_monotonic_ns()
            if let problem = snapshot.itsTableProblem(in: tables) { return .fail("the model's check: \(problem)") }
            let checkTime = ckvm_monotonic_ns() - checkStart
            context.record("capture_us", captureTime / 1000, unit: "us")
            context.record("restore_us", restoreTime / 1000, unit: "us")
            context.record("model_table_check_us", checkTime / 1000, unit: "us")
            context.record("translations", Int64(mapped), unit: "count")
            return .pass("\(devices) devices x 32 events (\(mapped) LPIs): capture \(captureTime / 1000) us, restore \(restoreTime / 1000) us, the model's table check \(checkTime / 1000) us")
        } catch {
            return error.outcome()
        }
    }
}
