/// The fields of a vCPU's context block (`GuestLayout.context(_:)`): what the host writes before
/// the first run and the runtime reads, by byte offset. The runtime keeps a pointer to it in
/// X19 for the vCPU's whole life.
public enum GuestContext {
    /// The vCPU's index (for the host's bookkeeping; the runtime does not read it).
    public static let vcpuIndex = 0x00
    /// Address of the main program's first step.
    public static let mainProgram = 0x08
    /// Address of the IRQ handler program's first step.
    public static let irqProgram = 0x10
    /// Address of the FIQ handler program's first step (Group 0 interrupts arrive as vFIQs).
    public static let fiqProgram = 0x18
    /// Initial SP.
    public static let stackTop = 0x20
    /// Log: base, next free entry, end.
    public static let logBase = 0x28
    public static let logCursor = 0x30
    public static let logLimit = 0x38
    /// Frame bases, indexed by `GuestFrame.rawValue`: absolute (0), distributor, redistributor
    /// RD_base, redistributor SGI_base.
    public static let frames = 0x40
    /// Handler nesting depth (0 in the main program).
    public static let depth = 0x60
    /// Log entries dropped because the log was full, since the last drain.
    public static let dropped = 0x68
    /// The step being executed (written before each step; read by the host after a hang).
    public static let currentStep = 0x70
    /// 16 program variables, 8 bytes each.
    public static let variables = 0x100
    public static let variableCount = 16
}
