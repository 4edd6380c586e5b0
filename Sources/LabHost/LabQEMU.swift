/// The QEMU that emulates the lab's arm64 host (EL2, GICv3) for the kernels: the host system's
/// (Debian bookworm's 7.2, the default) or QEMU 11 from trixie-backports in the cache's trixie
/// root (`fetch-qemu.sh`, the one the GICv5 lab uses). The GICv5 lab always uses QEMU 11.
public enum LabQEMU: String, Sendable, Equatable, CaseIterable {
    case v7_2 = "7.2"
    case v11 = "11"
}
