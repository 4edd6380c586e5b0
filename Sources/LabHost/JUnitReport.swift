/// The JUnit XML report (`--junit FILE`), the format CI systems (GitLab, Jenkins, GitHub
/// test reporters) already display.
///
/// One `<testsuite>` per kernel (named by its release), one `<testcase>` per scenario with
/// `classname` = the kernel too, so the same scenario on two kernels stays two rows.
/// A failure is `<failure message=detail>`, a skip `<skipped message=reason>`; the detail and
/// the figures are also in `<system-out>`. Times are seconds with microsecond precision,
/// from the scenario's `duration_us` and the kernel's boot-to-verdict time.
public enum JUnitReport {
    public static func xml(_ result: LabResult) -> String {
        let totals = result.totals
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="kvm-gic conformance" tests="\#(totals.passed + totals.failed + totals.skipped)""#
            + #" failures="\#(totals.failed)" skipped="\#(totals.skipped)">"# + "\n"
        for kernel in result.kernels {
            out += suite(kernel)
        }
        out += "</testsuites>\n"
        return out
    }

    static func suite(_ kernel: KernelResult) -> String {
        let totals = kernel.totals
        let name = escape(kernel.release)
        var out = #"  <testsuite name="\#(name)" tests="\#(kernel.scenarios.count)""#
            + #" failures="\#(totals.failed)" errors="0" skipped="\#(totals.skipped)""#
        if let ms = kernel.bootToVerdictMilliseconds { out += #" time="\#(seconds(microseconds: Int64(ms) * 1000))""# }
        out += ">\n"
        out += "    <properties>\n"
        out += #"      <property name="label" value="\#(escape(kernel.label))"/>"# + "\n"
        out += #"      <property name="mode" value="\#(kernel.mode.rawValue)"/>"# + "\n"
        if let ms = kernel.bootToVerdictMilliseconds {
            out += #"      <property name="boot_to_verdict_ms" value="\#(ms)"/>"# + "\n"
        }
        out += "    </properties>\n"
        for scenario in kernel.scenarios {
            out += testcase(scenario, classname: name)
        }
        out += "  </testsuite>\n"
        return out
    }

    static func testcase(_ scenario: ScenarioRecord, classname: String) -> String {
        var out = #"    <testcase classname="\#(classname)" name="\#(escape(scenario.name))""#
        if let us = scenario.durationMicroseconds { out += #" time="\#(seconds(microseconds: us))""# }
        out += ">\n"
        let detail = escape(scenario.detail)
        switch scenario.status {
        case .pass: break
        case .fail: out += #"      <failure message="\#(detail)" type="fail">\#(detail)</failure>"# + "\n"
        case .skip: out += #"      <skipped message="\#(detail)"/>"# + "\n"
        }
        var text = scenario.status.rawValue + ": " + scenario.detail
        for figure in scenario.figures {
            text += "\n" + ConsoleFormat.figureText(figure)
        }
        out += "      <system-out>\(escape(text))</system-out>\n"
        out += "    </testcase>\n"
        return out
    }

    /// `1234567` µs as `"1.234567"`: integer arithmetic, no locale, no floating point.
    static func seconds(microseconds: Int64) -> String {
        let value = max(microseconds, 0)
        let fraction = String(value % 1_000_000)
        return "\(value / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// XML text/attribute escaping; control characters XML 1.0 cannot carry become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
