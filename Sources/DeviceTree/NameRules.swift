/// The character sets and lengths of node and property names, as data
/// (Devicetree Specification v0.4 §2.2.1 Table 2.1 and §2.2.4 Table 2.2; DeviceTree.docc/FlattenedFormat.md).
enum NameRules {
    /// Table 2.1 without the letters and digits: what else a node name may hold.
    static let nodeNamePunctuation: [UInt8] = Array(",._+-".utf8)
    /// Table 2.2 without the letters and digits: what else a property name may hold.
    static let propertyNamePunctuation: [UInt8] = Array(",._+?#-".utf8)
    /// The longest node-name (before `@`) and property name: 31 characters.
    static let maximumLength = 31

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// A non-root node's name: a node-name of 1–31 characters from Table 2.1 starting with a
    /// letter, then optionally `@` and a non-empty unit address from the same set.
    static func isValidNodeName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "@"))
        let nodeName = bytes[..<(at ?? bytes.count)]
        guard let first = nodeName.first, isLetter(first), nodeName.count <= maximumLength,
            nodeName.allSatisfy({ isAlphanumeric($0) || nodeNamePunctuation.contains($0) })
        else { return false }
        guard let at else { return true }
        let unit = bytes[(at + 1)...]
        return !unit.isEmpty && unit.allSatisfy { isAlphanumeric($0) || nodeNamePunctuation.contains($0) }
    }

    /// A property name: 1–31 characters from Table 2.2.
    static func isValidPropertyName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= maximumLength
            && bytes.allSatisfy { isAlphanumeric($0) || propertyNamePunctuation.contains($0) }
    }
}
