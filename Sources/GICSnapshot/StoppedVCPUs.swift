import GICVocabulary
import KVM
import VGIC

/// Proof that no vCPU of the VM is inside `KVM_RUN`, and the list of those vCPUs: what capture
/// and restore demand before they touch a register.
///
/// There is no public way to make one out of thin air. `VCPUSet.whileStopped(_:)` lends one to a
/// closure while it holds exclusive access to every vCPU the set owns, so none can run until the
/// closure returns; being `~Copyable` and only ever borrowed, the proof cannot outlive that.
/// A VMM that drives vCPUs some other way can still say so explicitly with
/// `init(unsafelyAssumingStopped:)`; the kernel then remains the only guard (it answers EBUSY to
/// a register access while a vCPU runs, but a vCPU that runs *between* two accesses tears the
/// snapshot silently).
public struct StoppedVCPUs: ~Copyable {
    /// Explicit so Embedded Swift can destroy this value from other modules.
    deinit {}

    /// The stopped vCPUs, in the order their state is saved and matched.
    public let vcpus: [VCPUIdentity]

    init(vcpus: [VCPUIdentity]) {
        self.vcpus = vcpus
    }

    /// Claims, without proof, that the VM's vCPUs listed in `vcpus` are all its vCPUs and that
    /// none of them is running, nor will run until this value is gone. Prefer `VCPUSet`.
    public init(unsafelyAssumingStopped vcpus: [VCPUIdentity]) {
        self.vcpus = vcpus
    }
}
