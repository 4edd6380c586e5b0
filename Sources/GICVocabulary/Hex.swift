/// `value` in hex with a `0x` prefix (`hex(42)` is `"0x2a"`): how every message of the
/// package writes a register value, an address, an attr or a seed, without Foundation
/// (Embedded Swift has no format specifiers).
///
/// Lower case unless `uppercase`, which the differential fuzzer's seeds use so a scenario
/// detail names a seed the way the reproduction it printed does.
@inlinable
public func hex<Value: BinaryInteger>(_ value: Value, uppercase: Bool = false) -> String {
    "0x" + String(value, radix: 16, uppercase: uppercase)
}
