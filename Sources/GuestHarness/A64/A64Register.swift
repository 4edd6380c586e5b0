/// A 64-bit general-purpose register operand of an A64 instruction: X0–X30, or number 31,
/// which is XZR or SP depending on the instruction and operand (Arm ARM DDI 0487, C1.2.5).
///
/// Which of the two a 31 means is fixed when the operand is built (`.zr` or `.sp`), so the
/// listing names it correctly and an encoder can refuse the wrong one.
public struct A64Register: Hashable, Sendable, CustomStringConvertible {
    /// The 5-bit register field.
    public let number: UInt32
    /// True for SP, false for XZR; meaningful only when `number` is 31.
    public let isStackPointer: Bool

    private init(number: UInt32, isStackPointer: Bool) {
        self.number = number
        self.isStackPointer = isStackPointer
    }

    /// Xn for n in 0...30; nil otherwise (31 is `.zr` or `.sp`).
    public static func x(_ n: Int) -> A64Register? {
        guard (0...30).contains(n) else { return nil }
        return A64Register(number: UInt32(n), isStackPointer: false)
    }

    /// The zero register (reads 0, writes are discarded).
    public static let zr = A64Register(number: 31, isStackPointer: false)
    /// The current stack pointer.
    public static let sp = A64Register(number: 31, isStackPointer: true)

    /// `x0`…`x30`, `xzr`, `sp`: the 64-bit name GNU as reads.
    public var description: String {
        if number == 31 { return isStackPointer ? "sp" : "xzr" }
        return "x\(number)"
    }

    /// The 32-bit view's name (`w0`…`w30`, `wzr`, `wsp`).
    public var wName: String {
        if number == 31 { return isStackPointer ? "wsp" : "wzr" }
        return "w\(number)"
    }

    // The registers the runtime names; literals in range, so no optional to unwrap.
    public static let x0 = A64Register(number: 0, isStackPointer: false)
    public static let x1 = A64Register(number: 1, isStackPointer: false)
    public static let x2 = A64Register(number: 2, isStackPointer: false)
    public static let x3 = A64Register(number: 3, isStackPointer: false)
    public static let x4 = A64Register(number: 4, isStackPointer: false)
    public static let x5 = A64Register(number: 5, isStackPointer: false)
    public static let x6 = A64Register(number: 6, isStackPointer: false)
    public static let x7 = A64Register(number: 7, isStackPointer: false)
    public static let x8 = A64Register(number: 8, isStackPointer: false)
    public static let x9 = A64Register(number: 9, isStackPointer: false)
    public static let x10 = A64Register(number: 10, isStackPointer: false)
    public static let x11 = A64Register(number: 11, isStackPointer: false)
    public static let x12 = A64Register(number: 12, isStackPointer: false)
    public static let x13 = A64Register(number: 13, isStackPointer: false)
    public static let x14 = A64Register(number: 14, isStackPointer: false)
    public static let x15 = A64Register(number: 15, isStackPointer: false)
    public static let x16 = A64Register(number: 16, isStackPointer: false)
    public static let x17 = A64Register(number: 17, isStackPointer: false)
    public static let x18 = A64Register(number: 18, isStackPointer: false)
    public static let x19 = A64Register(number: 19, isStackPointer: false)
    public static let x20 = A64Register(number: 20, isStackPointer: false)
    public static let x21 = A64Register(number: 21, isStackPointer: false)
    public static let x22 = A64Register(number: 22, isStackPointer: false)
    public static let x23 = A64Register(number: 23, isStackPointer: false)
    public static let x24 = A64Register(number: 24, isStackPointer: false)
    public static let x25 = A64Register(number: 25, isStackPointer: false)
    public static let x26 = A64Register(number: 26, isStackPointer: false)
    public static let x27 = A64Register(number: 27, isStackPointer: false)
    public static let x28 = A64Register(number: 28, isStackPointer: false)
    public static let x29 = A64Register(number: 29, isStackPointer: false)
    public static let x30 = A64Register(number: 30, isStackPointer: false)
}
