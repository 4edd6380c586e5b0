/// Which Debian arm64 kernel the lab boots, as `fetch-kernel.sh` names them.
public enum KernelKind: String, Sendable, Equatable, CaseIterable {
    /// bookworm's newest 6.12.
    case v6_12 = "6.12"
    /// The newest 7.x from sid or trixie-backports.
    case latest = "latest"
    /// No kernel: the GICv5 guest lab on QEMU 11's TCG GICv5 (`ConformanceLab+GICv5.swift`).
    case gicv5 = "gicv5"
}
