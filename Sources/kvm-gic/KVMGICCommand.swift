import ArgumentParser

/// `kvm-gic`: host-side tools for swift-kvm-gic.
@main
struct KVMGICCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvm-gic",
        abstract: "Create and check Linux KVM's in-kernel Arm GIC from Swift.",
        subcommands: [ProbeCommand.self, ConformanceCommand.self, SnapshotCommand.self, ModelBenchCommand.self]
    )
}
