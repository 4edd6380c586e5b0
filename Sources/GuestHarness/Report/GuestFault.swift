/// An exception the runtime did not expect, as it reported it before powering the VM off.
public struct GuestFault: Hashable, Sendable, CustomStringConvertible {
    /// The vector entry taken (0–15, Arm ARM D1.10.2), or 0xFF for a step the runtime could not
    /// execute (an unknown opcode or register slot).
    public var vector: UInt64
    public var esr: UInt64
    public var elr: UInt64
    public var far: UInt64
    public var spsr: UInt64
    /// The runtime's step pointer (X20) at the time: the step after the one that faulted.
    public var stepPointer: UInt64

    public init(vector: UInt64, esr: UInt64 = 0, elr: UInt64 = 0, far: UInt64 = 0, spsr: UInt64 = 0, stepPointer: UInt64 = 0) {
        self.vector = vector
        self.esr = esr
        self.elr = elr
        self.far = far
        self.spsr = spsr
        self.stepPointer = stepPointer
    }

    /// The vector's name: which exception, from where.
    public var vectorName: String {
        if vector == 0xFF { return "a step the runtime cannot execute" }
        let kinds = ["synchronous", "IRQ", "FIQ", "SError"]
        let origins = ["current EL with SP_EL0", "current EL with SP_ELx", "lower EL (AArch64)", "lower EL (AArch32)"]
        guard vector < 16 else { return "vector \(vector)" }
        return "\(kinds[Int(vector % 4)]) from \(origins[Int(vector / 4)])"
    }

    /// ESR_EL1.EC, the exception class (Arm ARM D23.2.41).
    public var exceptionClass: UInt64 { esr >> 26 & 0x3F }

    public var description: String {
        "\(vectorName): ESR \(hexString(esr)) (EC \(hexString(exceptionClass))), ELR \(hexString(elr)), FAR \(hexString(far)), SPSR \(hexString(spsr))"
    }
}
