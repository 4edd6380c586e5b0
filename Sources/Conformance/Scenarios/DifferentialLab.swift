import CKVM
import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import VGIC

/// The differential scenarios' shared setup: the fuzzed vgic's shape, a factory of fresh checked
/// vgics on the context's kernel, the kernel line, and a clock.
enum DifferentialLab {
    /// The shape: 4 vCPUs, 256 interrupts, no ITS, one legacy redistributor block.
    static let vcpuCount: UInt32 = 4
    static let interruptCount: UInt32 = 256
    static let layout = VGICConfiguration.v3(
        distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), interruptCount: interruptCount)

    /// The kernel line whose behaviour the model reproduces, from `uname -r`.
    static func kernel(_ context: ScenarioContext) -> KernelBehaviour {
        KernelBehaviour(release: context.kernelRelease) ?? .linux7
    }

    /// A factory of fresh VMs on the context's kernel, each with its vCPUs and an initialised
    /// checked vgic-v3 modelling `kernel`: every sequence and every replay starts from CTRL_INIT.
    static func factory(
        _ context: ScenarioContext, kernel: KernelBehaviour, mutations: ModelMutation = []
    ) -> DifferentialFuzzer.Factory {
        { () throws(VGICError) -> CheckedVGIC in
            let vm = try newVM(context)
            var vcpus: [VCPUIdentity] = []
            for id in 0..<vcpuCount { vcpus.append(try VGICInitLab.addVCPU(vm, id: id)) }
            return try CheckedVGIC.create(on: vm, configuration: layout, vcpus: vcpus, kernel: kernel, mutations: mutations)
        }
    }

    /// A new VM on the kernel under test (the KVM fd closes on return; the VM lives on).
    static func newVM(_ context: ScenarioContext) throws(VGICError) -> VirtualMachine {
        do throws(KVMError) {
            return try LabKernel.kernel(context).createVM()
        } catch {
            throw .kernel(error)
        }
    }

    /// Checks that the factory works here: nil, or the outcome to return instead (a skip where
    /// there is no arm64 KVM, a failure otherwise).
    static func probe(_ factory: DifferentialFuzzer.Factory) -> Outcome? {
        do throws(VGICError) {
            _ = try factory()
            return nil
        } catch {
            if case .kernel(let kvm) = error {
                if case .notArm64 = kvm { return .skip(kvm.description) }
                if kvm.attempt.request == .open { return .skip("no usable /dev/kvm: \(kvm)") }
            }
            return .fail("setup: \(error)")
        }
    }

    /// Milliseconds since `start` (a `ckvm_monotonic_ns` reading).
    static func milliseconds(since start: Int64) -> Int64 {
        (ckvm_monotonic_ns() - start) / 1_000_000
    }

    /// Shrinks a failing sequence, prints the reproduction as a Swift test on the console, and
    /// returns a one-line account for the scenario detail: the seed, the first difference, the
    /// shrunk length and the test itself (its lines joined, still valid Swift).
    static func report(
        _ failing: DifferentialFuzzer.SequenceResult, fuzzer: DifferentialFuzzer, factory: DifferentialFuzzer.Factory,
        budget: Int, context: inout ScenarioContext
    ) -> String {
        guard let mismatch = failing.mismatch else { return "no mismatch" }
        var text = "seed " + hex(failing.seed, uppercase: true) + " step \(mismatch.step): " + mismatch.summary
        do throws(VGICError) {
            let shrunk = try Shrinker(budget: budget).shrink(
                failing.script.map { $0.operation }, mismatch: mismatch, using: fuzzer, factory: factory)
            context.record("shrink_replays", Int64(shrunk.replays), unit: "replays")
            context.record("shrunk_operations", Int64(shrunk.script.count), unit: "operations")
            let lines = ReproductionPrinter.swiftTest(
                seed: failing.seed, configuration: failing.configuration, script: shrunk.script, mismatch: shrunk.mismatch)
            print("differential: reproduction of seed " + hex(failing.seed, uppercase: true) + " (paste into Tests/GICModelTests):")
            for line in lines { print(line) }
            text += "; shrunk to \(shrunk.script.count) operations in \(shrunk.replays) replays ("
                + shrunk.mismatch.summary + "): "
            for line in lines { text += line + " " }
        } catch {
            text += "; shrinking stopped: \(error)"
        }
        return text
    }
}
