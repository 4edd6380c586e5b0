/// Any GICv3 INTID, classified into its kind.
///
/// The GICv3.1 INTID map, from the bottom: SGI 0–15, PPI 16–31, SPI 32–1019, special 1020–1023,
/// (reserved 1024–1055), extended PPI 1056–1119, (reserved 1120–4095), extended SPI 4096–5119,
/// (reserved 5120–8191), LPI 8192 and up. Every `UInt32` is either one of the cases or lies in one of
/// the three reserved holes, which `init(rawValue:)` rejects with `.reservedRange`.
///
/// These are GICv3 numbers only. A GICv5 INTID carries its type in bits 31:29 and must be decoded
/// with `GICv5InterruptID`; classifying one here would call it an LPI.
public enum GICv3InterruptID: Hashable, Sendable {
    case sgi(SGI)
    case ppi(PPI)
    case spi(SPI)
    case special(SpecialINTID)
    case extendedPPI(ExtendedPPI)
    case extendedSPI(ExtendedSPI)
    case lpi(LPI)

    /// The holes in the INTID map that no kind claims.
    public static let reservedRanges: [ClosedRange<UInt32>] = [1024...1055, 1120...4095, 5120...8191]

    /// Classifies `rawValue`; throws `.reservedRange(field: .gicv3INTID, …)` for the holes
    /// 1024–1055, 1120–4095 and 5120–8191.
    public init(rawValue: UInt32) throws(GICValueError) {
        // Each branch constructs through the kind's own validating init, so the ranges live in one
        // place (the kind types) and cannot drift from this classifier.
        if SGI.intids.contains(rawValue) {
            self = .sgi(try SGI(intid: rawValue))
        } else if PPI.intids.contains(rawValue) {
            self = .ppi(try PPI(intid: rawValue))
        } else if SPI.intids.contains(rawValue) {
            self = .spi(try SPI(intid: rawValue))
        } else if let special = SpecialINTID(rawValue: rawValue) {
            self = .special(special)
        } else if ExtendedPPI.intids.contains(rawValue) {
            self = .extendedPPI(try ExtendedPPI(intid: rawValue))
        } else if ExtendedSPI.intids.contains(rawValue) {
            self = .extendedSPI(try ExtendedSPI(intid: rawValue))
        } else if LPI.intids.contains(rawValue) {
            self = .lpi(try LPI(intid: rawValue))
        } else {
            for hole in Self.reservedRanges where hole.contains(rawValue) {
                throw .reservedRange(
                    field: .gicv3INTID, value: UInt64(rawValue),
                    reserved: UInt64(hole.lowerBound)...UInt64(hole.upperBound))
            }
            // Unreachable: the kinds and the holes tile 0...UInt32.max (pinned by the exhaustive
            // test). Report it as a reserved value rather than trap.
            throw .reservedRange(field: .gicv3INTID, value: UInt64(rawValue),
                                 reserved: UInt64(rawValue)...UInt64(rawValue))
        }
    }

    /// The INTID.
    public var rawValue: UInt32 {
        switch self {
        case .sgi(let id): return id.intid
        case .ppi(let id): return id.intid
        case .spi(let id): return id.intid
        case .special(let id): return id.intid
        case .extendedPPI(let id): return id.intid
        case .extendedSPI(let id): return id.intid
        case .lpi(let id): return id.intid
        }
    }

    /// True for interrupts banked per PE (SGIs, PPIs, extended PPIs): using one needs a vCPU too.
    public var isPrivate: Bool {
        switch self {
        case .sgi, .ppi, .extendedPPI: return true
        case .spi, .special, .extendedSPI, .lpi: return false
        }
    }
}
