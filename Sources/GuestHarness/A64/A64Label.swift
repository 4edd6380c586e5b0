/// A position in an `A64Assembler` program that branches and `ADR` can name before it is bound.
public struct A64Label: Hashable, Sendable {
    /// Index in the assembler's label table.
    let id: Int
    /// The symbol the listing gives it (unique within the program).
    public let name: String
}
