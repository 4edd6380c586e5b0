import Conformance
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LabHost

/// Two kernels: one clean, one that died after its first scenario.
let sampleResult = LabResult(kernels: [
    KernelResult(
        label: "6.12", release: "6.12.117+deb12-arm64", mode: .qemu, bootToVerdictMilliseconds: 6234,
        scenarios: [
            ScenarioRecord(
                name: "host.probe", status: .pass, detail: "aarch64, API 12",
                figures: [
                    Figure(name: "ipa_limit", value: 52, unit: "bits"),
                    Figure(name: "duration_us", value: 1_500_042, unit: "us"),
                ]),
            ScenarioRecord(name: "vgic.v5", status: .skip, detail: "no GICv5 <host>"),
        ]),
    KernelResult(
        label: "latest", release: "7.3.4+deb13-arm64", mode: .qemu, bootToVerdictMilliseconds: 300_000,
        scenarios: [
            ScenarioRecord(name: "host.probe", status: .pass, detail: "ok"),
            ScenarioRecord(name: "lab.runner", status: .fail, detail: "runner did not finish: boot timed out after 300 s & \"QEMU\" killed"),
        ]),
])

@Suite("Reports")
struct ReportTests {
    @Test("the JSON report decodes back with per-scenario name, kernel, status, detail, figures and totals")
    func jsonShape() throws {
        let data = try JSONReport(sampleResult).encoded()
        let decoded = try JSONDecoder().decode(JSONReport.self, from: data)
        #expect(decoded == JSONReport(sampleResult))
        #expect(decoded.scenarios.count == 4)
        #expect(decoded.scenarios[0].name == "host.probe")
        #expect(decoded.scenarios[0].kernel == "6.12.117+deb12-arm64")
        #expect(decoded.scenarios[0].status == .pass)
        #expect(decoded.scenarios[0].figures[0] == Figure(name: "ipa_limit", value: 52, unit: "bits"))
        #expect(decoded.scenarios[3].kernel == "7.3.4+deb13-arm64")
        #expect(decoded.scenarios[3].status == .fail)
        #expect(decoded.totals == Totals(passed: 2, failed: 1, skipped: 1))
        #expect(decoded.kernels.map(\.bootToVerdictMilliseconds) == [6234, 300_000])
        #expect(decoded.kernels.map(\.failed) == [0, 1])
    }

    @Test("the JSON report uses the documented key names, untyped")
    func jsonKeys() throws {
        let data = try JSONReport(sampleResult).encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["scenarios", "totals", "kernels"])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(Set(scenarios[0].keys) == ["name", "kernel", "status", "detail", "figures"])
        #expect(scenarios[1]["status"] as? String == "skip")
        let figure = try #require((scenarios[0]["figures"] as? [[String: Any]])?.first)
        #expect(figure["value"] as? Int == 52)
        #expect(figure["unit"] as? String == "bits")
        let totals = try #require(object["totals"] as? [String: Int])
        #expect(totals == ["passed": 2, "failed": 1, "skipped": 1])
        let kernels = try #require(object["kernels"] as? [[String: Any]])
        #expect(kernels[0]["boot_to_verdict_ms"] as? Int == 6234)
        #expect(kernels[0]["label"] as? String == "6.12")
    }

    @Test("JUnit XML: one testsuite per kernel, a testcase per scenario, failure and skipped elements")
    func junit() throws {
        let xml = JUnitReport.xml(sampleResult)
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(xml.contains(#"<testsuites name="kvm-gic conformance" tests="4" failures="1" skipped="1">"#))
        #expect(xml.contains(#"<testsuite name="6.12.117+deb12-arm64" tests="2" failures="0" errors="0" skipped="1" time="6.234000">"#))
        #expect(xml.contains(#"<testsuite name="7.3.4+deb13-arm64" tests="2" failures="1" errors="0" skipped="0" time="300.000000">"#))
        #expect(xml.contains(#"<testcase classname="6.12.117+deb12-arm64" name="host.probe" time="1.500042">"#))
        #expect(xml.contains(#"<skipped message="no GICv5 &lt;host&gt;"/>"#))
        #expect(xml.contains(#"<failure message="runner did not finish: boot timed out after 300 s &amp; &quot;QEMU&quot; killed" type="fail">"#))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 4)
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 1)
        // Well-formed: Foundation's parser accepts it.
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse())
    }

    @Test("XML escaping turns markup and control characters into safe text")
    func escaping() {
        #expect(JUnitReport.escape("a<b>&'\"\u{1}\n") == "a&lt;b&gt;&amp;&apos;&quot; &#10;")
    }

    @Test("seconds are formatted from microseconds without floating point", arguments: [
        (Int64(0), "0.000000"), (1, "0.000001"), (999_999, "0.999999"), (1_000_000, "1.000000"), (61_234_567, "61.234567"),
    ])
    func seconds(microseconds: Int64, expected: String) {
        #expect(JUnitReport.seconds(microseconds: microseconds) == expected)
    }
}
