import GICModel
import KVM
import GICv5Model

/// One VM of the simulated kernel: its vCPUs and its in-kernel GIC, as the models hold it.
///
/// Read it through `SimulatedKernel.vms` (or the `gicv3` / `gicv5` shortcuts) to assert what a
/// VMM's calls did to the kernel's state, beyond what the calls returned.
public struct SimulatedVM: Hashable, Sendable {
    /// The VM's IPA size (`KVM_CREATE_VM`'s type, or the 40-bit default).
    public let ipaBits: Int
    /// vCPUs in creation order (their fds may close; the kernel keeps them).
    public internal(set) var vcpus: [SimulatedVCPU] = []
    /// The vgic-v3 before CTRL_INIT (and what it was configured with afterwards); nil without one.
    public internal(set) var gicv3Setup: GICv3Setup?
    /// The vgic-v3 after CTRL_INIT: the reference model every register access goes to.
    public internal(set) var gicv3: GICv3Model?
    /// The ITS devices, by device fd.
    public internal(set) var its: [Int32: SimulatedITS] = [:]
    /// Whether a vgic-v5 was created.
    public internal(set) var hasGICv5 = false
    /// The vgic-v5 after CTRL_INIT; nil before.
    public internal(set) var gicv5: GICv5VM?
    /// GRP_MAINT_IRQ: the maintenance interrupt's INTID (`mi_intid`, 25 unless set).
    public internal(set) var maintenanceINTID: UInt32 = 25
    /// Guest RAM, by slot (`KVM_SET_USER_MEMORY_REGION`).
    public internal(set) var memory: [GuestMemorySlot] = []
    /// The GSI routing table in force (`kvm->irq_routing`): empty until CTRL_INIT installs the
    /// default one or `KVM_SET_GSI_ROUTING` sets one.
    public internal(set) var routing = GSIRoutingTable()
    /// The irqfds bound with `KVM_IRQFD`, in assignment order.
    public internal(set) var irqfds: [SimulatedIRQFD] = []

    init(ipaBits: Int) {
        self.ipaBits = ipaBits
    }

    /// Whether any vgic has run CTRL_INIT: then `KVM_CREATE_VCPU` is EBUSY.
    public var isGICInitialised: Bool {
        (gicv3Setup?.isInitialised ?? false) || gicv5 != nil
    }

    /// Whether an in-kernel GIC exists (`irqchip_in_kernel`).
    public var hasGIC: Bool { gicv3Setup != nil || hasGICv5 }

    /// The position of vCPU `id` in `vcpus`, or nil.
    func vcpuIndex(id: UInt32) -> Int? { vcpus.firstIndex { $0.id == id } }
}

/// An irqfd of a simulated VM: the eventfd whose writes raise `gsi`, and for a resampling one the
/// eventfd the guest's acknowledgement would signal (no guest runs here, so it never is).
public struct SimulatedIRQFD: Hashable, Sendable {
    public let eventfd: Int32
    public let gsi: UInt32
    public let resampleFD: Int32?
}
