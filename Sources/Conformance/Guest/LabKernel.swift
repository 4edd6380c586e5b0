import KVM

/// The one place scenarios open the kernel under test, so where that kernel comes from is
/// decided here and nowhere else.
enum LabKernel {
    /// Opens /dev/kvm, as the kernel reports it; for helpers that classify the error themselves.
    static func kernel() throws(KVMError) -> KVM {
        try KVM.open()
    }

    /// Opens /dev/kvm; a missing device or a KVM that is not arm64 is a skip, with the reason.
    static func open() throws(ScenarioFailure) -> KVM {
        let kvm: KVM
        do throws(KVMError) {
            kvm = try kernel()
        } catch {
            throw .skip("no usable /dev/kvm: \(error)")
        }
        guard kvm.isArm64 else { throw .skip("not an arm64 KVM: \(kvm.machine)") }
        return kvm
    }
}
