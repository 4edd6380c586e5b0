import GICVocabulary

/// One readable element of the vgic's userspace-visible state, at the granularity of the `VGIC`
/// read API: what a full comparison reads and what a difference names.
public enum RegisterLocation: Hashable, Sendable {
    /// Element `index` of a distributor register (DIST_REGS).
    case distributor(GICv3Register, index: UInt32)
    /// Element `index` of a redistributor register of the vCPU with affinity `vcpu` (REDIST_REGS).
    case redistributor(GICv3Register, index: UInt32, vcpu: Affinity)
    /// The 32 line levels from `firstINTID` on `vcpu` (LEVEL_INFO).
    case lineLevels(vcpu: Affinity, firstINTID: UInt32)
    /// An ICC register of `vcpu` (CPU_SYSREGS).
    case systemRegister(ICCRegister, vcpu: Affinity)

    /// The register's architectural name, or "LEVEL_INFO".
    public var registerName: String {
        switch self {
        case .distributor(let register, _), .redistributor(let register, _, _):
            text(register.name)
        case .lineLevels:
            "LEVEL_INFO"
        case .systemRegister(let register, _):
            text(register.name)
        }
    }

    /// The selector, for per-vCPU locations.
    public var vcpu: Affinity? {
        switch self {
        case .distributor: nil
        case .redistributor(_, _, let vcpu), .lineLevels(let vcpu, _), .systemRegister(_, let vcpu): vcpu
        }
    }

    /// The location as Swift source, for printed test cases.
    public var swiftSource: String {
        switch self {
        case .distributor(let register, let index):
            ".distributor(." + register.swiftName + ", index: \(index))"
        case .redistributor(let register, let index, let vcpu):
            ".redistributor(." + register.swiftName + ", index: \(index), vcpu: " + vcpu.swiftSource + ")"
        case .lineLevels(let vcpu, let first):
            ".lineLevels(vcpu: " + vcpu.swiftSource + ", firstINTID: \(first))"
        case .systemRegister(let register, let vcpu):
            ".systemRegister(" + register.swiftSource + ", vcpu: " + vcpu.swiftSource + ")"
        }
    }
}

/// A StaticString as a String, without Foundation.
func text(_ string: StaticString) -> String {
    string.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
}

extension GICv3Register {
    /// The name of the static property that holds this register in the vocabulary table:
    /// "GICD_IROUTER" → `gicdIROUTER`, "GICR_ISENABLER0" → `gicrISENABLER0`.
    public var swiftName: String {
        var out: [UInt8] = []
        var inPrefix = true
        name.withUTF8Buffer { bytes in
            for byte in bytes {
                if inPrefix && byte == UInt8(ascii: "_") {
                    inPrefix = false
                    continue
                }
                out.append(inPrefix && byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension ICCRegister {
    /// `ICCRegister.iccPMR`: the typed static, so a printed reproduction compiles as pasted.
    public var swiftSource: String { "ICCRegister." + swiftName }
}

extension Affinity {
    /// `Affinity(packed: 0x…)`.
    public var swiftSource: String { "Affinity(packed: " + hexLiteral(UInt64(packed)) + ")" }
}

extension GICv3Operation {
    /// The operation as Swift source, for printed test cases.
    public var swiftSource: String {
        switch self {
        case .setLine(let word, let level):
            ".setLine(IRQLineWord(rawValue: " + hexLiteral(UInt64(word.rawValue)) + "), level: \(level))"
        case .writeDistributor(let register, let index, let value):
            ".writeDistributor(." + register.swiftName + ", index: \(index), value: " + hexLiteral(value) + ")"
        case .writeRedistributor(let register, let index, let vcpu, let value):
            ".writeRedistributor(." + register.swiftName + ", index: \(index), vcpu: " + vcpu.swiftSource
                + ", value: " + hexLiteral(value) + ")"
        case .writeLineLevels(let vcpu, let first, let bitmap):
            ".writeLineLevels(vcpu: " + vcpu.swiftSource + ", firstINTID: \(first), bitmap: "
                + hexLiteral(UInt64(bitmap)) + ")"
        case .writeSystemRegister(let register, let vcpu, let value):
            ".writeSystemRegister(" + register.swiftSource + ", vcpu: " + vcpu.swiftSource + ", value: "
                + hexLiteral(value) + ")"
        }
    }
}
