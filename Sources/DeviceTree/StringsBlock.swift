/// The strings block under construction: every property name once, NUL-terminated, found by
/// the offset a property's `nameoff` holds (Devicetree Specification v0.4 §5.5).
///
/// A name already present — as a whole string or as the tail of a longer one — is not stored
/// again: "cells" would reuse the end of "#address-cells". dtc shares tails the same way, so
/// with names added in the same order the two blocks are byte for byte the same, which the
/// tests compare (DeviceTree.docc/FlattenedFormat.md, "Strings block").
struct StringsBlock {
    private(set) var bytes: [UInt8] = []
    private var offsets: [String: Int] = [:]

    /// The offset of `name`, adding it when no stored string ends with it.
    mutating func offset(of name: String) -> Int {
        if let known = offsets[name] { return known }
        let wanted = Array(name.utf8) + [0]
        var found: Int?
        if wanted.count <= bytes.count {
            var start = 0
            while start + wanted.count <= bytes.count {
                if bytes[start..<(start + wanted.count)].elementsEqual(wanted) {
                    found = start
                    break
                }
                start += 1
            }
        }
        let offset = found ?? bytes.count
        if found == nil { bytes += wanted }
        offsets[name] = offset
        return offset
    }
}
