/// Shared checks behind every validating initialiser, so each rule is written once and each failure
/// carries the payload `GICValueError` promises.

/// Throws `.outOfRange` unless `allowed` contains `value`.
@inline(__always)
func require<T: FixedWidthInteger & UnsignedInteger>(
    _ value: T, in allowed: ClosedRange<T>, _ field: GICValueError.Field
) throws(GICValueError) {
    guard allowed.contains(value) else {
        throw .outOfRange(
            field: field,
            value: UInt64(truncatingIfNeeded: value),
            allowed: UInt64(truncatingIfNeeded: allowed.lowerBound)...UInt64(truncatingIfNeeded: allowed.upperBound)
        )
    }
}

/// Throws `.reservedBitsSet` if `value` has any bit of `mask` set.
@inline(__always)
func requireClear(_ value: UInt64, mask: UInt64, _ field: GICValueError.Field) throws(GICValueError) {
    guard value & mask == 0 else {
        throw .reservedBitsSet(field: field, value: value, reservedMask: mask)
    }
}

/// Throws `.misaligned` unless `value` is a multiple of `alignment` (a power of two).
@inline(__always)
func requireAligned(_ value: UInt64, to alignment: UInt64, _ field: GICValueError.Field) throws(GICValueError) {
    guard value & (alignment &- 1) == 0 else {
        throw .misaligned(field: field, value: value, alignment: alignment)
    }
}
