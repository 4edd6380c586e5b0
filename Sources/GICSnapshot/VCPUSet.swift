import GICVocabulary
import KVM
import VGIC

/// The vCPUs of one VM, owned together so that "none of them is running" can be proven.
///
/// `VCPU` is `~Copyable` and `KVM_RUN` blocks the thread that borrows it, so a vCPU inside this
/// set runs only through `withVCPU(id:_:)`, a `mutating` call; `whileStopped(_:)` is `mutating`
/// too, so the compiler's exclusivity rules forbid running any of them while a snapshot is taken
/// or restored. A VMM with one thread per vCPU hands each back with `insert` when it pauses and
/// takes it out again with `remove(id:)` to resume.
public struct VCPUSet: ~Copyable {
    /// Explicit so Embedded Swift can destroy this value from other modules.
    deinit {}

    /// A class box: arrays of `~Copyable` values are not available, arrays of references are.
    final class Slot {
        var vcpu: VCPU?
        let identity: VCPUIdentity

        init(_ vcpu: consuming VCPU, _ identity: VCPUIdentity) {
            self.vcpu = consume vcpu
            self.identity = identity
        }
    }

    private var slots: [Slot] = []

    public init() {}

    /// Takes ownership of `vcpu`, reading its MPIDR_EL1 from the kernel for its identity (never
    /// deriving the affinity from the id: Cloud Hypervisor #8638).
    ///
    /// - Throws: `.reading` with the kernel's refusal of `KVM_GET_ONE_REG`, or `.duplicate` if a
    ///   vCPU with the same id or affinity is already in the set; `vcpu` is closed then.
    public mutating func insert(_ vcpu: consuming VCPU) throws(VCPUSetError) {
        let identity: VCPUIdentity
        do throws(VGICError) {
            identity = try VCPUIdentity(reading: vcpu)
        } catch {
            throw .reading(error)
        }
        for slot in slots where slot.identity.id == identity.id || slot.identity.affinity == identity.affinity {
            throw .duplicate(held: slot.identity, offered: identity)
        }
        slots.append(Slot(vcpu, identity))
    }

    /// Gives the vCPU with `id` back to the caller, or nil if the set does not hold it.
    public mutating func remove(id: UInt32) -> VCPU? {
        guard let position = slots.firstIndex(where: { $0.identity.id == id }) else { return nil }
        let slot = slots.remove(at: position)
        return slot.vcpu.take()
    }

    /// The identities of the vCPUs held, in insertion order.
    public var identities: [VCPUIdentity] { slots.map { $0.identity } }

    /// How many vCPUs the set holds.
    public var count: Int { slots.count }

    /// Lends the vCPU with `id` to `body` (to run it, set registers, …); nil if the set does not
    /// hold it.
    public mutating func withVCPU<Result, Failure: Error>(
        id: UInt32, _ body: (borrowing VCPU) throws(Failure) -> Result
    ) throws(Failure) -> Result? {
        guard let slot = slots.first(where: { $0.identity.id == id }) else { return nil }
        guard let vcpu = slot.vcpu.take() else { return nil }
        let result: Result
        do throws(Failure) {
            result = try body(vcpu)
        } catch {
            slot.vcpu = consume vcpu
            throw error
        }
        slot.vcpu = consume vcpu
        return result
    }

    /// Lends proof that none of the set's vCPUs is running to `body`, for `captureSnapshot` and
    /// `restoreSnapshot`. Exclusive access to the set lasts until `body` returns.
    public mutating func whileStopped<Result, Failure: Error>(
        _ body: (borrowing StoppedVCPUs) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let proof = StoppedVCPUs(vcpus: identities)
        return try body(proof)
    }
}

/// Why `VCPUSet.insert` refused a vCPU.
public enum VCPUSetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading its MPIDR_EL1 failed.
    case reading(VGICError)
    /// The set already holds a vCPU with the same id or affinity.
    case duplicate(held: VCPUIdentity, offered: VCPUIdentity)

    public var description: String {
        switch self {
        case .reading(let error): "reading the vCPU's MPIDR_EL1 failed: \(error)"
        case .duplicate(let held, let offered):
            "\(describe(offered)) clashes with \(describe(held)) already in the set"
        }
    }
}
