import GICVocabulary
import VGIC

/// What a snapshot says about the vgic it came from: everything a restore must find unchanged in
/// its target before it writes anything (Firecracker #2234: a bare list of values restored into
/// a vgic with another interrupt count lands in the wrong registers).
///
/// Read from the kernel at capture (`SnapshotIdentity(reading:)`), and read the same way from a
/// restore target, so the two compare field by field (`SnapshotMismatch`).
public struct SnapshotIdentity: Hashable, Sendable {
    /// The GIC model. Only GICv3 can be captured today.
    public var gicVersion: GICVersion
    /// GICD_IIDR: implementer, product and the revision (2 or 3) the guest was shown. Written
    /// back first on restore (arm-vgic-v3.rst: "userspace should set it before any other register").
    public var iidr: UInt32
    /// GICD_TYPER: ITLinesNumber (so NR_IRQS) and LPIS (whether an ITS was present).
    public var typer: UInt32
    /// GICD_TYPER2 (nASSGIcap); the kernel refuses to change it after CTRL_INIT (EBUSY), so a
    /// target must already agree.
    public var typer2: UInt32
    /// NR_IRQS: SGIs + PPIs + SPIs, a multiple of 32 in 64...992.
    public var interruptCount: UInt32
    /// Where the distributor and redistributors are in guest-physical space.
    public var frames: FrameLayout
    /// The vCPUs, in the order the snapshot's per-vCPU state follows.
    public var vcpus: [VCPULayout]

    public init(
        gicVersion: GICVersion, iidr: UInt32, typer: UInt32, typer2: UInt32, interruptCount: UInt32,
        frames: FrameLayout, vcpus: [VCPULayout]
    ) {
        self.gicVersion = gicVersion
        self.iidr = iidr
        self.typer = typer
        self.typer2 = typer2
        self.interruptCount = interruptCount
        self.frames = frames
        self.vcpus = vcpus
    }

    /// GICD_TYPER.LPIS (bit 17): the vgic had an ITS. Its state is not part of format version 1.
    public var hasITS: Bool { typer & (1 << 17) != 0 }

    /// NR_IRQS as GICD_TYPER states it: (ITLinesNumber + 1) × 32 (`vgic_mmio_read_v3_misc`).
    public var typerInterruptCount: UInt32 { ((typer & 0x1F) + 1) * 32 }

    /// GICD_IIDR.Revision [15:12].
    public var revision: UInt32 { (iidr >> 12) & 0xF }
}

/// One vCPU as the vgic knows it.
public struct VCPULayout: Hashable, Sendable {
    /// The vCPU id and the affinity every per-vCPU attr selects it by.
    public var identity: VCPUIdentity
    /// GICR_TYPER: affinity, processor number, Last (the redistributor's place in its region)
    /// and PLPIS.
    public var redistributorType: UInt64
    /// ICC_CTLR_EL1.PRIbits + 1, which fixes the number of active-priority registers.
    public var priorityBits: UInt32

    public init(identity: VCPUIdentity, redistributorType: UInt64, priorityBits: UInt32) {
        self.identity = identity
        self.redistributorType = redistributorType
        self.priorityBits = priorityBits
    }

    /// ICC_AP0Rn / ICC_AP1Rn registers per group: 1, 2 or 4 for 5, 6 or 7 priority bits.
    public var activePriorityCount: Int {
        Int(ICCRegister.maxAPRIndex(priorityBits: priorityBits)) + 1
    }
}

/// The guest-physical placement of the GICv3 frames, as read back from the kernel.
public struct FrameLayout: Hashable, Sendable {
    /// The distributor base, or `UInt64.max` (the kernel's `VGIC_ADDR_UNDEF`) if none was set.
    public var distributorBase: UInt64
    /// The redistributors, or nil if none were placed.
    public var redistributors: Redistributors?

    public init(distributorBase: UInt64, redistributors: Redistributors?) {
        self.distributorBase = distributorBase
        self.redistributors = redistributors
    }
}
