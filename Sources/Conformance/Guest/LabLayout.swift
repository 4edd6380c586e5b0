import VGIC

/// The GIC frame addresses the lab's scenarios use when the layout itself is not under test:
/// distributor at 8 MiB and legacy redistributors from 16 MiB, clear of the guest RAM at 1 GiB
/// (`StraightLineGuest.ramBase`) and the MMIO exit address.
enum LabLayout {
    static let distributor: UInt64 = 0x0080_0000
    static let redistributors: UInt64 = 0x0100_0000
    /// The ITS frame (128 KiB, 64 KiB-aligned) of the guest cases that have one, between the
    /// distributor and the redistributors.
    static let its: UInt64 = 0x0090_0000

    /// A vgic-v3 for `vcpuCount` vCPUs with `interruptCount` INTIDs (nil: the kernel's default),
    /// with an ITS at `its` if `withITS`.
    static func v3(vcpuCount: Int, interruptCount: UInt32? = nil, withITS: Bool = false) -> VGICConfiguration {
        VGICConfiguration.v3(
            distributor: distributor, redistributors: .legacy(base: redistributors), its: withITS ? its : nil,
            interruptCount: interruptCount)
    }
}
