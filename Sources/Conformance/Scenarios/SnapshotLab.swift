import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// The shape of a vgic a snapshot scenario builds: vCPU ids, NR_IRQS, where the frames go, and
/// whether it has an ITS.
struct SnapshotLabLayout {
    var vcpuIDs: [UInt32]
    var interruptCount: UInt32
    var regions: Bool = false
    var distributor: UInt64 = 0x0800_0000
    var its: Bool = false

    init(vcpus: UInt32, interruptCount: UInt32, regions: Bool = false) {
        self.vcpuIDs = Array(0..<vcpus)
        self.interruptCount = interruptCount
        self.regions = regions
    }

    /// Distributor at 128 MiB, redistributors from 128 MiB + 640 KiB (QEMU virt's places), one
    /// legacy block or two regions; an ITS at 136 MiB.
    var configuration: VGICConfiguration {
        let base: UInt64 = 0x080A_0000
        let redistributors: Redistributors
        if regions {
            let first = UInt32((vcpuIDs.count + 1) / 2)
            let second = UInt32(vcpuIDs.count) - first
            var list: [RedistributorRegion] = []
            if let region = try? RedistributorRegion(count: first, base: base, index: 0) { list.append(region) }
            if second > 0, let region = try? RedistributorRegion(count: second, base: base + 0x40_0000, index: 1) {
                list.append(region)
            }
            redistributors = .regions(list)
        } else {
            redistributors = .legacy(base: base)
        }
        return .v3(distributor: distributor, redistributors: redistributors, its: its ? 0x0880_0000 : nil,
            interruptCount: interruptCount)
    }
}

/// Building VMs with their vCPUs in a `VCPUSet` and a GICv3, for the snapshot scenarios.
enum SnapshotLab {
    /// Runs `body` on a fresh VM laid out as `layout`, whose vCPUs are initialised and held in a
    /// `VCPUSet` and whose GICv3 is created and initialised.
    static func withVGIC<Result>(
        _ kvm: borrowing KVM, _ layout: SnapshotLabLayout,
        _ body: (borrowing VGIC, inout VCPUSet) throws(ScenarioFailure) -> Result
    ) throws(ScenarioFailure) -> Result {
        let vm: VirtualMachine
        var set = VCPUSet()
        do throws(KVMError) {
            vm = try kvm.createVM()
        } catch {
            throw ScenarioFailure("VM setup: \(error)")
        }
        for id in layout.vcpuIDs {
            let vcpu = try makeVCPU(vm, id: id)
            do throws(VCPUSetError) {
                try set.insert(vcpu)
            } catch {
                throw ScenarioFailure("vCPU \(id): \(error)")
            }
        }
        let vgic: VGIC
        do throws(VGICError) {
            vgic = try VGIC.create(on: vm, configuration: layout.configuration, vcpus: set.identities)
        } catch {
            throw ScenarioFailure("vgic setup: \(error)")
        }
        return try body(vgic, &set)
    }

    /// Creates and initialises vCPU `id`.
    static func makeVCPU(_ vm: borrowing VirtualMachine, id: UInt32) throws(ScenarioFailure) -> VCPU {
        do throws(KVMError) {
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(try vm.preferredTarget())
            return vcpu
        } catch {
            throw ScenarioFailure("vCPU \(id) setup: \(error)")
        }
    }

    /// Captures through the set's proof.
    static func capture(
        _ vgic: borrowing VGIC, _ set: inout VCPUSet, tally: inout AccessTally
    ) throws(ScenarioFailure) -> GICSnapshot {
        do throws(SnapshotError) {
            return try set.whileStopped { (stopped) throws(SnapshotError) -> GICSnapshot in
                try vgic.captureSnapshot(stopped, tally: &tally)
            }
        } catch {
            throw ScenarioFailure("capture: \(error)")
        }
    }

    /// Restores through the set's proof; the typed error is returned for scenarios that expect one.
    static func restore(
        _ snapshot: GICSnapshot, into vgic: borrowing VGIC, _ set: inout VCPUSet, tally: inout AccessTally,
        restoredMemory: RestoredGuestMemory = .none, compatibility: RestoreCompatibility = .exactLayout
    ) -> SnapshotError? {
        do throws(SnapshotError) {
            try set.whileStopped { (stopped) throws(SnapshotError) in
                try vgic.restoreSnapshot(snapshot, stopped, restoredMemory: restoredMemory, compatibility: compatibility, tally: &tally)
            }
            return nil
        } catch {
            return error
        }
    }

    /// The first entry or identity field in which `a` and `b` differ, for failure messages.
    static func firstDifference(_ a: GICSnapshot, _ b: GICSnapshot) -> String? {
        if a == b { return nil }
        if a.identity != b.identity { return "identity differs" }
        let left = a.entries
        let right = b.entries
        if left.count != right.count { return "\(left.count) entries versus \(right.count)" }
        for (x, y) in zip(left, right) where x != y {
            return "\(x.scope) \(x.register.name)[\(x.index)]: \(hex(x.value)) then \(hex(y.value))"
        }
        return "foreign sections differ"
    }

    /// The binary encoding of a snapshot a scenario made (captured or edited within the format).
    static func encode(_ snapshot: GICSnapshot) throws(ScenarioFailure) -> [UInt8] {
        do throws(SnapshotValueError) {
            return try snapshot.encoded()
        } catch {
            throw ScenarioFailure("encoding: \(error)")
        }
    }

    /// Sets element `index` of `bank`, which a scenario edits to provoke a refusal.
    static func edit(_ bank: inout RegisterBank, _ index: UInt32, to value: UInt64) throws(ScenarioFailure) {
        do throws(SnapshotValueError) {
            try bank.set(element: index, to: value)
        } catch {
            throw ScenarioFailure("editing \(bank.register.name)[\(index)]: \(error)")
        }
    }
}
