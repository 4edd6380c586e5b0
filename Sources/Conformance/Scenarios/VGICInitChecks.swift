import GICVocabulary
import KVM
import VGIC

/// The bookkeeping of a vgic_init.c port: each step is one call with its expected typed
/// result; failures are collected so one outcome lists every deviation.
struct VGICInitChecks {
    private(set) var failures: [String] = []
    private(set) var count = 0

    /// `body` must throw an error `expected` accepts.
    mutating func refused(_ label: String, _ expected: (VGICError) -> Bool, _ body: () throws(VGICError) -> Void) {
        count += 1
        do throws(VGICError) {
            try body()
            failures.append("\(label): succeeded, expected a refusal")
        } catch {
            if !expected(error) { failures.append("\(label): \(error)") }
        }
    }

    /// `body` must succeed.
    mutating func succeeds(_ label: String, _ body: () throws(VGICError) -> Void) {
        count += 1
        do throws(VGICError) {
            try body()
        } catch {
            failures.append("\(label): \(error)")
        }
    }

    /// A condition observed directly.
    mutating func check(_ label: String, _ condition: Bool) {
        count += 1
        if !condition { failures.append(label) }
    }

    /// An observed value must equal `expected`; nil (the read was refused) never does.
    mutating func expect<Value: Equatable & CustomStringConvertible>(_ label: String, _ actual: Value?, _ expected: Value) {
        count += 1
        guard let actual else { return failures.append("\(label): refused, expected \(expected)") }
        if actual != expected { failures.append("\(label): got \(actual), expected \(expected)") }
    }

    /// `expect` for register words, printed in hex.
    mutating func expect(_ label: String, _ actual: UInt64?, _ expected: UInt64) {
        count += 1
        guard let actual else { return failures.append("\(label): refused, expected \(hex(expected))") }
        if actual != expected { failures.append("\(label): got \(hex(actual)), expected \(hex(expected))") }
    }

    var outcome: Outcome {
        if failures.isEmpty { return .pass("\(count) checks") }
        var text = "\(failures.count) of \(count) checks failed: "
        for (i, failure) in failures.enumerated() { text += (i == 0 ? "" : "; ") + failure }
        return .fail(text)
    }
}

/// Matchers for the typed errors the selftest's errnos map to.
enum Expect {
    static func address(_ refusal: VGICError.AddressRefusal) -> (VGICError) -> Bool {
        { error in
            if case .address(_, let got, _) = error { return got == refusal }
            return false
        }
    }

    static func kernel(_ errno: Errno) -> (VGICError) -> Bool {
        { error in
            if case .kernel(let kvm) = error { return kvm.errno == errno }
            return false
        }
    }

    static func alreadyExists(_ error: VGICError) -> Bool { if case .alreadyExists = error { true } else { false } }
    static func notInitialised(_ error: VGICError) -> Bool { if case .notInitialised = error { true } else { false } }
    static func countRejected(_ error: VGICError) -> Bool { if case .interruptCountRejected = error { true } else { false } }
    static func countFixed(_ error: VGICError) -> Bool { if case .interruptCountFixed = error { true } else { false } }
}

/// Opening the kernel and building VMs for the scenarios; any failure here is reported, and a
/// non-arm64 KVM is a skip.
enum VGICInitLab {
    /// Runs `body` on a fresh VM (a `LabMachine` on the context's kernel) with `vcpuCount` initialised vCPUs.
    static func withVM(
        _ context: ScenarioContext, vcpus vcpuCount: UInt32,
        _ body: (borrowing VirtualMachine, [VCPUIdentity]) throws(VGICError) -> Outcome
    ) -> Outcome {
        LabMachine.with(context) { machine throws(VGICError) in
            var identities: [VCPUIdentity] = []
            for id in 0..<vcpuCount { identities.append(try machine.addVCPU(id: id)) }
            return try body(machine.vm, identities)
        }
    }

    /// Creates and initialises vCPU `id` on a VM that is not a `LabMachine`'s and reads its
    /// identity back. The fd may close: the vCPU lives as long as the VM.
    static func addVCPU(_ vm: borrowing VirtualMachine, id: UInt32) throws(VGICError) -> VCPUIdentity {
        do throws(KVMError) {
            let target = try vm.preferredTarget()
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(target)
            return VCPUIdentity(id: id, affinity: Affinity(mpidr: try vcpu.mpidr()))
        } catch {
            throw .kernel(error)
        }
    }

    /// The selftest's `REDIST_REGION_ATTR_ADDR(count, base, flags, index)`, unchecked on purpose.
    static func regionWord(count: UInt64, base: UInt64, flags: UInt64, index: UInt64) -> UInt64 {
        count << 52 | base | flags << 12 | index
    }
}
