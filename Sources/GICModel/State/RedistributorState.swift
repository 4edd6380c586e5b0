import GICVocabulary

/// One vCPU's redistributor: its 32 private interrupts, its CPU interface and its LPI controls.
public struct RedistributorState: Hashable, Sendable {
    /// The vCPU's affinity (MPIDR Aff3.Aff2.Aff1.Aff0).
    public let affinity: Affinity
    /// SGIs 0–15 and PPIs 16–31 (`vgic_cpu.private_irqs`).
    public var privateInterrupts: [InterruptState]
    /// The ICC state.
    public var cpuInterface: CPUInterfaceState
    /// GICR_CTLR.EnableLPIs (only writable with an ITS).
    public var lpisEnabled: Bool
    /// GICR_PENDBASER as stored (sanitised), before the PTZ bit is hidden on read.
    public var pendbaser: UInt64

    /// `INITIAL_PENDBASER_VALUE`: inner RaWb (`GIC_BASER_CACHE_RaWb` 3 << 7), outer SameAsInner (0),
    /// InnerShareable (1 << 10).
    public static let initialPendbaser: UInt64 = 0x580

    /// The state `kvm_vgic_vcpu_init` + `vgic_init` + `vgic_v3_enable` leave: SGIs enabled and
    /// edge, PPIs level and disabled, all Group 1 with priority 0.
    public init(affinity: Affinity, host: HostCPUInterface) {
        self.affinity = affinity
        var irqs: [InterruptState] = []
        irqs.reserveCapacity(Int(GICv3Model.privateCount))
        for intid in 0..<GICv3Model.privateCount {
            let isSGI = intid < 16
            irqs.append(InterruptState(enabled: isSGI, edge: isSGI))
        }
        privateInterrupts = irqs
        cpuInterface = CPUInterfaceState(host: host)
        lpisEnabled = false
        pendbaser = Self.initialPendbaser
    }
}
