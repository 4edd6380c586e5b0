import ArgumentParser
import LabHost

/// `--kernel 6.12|latest|all`: which Debian arm64 kernels the lab boots.
enum ConformanceKernelSelection: String, ExpressibleByArgument, CaseIterable {
    case v6_12 = "6.12"
    case latest
    /// The GICv5 guest lab on QEMU 11 (no kernel).
    case gicv5
    case all

    var kernels: [KernelKind] {
        switch self {
        case .v6_12: [.v6_12]
        case .latest: [.latest]
        case .gicv5: [.gicv5]
        case .all: KernelKind.allCases
        }
    }
}
