/// Why the lab could not run at all (as opposed to a kernel run that failed, which is a
/// failed record in the result and does not stop the other kernels).
public enum LabError: Error, Equatable, CustomStringConvertible {
    /// No directory with `Package.swift` and `Scripts/lab` above the working directory or the
    /// executable.
    case repositoryNotFound(searchedFrom: String)
    /// A lab script that every kernel needs failed (host packages, runner build, initramfs).
    case stepFailed(step: String, status: Int32)
    /// A script could not even be started.
    case launchFailed(command: String, reason: String)
    /// A script's stdout lacked the path it promises as its last line.
    case missingOutput(step: String)
    /// SIGINT or SIGTERM stopped the lab (`LabInterruption`); the lab turns this into a
    /// `lab.interrupted` record, so callers of `runInQEMU` never see it.
    case interrupted(signal: Int32)

    public var description: String {
        switch self {
        case .repositoryNotFound(let start):
            "cannot find the swift-kvm-gic package root (Package.swift and Scripts/lab) from \(start); run from the package"
        case .stepFailed(let step, let status):
            "\(step) failed with exit status \(status)"
        case .launchFailed(let command, let reason):
            "cannot run \(command): \(reason)"
        case .missingOutput(let step):
            "\(step) printed no output path"
        case .interrupted(let signal):
            "interrupted by \(LabInterruption.name(of: signal))"
        }
    }
}
