/// The QEMU that emulates the lab's arm64 host (EL2, GICv3) for the kernels: QEMU 11 from
/// trixie-backports in the cache's trixie root (`fetch-qemu.sh`, the one the GICv5 lab uses), the
/// default, or the host system's (Debian bookworm's 7.2). QEMU 11 is the default because every
/// scenario gives the same verdict on both and it is faster (README, "QEMU 11 as the lab's
/// host": boot to verdict 76 s vs 93 s on 6.12, an ioctl about three times cheaper). The GICv5
/// lab always uses QEMU 11.
public enum LabQEMU: String, Sendable, Equatable, CaseIterable {
    case v7_2 = "7.2"
    case v11 = "11"

    /// What the lab boots the kernels on unless told otherwise.
    public static let standard = LabQEMU.v11
}
