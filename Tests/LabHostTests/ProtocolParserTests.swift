import Conformance
import Testing

@testable import LabHost

/// A clean run as the runner prints it (`Conformance.LineProtocol`).
let cleanTranscript = """
    @@BEGIN\t6.12.117+deb12-arm64\t2
    conformance: running host.probe
    @@SCENARIO\thost.probe\tpass\taarch64, API 12, ARM_VGIC_V3(7) yes
    @@FIGURE\thost.probe\tipa_limit\t52\tbits
    @@FIGURE\thost.probe\tmax_vcpus\t512\tvcpus
    @@FIGURE\thost.probe\tduration_us\t1234\tus
    conformance: running vgic.v5_unsupported
    @@SCENARIO\tvgic.v5_unsupported\tskip\thost has no GICv5
    @@FIGURE\tvgic.v5_unsupported\tduration_us\t7\tus
    @@END\t1\t0\t1
    """

@Suite("Runner line protocol parser")
struct ProtocolParserTests {
    @Test("a clean run gives every scenario with its status, detail and figures")
    func clean() {
        let output = ProtocolParser.parse(cleanTranscript)
        #expect(output.finished)
        #expect(output.kernelRelease == "6.12.117+deb12-arm64")
        #expect(output.announcedCount == 2)
        #expect(output.scenarios.map(\.name) == ["host.probe", "vgic.v5_unsupported"])
        #expect(output.scenarios.map(\.status) == [.pass, .skip])
        #expect(output.scenarios[0].detail == "aarch64, API 12, ARM_VGIC_V3(7) yes")
        #expect(output.scenarios[0].figures == [
            Figure(name: "ipa_limit", value: 52, unit: "bits"),
            Figure(name: "max_vcpus", value: 512, unit: "vcpus"),
            Figure(name: "duration_us", value: 1234, unit: "us"),
        ])
        #expect(output.scenarios[0].durationMicroseconds == 1234)
        #expect(Totals(output.scenarios) == Totals(passed: 1, failed: 0, skipped: 1))
    }

    @Test("kernel console noise between and in front of records is ignored")
    func noisy() {
        let noisy = """
            [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x000f0510]
            [    1.234567] kvm [1]: VHE mode initialized successfully
            [    2.000001] random: crng init done\r
            @@BEGIN\t7.3.4+deb13-arm64\t1\r
            [    2.100000] Run /init as init process
            [    2.2] some driver message@@SCENARIO\thost.probe\tfail\tvgic-v3 cannot be created\r
            @@FIGURE\thost.probe\tduration_us\t99\tus
            @@ not a record
            @@SCENARIO\tbroken line with too few fields
            @@FIGURE\thost.probe\tipa_limit\tNaN\tbits
            [    3.000000] reboot: Power down
            @@END\t0\t1\t0
            """
        let output = ProtocolParser.parse(noisy)
        #expect(output.finished)
        #expect(output.kernelRelease == "7.3.4+deb13-arm64")
        #expect(output.scenarios == [
            ScenarioRecord(
                name: "host.probe", status: .fail, detail: "vgic-v3 cannot be created",
                figures: [Figure(name: "duration_us", value: 99, unit: "us")])
        ])
    }

    @Test("feed reports what each line was, for streaming")
    func events() {
        var parser = ProtocolParser()
        #expect(parser.feed("@@BEGIN\t6.12\t3\n") == .begin(kernelRelease: "6.12", scenarioCount: 3))
        #expect(parser.feed("@@SCENARIO\ta.b\tskip\tno GICv5") == .scenario(name: "a.b", status: .skip, detail: "no GICv5"))
        #expect(parser.feed("@@FIGURE\ta.b\tx\t-5\tns") == .figure(scenario: "a.b", Figure(name: "x", value: -5, unit: "ns")))
        #expect(parser.feed("@@SCENARIO\ta.c\tmaybe\tunknown status") == .text("@@SCENARIO\ta.c\tmaybe\tunknown status"))
        #expect(parser.feed("hello") == .text("hello"))
        #expect(!parser.hasVerdict)
        #expect(parser.feed("@@END\t0\t0\t1") == .end(Totals(passed: 0, failed: 0, skipped: 1)))
        #expect(parser.hasVerdict)
    }

    @Test("a run that dies mid-way keeps its records and fails with 'runner did not finish'")
    func truncated() {
        let transcript = """
            @@BEGIN\t6.12.117+deb12-arm64\t3
            conformance: running host.probe
            @@SCENARIO\thost.probe\tpass\tok
            conformance: running vgic_init.redist_overlap
            [    4.5] Unable to handle kernel paging request at virtual address 0000000000000008
            """
        let output = ProtocolParser.parse(transcript)
        #expect(!output.finished)
        #expect(output.scenarios.map(\.name) == ["host.probe", "lab.runner"])
        #expect(output.scenarios[0].status == .pass)
        #expect(output.scenarios[1].status == .fail)
        #expect(output.scenarios[1].detail == "runner did not finish (last started: vgic_init.redist_overlap)")
    }

    @Test("no output at all is a failure, not an empty success")
    func empty() {
        let output = ProtocolParser.parse("[    0.0] Booting Linux\nKernel panic - not syncing: VFS")
        #expect(!output.finished)
        #expect(output.kernelRelease == nil)
        #expect(output.scenarios == [
            ScenarioRecord(name: "lab.runner", status: .fail, detail: "runner did not finish (it never started: no @@BEGIN)")
        ])
    }

    @Test("@@END totals that disagree with the records received are a failure")
    func lostRecord() {
        let transcript = """
            @@BEGIN\tr\t2
            @@SCENARIO\ta\tpass\tok
            @@SCENARIO\tb\tpa[ 3.1] noise cut this record
            @@END\t2\t0\t0
            """
        let output = ProtocolParser.parse(transcript)
        #expect(output.finished)
        #expect(output.scenarios.map(\.name) == ["a", "lab.runner"])
        #expect(output.scenarios[1].status == .fail)
        #expect(output.scenarios[1].detail.hasPrefix("runner reported 2 passed, 0 failed, 0 skipped but the lab received 1 passed"))
    }
}
