import Testing
@testable import GICVocabulary
import TestSupport

extension SplitMix64 {
    /// The high 32 bits of the next output.
    mutating func next32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }
}

/// Runs a typed-throwing body and captures what happened, so a test can compare the whole outcome
/// (value or the exact error, payload included) with `==`.
func outcome<T>(_ body: () throws(GICValueError) -> T) -> Result<T, GICValueError> {
    do {
        return .success(try body())
    } catch {
        return .failure(error)
    }
}

/// Compares many outcomes but records at most a few issues, so an exhaustive sweep that goes wrong
/// stays readable.
struct MismatchRecorder {
    private(set) var count = 0
    let limit = 5

    mutating func check<T: Equatable>(
        _ actual: Result<T, GICValueError>, _ expected: Result<T, GICValueError>,
        _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard actual != expected else { return }
        count += 1
        if count <= limit {
            Issue.record("\(context()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
        }
    }
}

/// A StaticString as a String, for comparing table names in tests.
func text(_ s: StaticString) -> String { s.description }

@Suite("Test support")
struct TestSupportTests {
    @Test("SplitMix64 with seed 0 produces the published first outputs")
    func splitMixReference() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
