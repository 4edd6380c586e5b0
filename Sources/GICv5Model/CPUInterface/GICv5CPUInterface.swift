import GICVocabulary

/// One PE's GICv5 CPU interface as the software running on it sees it: the 128 PPIs with their
/// enable, pending, active and priority state and fixed handling modes, plus ICC_CR0_EL1.EN,
/// ICC_PCR_EL1, ICC_APR_EL1 and ICC_ICSR_EL1 (GICv5Model.docc/GICv5Architecture.md).
///
/// Under KVM this is the hardware state a vCPU runs with: `GICv5VM.enterGuest` builds it from KVM's
/// saved images and `GICv5VM.exitGuest` takes it back. The guest's instructions are the pure
/// functions of `GICv5Guest`; the ICC_PPI_* register accesses are in
/// `GICv5CPUInterface+Registers.swift`.
///
/// Pending state is one bit per PPI. For a level PPI that bit follows the PPI's input
/// (`setInput`), and the guest cannot write it (V1); for the edge SW_PPI it is set and cleared by
/// the guest's S/CPENDR writes and cleared by acknowledge (V2, V8).
public struct GICv5CPUInterface: Hashable, Sendable {
    /// ICC_PPI_ENABLER0/1_EL1.
    public var ppiEnabled: PPISet
    /// The PPIs' pending state (ICC_PPI_SPENDRx reads it).
    public var ppiPending: PPISet
    /// ICC_PPI_SACTIVERx reads it.
    public var ppiActive: PPISet
    /// ICC_PPI_PRIORITYR0..15_EL1.
    public var ppiPriorities: PPIPriorityRegisters
    /// ICC_PPI_HMR0/1_EL1: a bit set for each level PPI; fixed (R_CFSKX), so read-only.
    public let ppiHandlingModes: PPISet
    /// ICC_APR_EL1.
    public var activePriorities: ActivePriorities
    /// ICC_CR0_EL1.EN. While clear no interrupt is signalled or acknowledged (vector G5-13 in
    /// GICv5Model.docc/GICv5TestVectors.md).
    public var enabled: Bool
    /// ICC_PCR_EL1.PRIORITY: interrupts of this priority or higher may be signalled.
    public var priorityMask: UInt8
    /// ICC_ICSR_EL1, written by `GIC CDRCFG`.
    public var interruptStatus: InterruptConfigStatus
    /// ICC_IAFFIDR_EL1.IAFFID: which IRS interrupts target this PE.
    public let iaffid: UInt16
    /// SCTLR_EL1.NMI. Not GIC state, but it decides whether a priority-0 interrupt is an NMI that
    /// only `GICR CDNMIA` acknowledges (R_CSBDX, vector G5-14).
    public var nmiEnabled: Bool

    /// The reset state (QEMU's reset, GICv5Model.docc/GICv5Architecture.md): nothing enabled, pending or
    /// active, every priority 0, APR 0, CR0.EN 0, PCR 0 (only priority 0 can be signalled), SCTLR.NMI 0.
    public init(iaffid: UInt16 = 0) {
        ppiEnabled = .empty
        ppiPending = .empty
        ppiActive = .empty
        ppiPriorities = PPIPriorityRegisters()
        ppiHandlingModes = GICv5HandlingMode.ppiHandlingModes
        activePriorities = ActivePriorities()
        enabled = false
        priorityMask = 0
        interruptStatus = InterruptConfigStatus(rawValue: 0)
        self.iaffid = iaffid
        nmiEnabled = false
    }

    /// The handling mode of `ppi` as ICC_PPI_HMRx_EL1 reports it.
    public func handlingMode(of ppi: GICv5PPI) -> GICv5HandlingMode {
        GICv5HandlingMode(hmBit: ppiHandlingModes[ppi])
    }

    /// The PPI's input changes (a timer, the PMU, or under KVM a directly injected physical PPI).
    /// A level PPI's pending state becomes the input (V1); an edge PPI becomes pending on a high
    /// input and keeps its state on a low one.
    public mutating func setInput(_ ppi: GICv5PPI, level: Bool) {
        if handlingMode(of: ppi) == .level {
            ppiPending[ppi] = level
        } else if level {
            ppiPending[ppi] = true
        }
    }

    /// The best PPI candidate: enabled, pending, not active, lowest priority value, ties to the
    /// lowest PPI number (QEMU `gic_recalc_ppi_hppi`). Whether its priority is sufficient is not
    /// considered here.
    public var highestPriorityPendingPPI: PendingInterrupt? {
        let candidates = ppiEnabled.intersection(ppiPending).subtracting(ppiActive)
        var best: PendingInterrupt?
        for ppi in candidates.members {
            let candidate = PendingInterrupt(id: ppi.interruptID, priority: ppiPriorities[ppi])
            if candidate.beats(best) { best = candidate }
        }
        return best
    }

    /// Whether an interrupt of `priority` has sufficient priority to be signalled (D_MSQKF): CR0.EN set,
    /// higher than the running priority, and equal to or higher than the priority mask. The mask is
    /// inclusive, unlike GICv3's PMR (GICv5Model.docc/GICv5Architecture.md, divergence 10 in
    /// GICModel.docc/AttributeView.md).
    public func hasSufficientPriority(_ priority: UInt8) -> Bool {
        enabled && priority <= priorityMask && priority < activePriorities.runningPriority
    }
}
