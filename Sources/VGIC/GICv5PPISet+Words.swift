import GICVocabulary
import KVM

/// `GICv5PPISet` (a pure vocabulary value) as the `USERSPACE_PPIS` attribute carries it.
extension GICv5PPISet {
    /// The set the kernel described in a `USERSPACE_PPIS` read.
    public init(words: PPIMaskWords) {
        self.init(low: words.low, high: words.high)
    }

    /// The two words in the kernel's layout.
    public var words: PPIMaskWords { PPIMaskWords(low: low, high: high) }
}
