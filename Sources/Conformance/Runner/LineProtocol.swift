/// The runner's output format: one line per record, tab-separated, each starting with `@@`.
///
///     @@BEGIN     <kernel release> <scenario count>
///     @@SCENARIO  <name> <pass|fail|skip> <detail>
///     @@FIGURE    <scenario> <name> <value> <unit>
///     @@END       <passed> <failed> <skipped>
///
/// It travels over a serial console shared with kernel messages, so it is line-based with a
/// marker a parser can find inside noise, and free text never contains the field or record
/// separators (tabs, CR and LF become spaces). The host side (`LabHost`) parses exactly this.
public enum LineProtocol {
    public static func begin(kernelRelease: String, scenarioCount: Int) -> String {
        "@@BEGIN\t" + field(kernelRelease) + "\t\(scenarioCount)"
    }

    public static func scenario(_ name: String, _ outcome: Outcome) -> String {
        "@@SCENARIO\t" + field(name) + "\t" + outcome.status + "\t" + field(outcome.detail)
    }

    public static func figure(_ scenario: String, _ figure: Figure) -> String {
        "@@FIGURE\t" + field(scenario) + "\t" + field(figure.name) + "\t\(figure.value)\t" + field(figure.unit)
    }

    public static func end(_ totals: Totals) -> String {
        "@@END\t\(totals.passed)\t\(totals.failed)\t\(totals.skipped)"
    }

    /// `text` with tab, CR and LF replaced by spaces, so it stays one field of one line.
    /// Works on UTF-8 bytes: no Unicode tables needed in the Embedded build.
    public static func field(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            bytes.append(byte == 9 || byte == 10 || byte == 13 ? 32 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
