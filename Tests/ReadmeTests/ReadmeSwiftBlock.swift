import Foundation

/// One ```swift block of a Markdown file, and the Swift source it is type-checked as.
///
/// The wrapping, the only thing added to what the README shows: the block's `import` lines go
/// to the top of a file of its own (imports are per file, so a block that forgets one fails),
/// and every other line, unchanged and in order, becomes the body of
/// `func readmeBlock<N>() throws { … }`: the block as a reader pastes it into a throwing
/// function of their own. `#sourceLocation` maps each line back to the README, so a diagnostic
/// names `README.md:<line>`. Each block stands alone: nothing from an earlier block is in scope.
struct ReadmeSwiftBlock: Equatable {
    /// 1-based, in the order the blocks appear.
    var number: Int
    /// The README line of the block's first line (the one after the opening fence).
    var firstLine: Int
    /// The block's lines, without the fences and without the fence's indentation.
    var lines: [String]

    /// Every block whose fence is exactly ```swift; other languages (```sh, ```json) and
    /// unlabelled blocks are skipped.
    static func all(in markdown: String) -> [ReadmeSwiftBlock] {
        var blocks: [ReadmeSwiftBlock] = []
        var open: (language: String, indent: Int, firstLine: Int, lines: [String])?
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if var block = open {
                if trimmed.hasPrefix("```") && trimmed.drop(while: { $0 == "`" }).allSatisfy(\.isWhitespace) {
                    if block.language == "swift" {
                        blocks.append(ReadmeSwiftBlock(number: blocks.count + 1, firstLine: block.firstLine, lines: block.lines))
                    }
                    open = nil
                } else {
                    // Content is indented like its fence (a block inside a list item).
                    let removable = min(block.indent, indent)
                    block.lines.append(String(line.dropFirst(removable)))
                    open = block
                }
            } else if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                open = (language, indent, index + 2, [])
            }
        }
        // An unterminated block runs to the end of the file, as Markdown renders it.
        if let block = open, block.language == "swift" {
            blocks.append(ReadmeSwiftBlock(number: blocks.count + 1, firstLine: block.firstLine, lines: block.lines))
        }
        return blocks
    }

    /// Whether `line` is an import declaration (`import X`, `@testable import X`, `import struct X.Y`).
    static func isImport(_ line: String) -> Bool {
        var words = line.split(separator: " ", omittingEmptySubsequences: true)[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        return words.first == "import"
    }

    /// The function `readmeBlock<number>` that holds the block.
    var functionName: String { "readmeBlock\(number)" }

    /// The Swift file this block is type-checked as; `readme` is the path diagnostics name.
    func source(readme: String) -> String {
        let file = readme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let numbered = lines.enumerated().map { (line: firstLine + $0.offset, text: $0.element) }
        var output = ["// README block \(number), lines \(firstLine)...\(firstLine + lines.count - 1)"]
        // Emits `text` as README line `line`, with a line directive when it does not follow on.
        var next: Int?
        func emit(_ line: Int, _ text: String) {
            if next != line { output.append("#sourceLocation(file: \"\(file)\", line: \(line))") }
            output.append(text)
            next = line + 1
        }
        func endMapping() {
            if next != nil { output.append("#sourceLocation()") }
            next = nil
        }
        for entry in numbered where Self.isImport(entry.text) { emit(entry.line, entry.text) }
        endMapping()
        output.append("func \(functionName)() throws {")
        for entry in numbered where !Self.isImport(entry.text) { emit(entry.line, entry.text) }
        endMapping()
        output.append("}")
        return output.joined(separator: "\n") + "\n"
    }
}
