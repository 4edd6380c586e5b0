import GICVocabulary

/// What software on a PE observes and does through the GICv5 CPU interface, as pure functions of
/// the PE's CPU interface and the IRS: the highest priority pending interrupt, acknowledge
/// (`GICR CDIA` / `CDNMIA`), priority drop (`GIC CDEOI`), deactivate (`GIC CDDI`) and the
/// configuration instructions (GICv5Model.docc/GICv5Architecture.md; QEMU `gicv5-cpuif.c`).
///
/// Under KVM the CPU interface is the hardware state `GICv5VM.enterGuest` returned and the IRS is
/// the VM's (`GICv5VM.irs`), so a scenario reads: enter, let the guest act with these functions,
/// exit with the changed interface.
public enum GICv5Guest {
    /// Which acknowledge instruction.
    public enum Acknowledge: Hashable, Sendable {
        /// `GICR CDIA`: acknowledges anything but an NMI.
        case interrupt
        /// `GICR CDNMIA`: acknowledges only an NMI.
        case nmi
    }

    /// The highest priority pending interrupt over the PE's PPIs and the IRS's offer for its IAFFID,
    /// regardless of whether its priority is sufficient. Equal priorities go to the PPI (R_VVBPS
    /// leaves it IMPLEMENTATION DEFINED; QEMU picks the PPI, vector G5-15).
    public static func highestPriorityPending(_ cpu: GICv5CPUInterface, _ irs: GICv5IRS) -> PendingInterrupt? {
        let ppi = cpu.highestPriorityPendingPPI
        guard let other = irs.highestPriorityPending(target: cpu.iaffid) else { return ppi }
        guard let ppi else { return other }
        return other.beats(ppi) ? other : ppi
    }

    /// The interrupt the CPU interface signals: the HPPI if CR0.EN is set and its priority is
    /// sufficient (higher than the running priority, not lower than ICC_PCR_EL1), else nil
    /// (QEMU `gic_hppi`, D_MSQKF; vectors G5-06 to G5-09, G5-13 in
    /// GICv5Model.docc/GICv5TestVectors.md).
    public static func signalled(_ cpu: GICv5CPUInterface, _ irs: GICv5IRS) -> PendingInterrupt? {
        guard cpu.enabled, let best = highestPriorityPending(cpu, irs),
              cpu.hasSufficientPriority(best.priority) else { return nil }
        return best
    }

    /// ICC_HPPIR_EL1: the signalled interrupt's INTID with HPPIV (bit 32), or 0. Whether the architecture
    /// filters HPPIR by priority as QEMU does is **[unverified]** (GICv5Model.docc/GICv5Architecture.md).
    public static func highestPriorityPendingRegister(_ cpu: GICv5CPUInterface, _ irs: GICv5IRS) -> UInt64 {
        guard let hppi = signalled(cpu, irs) else { return 0 }
        return AcknowledgeResult(acknowledged: hppi.id).rawValue
    }

    /// Whether `interrupt` is an NMI: signalled with superpriority (priority 0) while SCTLR_EL1.NMI is
    /// set (R_CSBDX, QEMU `gic_hppi_is_nmi`).
    public static func isNMI(_ interrupt: PendingInterrupt, _ cpu: GICv5CPUInterface) -> Bool {
        interrupt.priority == GICv5Priority.superpriority && cpu.nmiEnabled
    }

    /// `GICR CDIA` / `GICR CDNMIA` (V8, V9): acknowledges the signalled interrupt. It becomes active,
    /// an edge interrupt stops being pending (a level one keeps its pending state), and its priority
    /// is marked in ICC_APR_EL1. CDIA on an NMI and CDNMIA on anything else acknowledge nothing.
    /// Returns the INTID with VALID, or 0 with no change.
    @discardableResult
    public static func acknowledge(_ kind: Acknowledge = .interrupt, cpu: inout GICv5CPUInterface,
                                   irs: inout GICv5IRS) -> AcknowledgeResult {
        guard let hppi = signalled(cpu, irs), isNMI(hppi, cpu) == (kind == .nmi) else { return .none }
        cpu.activePriorities.activate(hppi.priority)
        switch hppi.id.type {
        case .ppi:
            let ppi = GICv5PPI.checked(hppi.id.id)
            cpu.ppiActive[ppi] = true
            if cpu.handlingMode(of: ppi) == .edge { cpu.ppiPending[ppi] = false }
        case .spi, .lpi:
            irs.activate(hppi.id)
        }
        return AcknowledgeResult(acknowledged: hppi.id)
    }

    /// `GIC CDEOI` (V10): priority drop, clearing the highest active priority; the interrupt stays
    /// active until `GIC CDDI` (vector G5-03).
    public static func priorityDrop(cpu: inout GICv5CPUInterface) {
        cpu.activePriorities.dropRunningPriority()
    }

    /// `GIC CDDI` (V11): `id` becomes inactive, a PPI in the CPU interface, an SPI or LPI in the IRS.
    public static func deactivate(_ id: GICv5InterruptID, cpu: inout GICv5CPUInterface, irs: inout GICv5IRS) {
        switch id.type {
        case .ppi: cpu.ppiActive[GICv5PPI.checked(id.id)] = false
        case .spi, .lpi: irs.deactivate(id)
        }
    }

    /// Executes one `GIC CD*` command. The configuration commands act on SPIs and LPIs; on a PPI
    /// they do nothing, and `GIC CDRCFG` of a PPI reports F = 1 (PPIs are configured through the
    /// ICC_PPI_* registers; QEMU rejects the PPI type in `gicv5_set_*` / `gicv5_request_config`).
    /// An SPI or LPI the IRS cannot reach is ignored (CDRCFG: F = 1).
    public static func execute(_ command: GICv5Command, cpu: inout GICv5CPUInterface, irs: inout GICv5IRS) {
        switch command {
        case let .enable(id): irs.setEnabled(id, true)
        case let .disable(id): irs.setEnabled(id, false)
        case let .setPriority(id, priority): irs.setPriority(id, priority)
        case let .setAffinity(id, iaffid, routing): irs.setTarget(id, iaffid: iaffid, routing: routing)
        case let .setPending(id, pending): irs.setPending(id, pending)
        case let .setHandlingMode(id, mode): irs.setHandlingMode(id, mode)
        case let .requestConfig(id): cpu.interruptStatus = irs.requestConfig(id)
        case let .deactivate(id): deactivate(id, cpu: &cpu, irs: &irs)
        case .priorityDrop: priorityDrop(cpu: &cpu)
        }
    }

    /// Executes `instruction` with a raw operand, as the guest's `SYS` would: an operand that does
    /// not decode (a bad TYPE, a PPI ID of 128 or more) has no effect. Acknowledge instructions
    /// return their result; every other instruction returns `.none`.
    @discardableResult
    public static func execute(_ instruction: GICv5Instruction, operand: UInt64,
                               cpu: inout GICv5CPUInterface, irs: inout GICv5IRS) -> AcknowledgeResult {
        switch instruction {
        case .cdia: return acknowledge(.interrupt, cpu: &cpu, irs: &irs)
        case .cdnmia: return acknowledge(.nmi, cpu: &cpu, irs: &irs)
        case .gsbSys, .gsbAck: return .none
        default:
            if let command = try? GICv5Command(instruction, operand: operand) {
                execute(command, cpu: &cpu, irs: &irs)
            }
            return .none
        }
    }
}
