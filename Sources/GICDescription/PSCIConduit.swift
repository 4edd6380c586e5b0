/// How the guest calls PSCI, the `method` of the `psci` node: KVM answers `hvc` from an EL1
/// guest; `smc` is for a guest with EL2, whose own HVCs its hypervisor handles
/// (GICDescription.docc/GICBinding.md, "The machine").
public enum PSCIConduit: String, Hashable, Sendable, CustomStringConvertible {
    case hvc
    case smc

    public var description: String { rawValue }
}
