import ArgumentParser
import LabHost

/// `--qemu 7.2|11`.
extension LabQEMU: ExpressibleByArgument {}
