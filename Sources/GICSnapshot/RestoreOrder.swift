import GICVocabulary

/// The one order in which a GICv3 snapshot is written back, as data. Restore walks it, capture
/// walks it to decide what to read (so the two cannot disagree about what a snapshot holds), and
/// the order test on x86 compares the recorded ioctls of a restore with it.
///
/// The order states only *when* each register is written. *How* (write back, write only what
/// differs, clear before the set register) is the register table's `restore` column, which
/// `RestorePhase` reads; so is which registers are not saved at all.
///
/// Where the kernel demands an order, the step says so; the rest follows QEMU's
/// `kvm_arm_gicv3_put` (anchors.md §2.6, §4 item 5), the only anchor that restores everything:
///
/// 1. **GICD_IIDR first**: arm-vgic-v3.rst asks userspace to write it back before any other
///    register; its revision decides whether groups are guest-configurable (rev 2) and whether
///    GICR_CTLR shows IR/CES (rev 3). The uaccess write is checked (`vgic_mmio_uaccess_write_v3_misc`).
/// 2. **GICD_CTLR**: its uaccess write sets `enabled`/`nassgireq` directly, without the guest
///    path's side effects.
/// 3. **GICR_PROPBASER/PENDBASER of every vCPU before any GICR_CTLR**: both writes are dropped
///    once LPIs are enabled (`vgic_mmio_write_propbase`/`_pendbase`: "Storing a value with LPIs
///    already enabled is undefined"; Firecracker 3b943af0e), and PROPBASER is one register per VM
///    (`dist->propbaser`) that any vCPU's frame writes. Only values that differ from the target's
///    are written: the kernel sanitises every write, but not the reset value 0, so writing 0
///    back would leave 0x180 (found by the lab's round trip on 6.12).
/// 4. **Per vCPU, GICR_CTLR then the SGI frame**, and 5. **the distributor banks**, each with:
///    group and priority, then routing (IROUTER sets `target_vcpu`, where every later pending,
///    enable or active write queues the interrupt; QEMU: "targets before pending") and
///    configuration (QEMU: "config before pending"), then clear-then-set of the enables, the
///    line levels (`LEVEL_INFO`: the half of a level interrupt's pending state ISPENDR does not
///    hold), the pending latch (the uaccess ISPENDR write *replaces* the latch,
///    `vgic_v3_uaccess_write_pending`, and ICPENDR is RAZ/WI through uaccess, so no clear), and
///    clear-then-set of the active bits. Priority precedes pending because the kernel does not
///    re-sort an interrupt already queued when its priority changes (`vgic_mmio_write_priority`).
/// 6. **ICC per vCPU: SRE, then CTLR before BPR1 and the APRs**: ICC_BPR1 writes are ignored
///    while CBPR is set (`set_gic_bpr1`), and ICC_CTLR may lower PRIbits, which bounds the APR
///    index the kernel accepts (`set_gic_ctlr`, `vgic_v3_max_apr_idx`).
///
/// Not saved (their rows say `.notSaved` or `.identity`), because the kernel stores nothing there or only reports constants: GICD_STATUSR
/// (RAO/WI), GICR_STATUSR and GICR_WAKER (RAZ/WI), GICD_ITARGETSR, GICD_IGRPMODR,
/// GICR_IGRPMODR0 and GICR_NSACR (RAZ/WI), GICR_ICFGR0/1 (`vgic_mmio_write_config` ignores
/// INTIDs below 32: SGIs edge, PPIs level), the ID registers, GICR_IIDR, GICR_SYNCR, and the
/// write-only GICR_INVLPIR/INVALLR. GICD_TYPER, GICD_TYPER2 and GICR_TYPER are in the identity.
public enum RestoreOrder {
    public static let phases: [RestorePhase] = [
        RestorePhase(.distributor, [
            (.register(.gicdIIDR), "write back first (arm-vgic-v3.rst); revision gates groups and GICR_CTLR.{IR,CES}"),
            (.register(.gicdCTLR), "uaccess sets enabled/nASSGIreq directly (QEMU writes it first)"),
        ]),
        RestorePhase(.eachVCPU, [
            (.register(.gicrPROPBASER), "ignored once LPIs are enabled; one per VM, so before any GICR_CTLR; sanitised on write"),
            (.register(.gicrPENDBASER), "ignored once LPIs are enabled (vgic_mmio_write_pendbase); sanitised on write"),
        ]),
        RestorePhase(.eachVCPU, [
            (.register(.gicrCTLR), "after every PROPBASER/PENDBASER (Firecracker 3b943af0e)"),
            (.register(.gicrIGROUPR0), "group before the interrupt can be queued"),
            (.register(.gicrIPRIORITYR), "priority before pending (vgic_mmio_write_priority)"),
            (.register(.gicrICENABLER0), "uaccess ICENABLER clears; SGIs reset enabled"),
            (.register(.gicrISENABLER0), "sets exactly the saved enables"),
            (.lineLevels, "PPI line levels before the latch (anchors.md §4 item 6)"),
            (.register(.gicrISPENDR0), "uaccess write replaces the latch; ICPENDR is RAZ/WI"),
            (.register(.gicrICACTIVER0), "uaccess ICACTIVER clears"),
            (.register(.gicrISACTIVER0), "sets exactly the saved active bits"),
        ]),
        RestorePhase(.distributor, [
            (.register(.gicdIGROUPR), "group before the interrupt can be queued"),
            (.register(.gicdIPRIORITYR), "priority before pending (vgic_mmio_write_priority)"),
            (.register(.gicdIROUTER), "target before pending: queueing follows target_vcpu"),
            (.register(.gicdICFGR), "configuration before line levels and pending (QEMU)"),
            (.register(.gicdICENABLER), "uaccess ICENABLER clears"),
            (.register(.gicdISENABLER), "sets exactly the saved enables"),
            (.lineLevels, "SPI line levels before the latch (anchors.md §4 item 6)"),
            (.register(.gicdISPENDR), "uaccess write replaces the latch; ICPENDR is RAZ/WI"),
            (.register(.gicdICACTIVER), "uaccess ICACTIVER clears"),
            (.register(.gicdISACTIVER), "sets exactly the saved active bits"),
        ]),
        RestorePhase(.eachVCPU, [
            (.system(ICCRegister.iccSRE), "first: the system-register interface (QEMU); must keep SRE = 1"),
            (.system(ICCRegister.iccCTLR), "before BPR1 (CBPR gates it) and the APRs (PRIbits bounds them)"),
            (.system(ICCRegister.iccIGRPEN0), "no dependency"),
            (.system(ICCRegister.iccIGRPEN1), "no dependency"),
            (.system(ICCRegister.iccPMR), "no dependency"),
            (.system(ICCRegister.iccBPR0), "before BPR1, which reads BPR0 + 1 while CBPR is set"),
            (.system(ICCRegister.iccBPR1), "after CTLR: ignored while CBPR is set (set_gic_bpr1)"),
            (.activePriorities(group: 0), "after CTLR: index bounded by PRIbits (vgic_v3_max_apr_idx)"),
            (.activePriorities(group: 1), "after CTLR: index bounded by PRIbits (vgic_v3_max_apr_idx)"),
        ]),
    ]

    /// Every step, phase after phase.
    public static var steps: [RestoreStep] { phases.flatMap { $0.steps } }

    /// Registers some phase lists although their table row gives them no restore operation;
    /// empty (checked by the restore order tests).
    static var unrestorable: [GICv3Register] { phases.flatMap { $0.unrestorable } }

    /// The registers a snapshot saves in `scope`, in restore order: the distributor's, or each
    /// vCPU's. This is the whole of what capture reads besides the identity.
    public static func savedRegisters(_ scope: RestoreStep.Scope) -> [SnapshotRegister] {
        var registers: [SnapshotRegister] = []
        for phase in phases where phase.scope == scope {
            for step in phase.steps {
                if let register = step.savedRegister { registers.append(register) }
            }
        }
        return registers
    }
}
