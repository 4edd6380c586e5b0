import KVM

/// The one place scenarios open the kernel under test: the kernel their context names (the
/// live one in the lab, a simulated one in `swift test`), so where that kernel comes from is
/// decided by the runner and nowhere in a scenario.
enum LabKernel {
    /// Opens the context's /dev/kvm, as the kernel reports it; for helpers that classify the
    /// error themselves.
    static func kernel(_ context: ScenarioContext) throws(KVMError) -> KVM {
        try KVM.open(interface: context.kernel)
    }

    /// Opens the context's /dev/kvm; a missing device or a KVM that is not arm64 is a skip, with
    /// the reason.
    static func open(_ context: ScenarioContext) throws(ScenarioFailure) -> KVM {
        let kvm: KVM
        do throws(KVMError) {
            kvm = try kernel(context)
        } catch {
            throw .skip("no usable /dev/kvm: \(error)")
        }
        guard kvm.isArm64 else { throw .skip("not an arm64 KVM: \(kvm.machine)") }
        return kvm
    }
}
