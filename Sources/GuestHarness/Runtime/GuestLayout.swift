/// Where everything of a harness guest lives in guest-physical memory, and the MMIO windows
/// through which it talks to the host. One table, read by the runtime's assembly, by the host
/// that loads and drives it, and by the decoder of its exits.
///
/// RAM is 2 MiB at 1 GiB, clear of every GIC frame the lab places (all below 32 MiB). Its upper
/// mebibyte is left free and 64 KiB-aligned for LPI property/pending tables and ITS tables. The
/// MMIO windows lie in a hole no memory slot and no GIC frame covers, so each access there is a
/// `KVM_EXIT_MMIO` the host decodes by address.
public enum GuestLayout {
    /// Guest-physical base of RAM (memory slot 0).
    public static let ramBase: UInt64 = 0x4000_0000
    /// RAM size: 2 MiB.
    public static let ramBytes = 0x20_0000

    /// The runtime image (vector table first, so VBAR_EL1 is RAM's 2 KiB-aligned base).
    public static let runtimeOffset = 0x0
    /// Per-vCPU context blocks (`GuestContext`), 4 KiB each.
    public static let contextsOffset = 0x1_0000
    public static let contextStride = 0x1000
    /// Per-vCPU stacks, 16 KiB each, growing down from the top of each slot.
    public static let stacksOffset = 0x2_0000
    public static let stackStride = 0x4000
    /// Guest programs (`GuestStep`s, 32 bytes each): 256 KiB, 8192 steps in all.
    public static let programsOffset = 0x4_0000
    public static let programsBytes = 0x4_0000
    /// Per-vCPU event logs, 16 KiB each: 1024 entries of 16 bytes.
    public static let logsOffset = 0x8_0000
    public static let logStride = 0x4000
    /// Free for the guest's tables (LPI, ITS): the upper mebibyte, 64 KiB-aligned.
    public static let tablesOffset = 0x10_0000
    public static let tablesBytes = 0x10_0000

    /// The most vCPUs one harness VM holds (context, stack and log slots).
    public static let maximumVCPUs = 8

    /// Host calls: the guest stores its operand to (read: loads its answer from)
    /// `callWindow + (step address − ramBase)`, so the address names the step.
    public static let callWindow: UInt64 = 0x0A00_0000
    /// Log drain: each entry is a store of its header to `logHeaderAddress`, then of its value
    /// to `logValueAddress`; the drain ends with a store of the dropped-entry count to
    /// `logEndAddress`.
    public static let logHeaderAddress: UInt64 = 0x0A40_0000
    public static let logValueAddress: UInt64 = 0x0A40_0008
    public static let logEndAddress: UInt64 = 0x0A40_0010
    /// Fault report: ESR, ELR, FAR, SPSR and the step pointer at +8…+40, then the vector
    /// number at +0 (which completes the report).
    public static let faultWindow: UInt64 = 0x0A50_0000
    /// The main program ended: a store of the accumulator.
    public static let doneAddress: UInt64 = 0x0A60_0000
    /// The window as a whole, for "is this exit the harness's".
    public static let mmioRange: Range<UInt64> = 0x0A00_0000..<0x0A70_0000

    /// Guest-physical address of vCPU `index`'s context block.
    public static func context(_ index: Int) -> UInt64 { ramBase + UInt64(contextsOffset + index * contextStride) }
    /// Guest-physical top of vCPU `index`'s stack.
    public static func stackTop(_ index: Int) -> UInt64 { ramBase + UInt64(stacksOffset + (index + 1) * stackStride) }
    /// Guest-physical base of vCPU `index`'s log.
    public static func log(_ index: Int) -> UInt64 { ramBase + UInt64(logsOffset + index * logStride) }
    /// Guest-physical address of the first step of the programs area.
    public static var programs: UInt64 { ramBase + UInt64(programsOffset) }
}
