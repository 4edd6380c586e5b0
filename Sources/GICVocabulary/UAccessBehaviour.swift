/// How a GICv3 register behaves when **userspace** reads or writes it through `KVM_{GET,SET}_DEVICE_ATTR`,
/// which is not always how the guest sees it.
///
/// Sources: the `uaccess_read`/`uaccess_write` hooks of `vgic_v3_dist_registers[]` and
/// `vgic_v3_rd_registers[]` in `vgic-mmio-v3.c`, and `Documentation/virt/kvm/devices/arm-vgic-v3.rst`
/// (GICVocabulary.docc/GICv3RegisterMap.md). A save/restore engine picks its strategy per register from this
/// value.
public enum UAccessBehaviour: Hashable, Sendable {
    /// Read and written as the guest would; save by reading, restore by writing back.
    case plain
    /// Userspace writes set the stored state directly, without the guest-visible side effects
    /// (GICD_CTLR: EnableGrp1A and nASSGIreq, `vgic_mmio_uaccess_write_v3_misc`).
    case directState
    /// Read-only: userspace writes are ignored (GICD_TYPER, GICR_TYPER, GICR_IIDR, GICR_SYNCR, ID regs).
    case readOnly
    /// The write is compared with what KVM would report and refused with EINVAL if it differs in a
    /// field that may not change (GICD_IIDR: only Revision 2 or 3 may be chosen; GICD_TYPER2: nASSGIcap
    /// may only be cleared or kept). Allowed before the vGIC is initialised.
    case checkedWrite
    /// Writing 1 sets the bit, 0 leaves it (ISENABLER, ISACTIVER); reads return the state. The
    /// userspace variants skip the side effects of a guest write (vCPU halting, HW IRQ masking).
    case setBits
    /// Writing 1 clears the bit, 0 leaves it (ICENABLER, ICACTIVER); reads return the state. A restore that
    /// replays frames in offset order would clear what the set register just set
    /// (GICVocabulary.docc/Pitfalls.md item 7).
    case clearBits
    /// ISPENDR: userspace reads and **replaces** the raw pending latch only (1 sets, 0 clears), for
    /// edge and level interrupts alike; a level interrupt's line level is in LEVEL_INFO instead.
    case latchOnly
    /// Reads as zero, writes ignored, for userspace (ICPENDR via uaccess) or for everyone (ITARGETSR
    /// with ARE set, IGRPMODR, NSACR, GICR_WAKER).
    case razWI
    /// IPRIORITYR: 8 bits per interrupt, of which KVM keeps the top 5 (`VGIC_PRI_BITS`): a written
    /// byte reads back as `byte & 0xF8`.
    case maskedPriority
    /// IROUTER: the low word keeps Aff2.Aff1.Aff0 (bits 23:0); the upper word (Aff3) is RAZ/WI
    /// because KVM does not implement Aff3 routing.
    case routing
    /// GICR_PROPBASER/PENDBASER: the written value is sanitised (shareability and cacheability
    /// fields, RES0 bits), and writes are ignored once LPIs are enabled.
    case sanitised
    /// Write-only commands (GICR_INVLPIR, GICR_INVALLR): reads are zero, and there is no state to save.
    case writeOnly
    /// GICD_STATUSR/GICR_STATUSR. The kernel doc says a userspace write "simply sets the non-reserved
    /// bits to the value written" (architecturally they are write-1-to-clear). The 7.1 code registers
    /// plain handlers with no uaccess hook (GICD RAO/WI, GICR RAZ/WI), so nothing is stored; read back
    /// instead of assuming.
    case statusSets
}
