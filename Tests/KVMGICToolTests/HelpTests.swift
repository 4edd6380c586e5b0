import Testing

@Suite("kvm-gic: help and usage")
struct HelpTests {
    @Test("an unknown subcommand is a usage error (64) on stderr, nothing on stdout")
    func unknownSubcommand() throws {
        let run = try ToolRun.run(["no-such-command"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(!run.stderr.isEmpty)
    }
}

@Suite("kvm-gic probe")
struct ProbeCommandTests {
    @Test("a host without a usable arm64 KVM is status 2 with the reason as one stderr line")
    func noKVM() throws {
        let run = try ToolRun.run(["probe", "--device", "/nonexistent/kvm"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("kvm-gic probe: no /nonexistent/kvm: this machine has no KVM") == true)
    }
}
