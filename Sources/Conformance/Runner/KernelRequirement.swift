/// Something a scenario needs of its kernel beyond the ioctls every backend answers.
///
/// A scenario declares these (`Scenario(_:requires:_:)`) instead of testing for a backend, so
/// the reason it cannot run is stated once, where it is declared, and a backend without the
/// capability skips it with that reason before any of its code runs. The live kernel has all of
/// them, so in the lab such a scenario runs unchanged.
public enum KernelRequirement: Sendable, Equatable {
    /// `KVM_RUN` enters a guest: the verdict is an exit, or a refusal the kernel makes only at
    /// the first run. The simulated kernel's `KVM_RUN` returns at once without running anything.
    case guestExecution
    /// The device and VM fds are the kernel's own, so a C loop can issue ioctls on them without
    /// the KVM layer's choke point (the `overhead.*` baselines). A simulator's fds are numbers it
    /// made up: an ioctl on one would reach whatever the process has open under that number.
    case kernelDescriptors

    /// Why a simulated kernel skips a scenario that needs this: the skip detail.
    public var reasonWhenSimulated: String {
        switch self {
        case .guestExecution:
            "guest execution: the simulated kernel does not run guests"
        case .kernelDescriptors:
            "raw kernel fds: the C baseline issues ioctls outside the KVM layer, which a simulated kernel's fds cannot take"
        }
    }
}
