/// Which GIC frame a guest MMIO step addresses; its base comes from the vCPU's context block,
/// so one program works on every vCPU (each reaches its own redistributor).
public enum GuestFrame: UInt16, Sendable, CaseIterable {
    /// The offset is a guest-physical address.
    case absolute = 0
    /// GICD.
    case distributor = 1
    /// This vCPU's redistributor RD_base frame.
    case redistributor = 2
    /// This vCPU's redistributor SGI_base frame (RD_base + 64 KiB): SGI/PPI state.
    case redistributorSGI = 3
}
