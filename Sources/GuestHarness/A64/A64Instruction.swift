import GICVocabulary

/// One assembled A64 instruction (or data word): the 32-bit word the CPU executes and the line
/// GNU as reads for it, so a whole program can be checked against binutils word for word.
public struct A64Instruction: Hashable, Sendable, CustomStringConvertible {
    /// The instruction word (stored little-endian in guest memory).
    public let word: UInt32
    /// The GNU as source line, e.g. `add x0, x1, #0x10`.
    public let text: String

    public init(word: UInt32, text: String) {
        self.word = word
        self.text = text
    }

    public var description: String { "\(hex(word)) \(text)" }
}
