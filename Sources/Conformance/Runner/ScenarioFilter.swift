/// Selects scenarios whose name contains a substring (`--filter vgic_init`).
///
/// Byte-wise on UTF-8 rather than `String.contains`: the substring search of the standard
/// library lives in `_StringProcessing`, which Embedded Swift does not have.
enum ScenarioFilter {
    static func matches(_ name: String, _ filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        let haystack = Array(name.utf8)
        let needle = Array(filter.utf8)
        guard needle.count <= haystack.count else { return false }
        var start = 0
        while start + needle.count <= haystack.count {
            var index = 0
            while index < needle.count && haystack[start + index] == needle[index] { index += 1 }
            if index == needle.count { return true }
            start += 1
        }
        return false
    }
}
