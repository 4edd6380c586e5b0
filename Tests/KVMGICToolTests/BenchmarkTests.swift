import Testing

@Suite("kvm-gic-bench: the instruction-count benchmark runs (its figures come from Scripts/bench-instructions.sh)")
struct BenchmarkTests {
    @Test("a tiny run issues every case's calls through the null kernel and names them in order")
    func tinyRun() throws {
        let run = try ToolRun.run(["3"], tool: "kvm-gic-bench")
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.split(separator: "\n") == [
            "swift.vgic.irq_line 6 KVM_IRQ_LINE",
            "swift.kvm.irq_line 6 KVM_IRQ_LINE",
            "c.irq_line 6 KVM_IRQ_LINE",
            "swift.vgic.get_device_attr 3 KVM_GET_DEVICE_ATTR",
            "swift.kvm.get_device_attr 3 KVM_GET_DEVICE_ATTR",
            "c.get_device_attr 3 KVM_GET_DEVICE_ATTR",
        ])
    }

    @Test("an iteration count that is not a positive number is a usage error (64) on stderr", arguments: ["0", "-2", "many"])
    func badCount(argument: String) throws {
        let run = try ToolRun.run([argument], tool: "kvm-gic-bench")
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines == ["usage: kvm-gic-bench [iterations > 0]"])
    }
}
