/// An assembled program: its instructions in order and where each label was bound.
public struct A64Program: Sendable {
    /// Every word, in order, with its GNU as source line.
    public let instructions: [A64Instruction]
    /// Each bound label's symbol and the index of the word it names.
    public let labels: [(name: String, index: Int)]

    /// The instruction words.
    public var words: [UInt32] { instructions.map { $0.word } }

    /// The program's size in bytes.
    public var byteCount: Int { instructions.count * 4 }

    /// The byte offset of the label named `name`, if it was bound.
    public func offset(of name: String) -> Int? {
        for label in labels where label.name == name { return label.index * 4 }
        return nil
    }

    /// The program as GNU as source: `.text`, then each label line before the word it names and
    /// each instruction's line. Assembling it with `aarch64-linux-gnu-as` and taking `.text`
    /// gives exactly `words` (the assembler's tests check this).
    public func listing() -> String {
        var byIndex: [Int: [String]] = [:]
        for label in labels { byIndex[label.index, default: []].append(label.name) }
        var lines = ["\t.text"]
        for (index, instruction) in instructions.enumerated() {
            for name in byIndex[index] ?? [] { lines.append("\(name):") }
            lines.append("\t" + instruction.text)
        }
        for name in byIndex[instructions.count] ?? [] { lines.append("\(name):") }
        return lines.joined(separator: "\n") + "\n"
    }
}
