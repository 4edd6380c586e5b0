/// One list register, ICH_LR<n>_EL2, as KVM fills it on guest entry and the virtual CPU
/// interface changes it while the guest runs (IHI 0069 §12.4.7; `vgic_v3_populate_lr`).
public struct ListRegister: Hashable, Sendable, CustomStringConvertible {
    /// The State field: what the guest's virtual CPU interface sees of the interrupt.
    public enum State: UInt8, Hashable, Sendable {
        case invalid = 0, pending = 1, active = 2, activePending = 3

        var isActive: Bool { self == .active || self == .activePending }
        var isPending: Bool { self == .pending || self == .activePending }

        init(active: Bool, pending: Bool) {
            self = State(rawValue: (active ? 2 : 0) | (pending ? 1 : 0)) ?? .invalid
        }
    }

    /// vINTID.
    public var intid: UInt32
    public var state: State
    /// The priority, with the bits the virtual interface implements (5 under KVM and QEMU).
    public var priority: UInt8
    /// Group 1 (true) or Group 0.
    public var group1: Bool
    /// HW = 1: the physical INTID the virtual interface deactivates with it (the mapped timer).
    public var physicalINTID: UInt32?
    /// The EOI bit: a maintenance interrupt when the entry becomes invalid (KVM sets it for
    /// level interrupts that are not hardware-mapped, to resample their line).
    public var maintenanceOnEOI: Bool

    public init(intid: UInt32, state: State, priority: UInt8, group1: Bool, physicalINTID: UInt32? = nil, maintenanceOnEOI: Bool = false) {
        self.intid = intid
        self.state = state
        self.priority = priority
        self.group1 = group1
        self.physicalINTID = physicalINTID
        self.maintenanceOnEOI = maintenanceOnEOI
    }

    public var description: String {
        let state = ["invalid", "pending", "active", "active+pending"][Int(self.state.rawValue)]
        var text = "LR(\(intid) \(state) prio \(priority) G\(group1 ? 1 : 0)"
        if let physicalINTID { text += " HW \(physicalINTID)" }
        if maintenanceOnEOI { text += " EOI" }
        return text + ")"
    }
}

/// The ICH_HCR_EL2 bits KVM programs for a vCPU on entry (IHI 0069 §12.4.4), which decide
/// when the virtual interface raises a maintenance interrupt and whether ICV_DIR_EL1 traps.
public struct HypervisorControl: Hashable, Sendable {
    /// En.
    public var enabled = true
    /// UIE: maintenance interrupt when at most one list register is valid.
    public var underflow = false
    /// NPIE: maintenance interrupt when no list register is pending.
    public var noPending = false
    /// LRENPIE: maintenance interrupt while EOIcount is non-zero.
    public var entryNotPresent = false
    /// VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE: maintenance interrupts on group enables.
    public var group0Enabled = false
    public var group0Disabled = false
    public var group1Enabled = false
    public var group1Disabled = false
    /// TDIR: ICV_DIR_EL1 traps to EL2 (KVM).
    public var trapDIR = false
    /// EOIcount: EOIs (and DIRs) that found no list register.
    public var eoiCount: UInt32 = 0

    public init() {}
}
