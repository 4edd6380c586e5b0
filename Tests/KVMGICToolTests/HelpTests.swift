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
