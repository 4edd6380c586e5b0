import GICVocabulary

/// What one access gave: a value, nothing (a write that succeeded), or the kernel's refusal.
///
/// The unit of comparison between kernel and model: "fails identically" is equality of two
/// `.refused` outcomes.
public enum AccessOutcome: Hashable, Sendable, CustomStringConvertible {
    /// A read's value (32-bit words zero-extended; 64-bit elements low word first).
    case value(UInt64)
    /// A write that was accepted.
    case done
    /// A refusal with this errno.
    case refused(KernelErrno)

    public var description: String {
        switch self {
        case .value(let value): hex(value)
        case .done: "success"
        case .refused(let errno): errno.description
        }
    }

    /// The outcome as Swift source, for printed test cases.
    public var swiftSource: String {
        switch self {
        case .value(let value): ".value(" + hexLiteral(value) + ")"
        case .done: ".done"
        case .refused(let errno): ".refused(" + errno.swiftSource + ")"
        }
    }
}

/// `0x…` with `_` every four digits, the way the package writes hex literals.
func hexLiteral(_ value: UInt64) -> String {
    let digits = Array(String(value, radix: 16, uppercase: true).utf8)
    var out: [UInt8] = Array("0x".utf8)
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 4 == 0 { out.append(UInt8(ascii: "_")) }
        out.append(digit)
    }
    return String(decoding: out, as: UTF8.self)
}
