import GICModel
import GICv5Model

/// The machine under the simulated kernel: which GIC the host has, and so which vgic devices
/// `KVM_CREATE_DEVICE` offers and what they report.
public enum SimulatedHost: Hashable, Sendable {
    /// A GICv3 host: vgic-v3 and its ITS, whose vCPUs get this CPU interface (ICH_VTR_EL2 as
    /// ICC_CTLR_EL1 reports it; `vgic_v3_enable`). No GICv2 compatibility: vgic-v2 is ENODEV.
    case gicv3(HostCPUInterface)
    /// A GICv5 host without legacy GICv3 support: vgic-v5 only. The configuration's vCPU count is
    /// ignored (CTRL_INIT takes the vCPUs the VM has); the rest decides the implemented PPIs and
    /// whether the IRS takes SPIs (`spiCount` > 0, which no released kernel does).
    /// `userspacePPIs`, when given, replaces what `vgic_v5_init` computes (SW_PPI ∩ implemented),
    /// standing for a later kernel that lets userspace drive more PPIs.
    case gicv5(GICv5VMConfiguration, userspacePPIs: PPISet? = nil)

    /// QEMU's `-cpu max` GICv3, the lab's host.
    public static let qemuMax = SimulatedHost.gicv3(.qemuMax)
    /// A GICv5 host running Linux 7.1 as released: no host PMU, no GICv5 SPIs.
    public static let gicv5Linux7_1 = SimulatedHost.gicv5(GICv5VMConfiguration())

    /// ID_AA64PFR2_EL1 as userspace reads it from a vCPU: GCIE (bits 15:12) is 1 on a GICv5 host,
    /// 0 on a GICv3 one; the other fields are not modelled and read 0.
    ///
    /// On a GICv5 host the VM's copy keeps the host's GCIE (`no-vgic.c` decides to run its GICv5
    /// half from exactly this read on a VM without any GIC), and creating a vgic-v5 sets it
    /// (`kvm_vgic_finalize_idregs`); only a VM that first runs without a GIC has it hidden, and
    /// nothing here runs.
    var idAA64PFR2: UInt64 {
        switch self {
        case .gicv3: 0
        case .gicv5: 1 << 12
        }
    }

    /// The vgic device types `KVM_CREATE_DEVICE` accepts on this host.
    var deviceTypes: Set<SimulatedDevice.Kind> {
        switch self {
        case .gicv3: [.gicv3, .its]
        case .gicv5: [.gicv5]
        }
    }
}
