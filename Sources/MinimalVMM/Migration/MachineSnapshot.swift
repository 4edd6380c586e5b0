import GICSnapshot
import GICVocabulary

/// Everything a paused machine is, for a fresh VM to continue it (MinimalVMM.docc/Migration.md):
/// the GIC, every vCPU's registers and power state, guest RAM, and the UART with the level its
/// interrupt line was driven to.
public struct MachineSnapshot: Sendable {
    public var gic: GICSnapshot
    /// One register file per vCPU, in vCPU order.
    public var vcpus: [VCPURegisterFile]
    public var memory: SavedMemory
    public var uart: PL011
    /// The level the console last drove the UART's SPI to.
    public var uartLineLevel: Bool

    public init(gic: GICSnapshot, vcpus: [VCPURegisterFile], memory: SavedMemory, uart: PL011, uartLineLevel: Bool) {
        self.gic = gic
        self.vcpus = vcpus
        self.memory = memory
        self.uart = uart
        self.uartLineLevel = uartLineLevel
    }

    /// The line level of INTID `intid` in the GIC snapshot (LEVEL_INFO).
    public func lineLevel(_ intid: UInt32) -> Bool? {
        guard let word = gic.bank(.lineLevels, in: .distributor)?[element: intid / 32] else { return nil }
        return word >> UInt64(intid % 32) & 1 == 1
    }

    /// Whether SPI `intid` is active in the GIC snapshot (GICD_ISACTIVER).
    public func isActive(_ intid: UInt32) -> Bool? {
        guard let word = gic.bank(.distributor(.gicdISACTIVER), in: .distributor)?[element: intid / 32] else { return nil }
        return word >> UInt64(intid % 32) & 1 == 1
    }

    /// Whether SPI `intid`'s pending latch is set in the GIC snapshot (GICD_ISPENDR).
    public func isPending(_ intid: UInt32) -> Bool? {
        guard let word = gic.bank(.distributor(.gicdISPENDR), in: .distributor)?[element: intid / 32] else { return nil }
        return word >> UInt64(intid % 32) & 1 == 1
    }

    /// The vCPUs (by position) with an active priority recorded in ICC_AP1R0_EL1: each is in an
    /// interrupt handler it has not completed.
    public var vcpusInHandlers: [Int] {
        var result: [Int] = []
        for position in vcpus.indices {
            if let apr = gic.bank(.activePriorities(group: 1), in: .vcpu(position))?[element: 0], apr != 0 {
                result.append(position)
            }
        }
        return result
    }
}

/// What one migration cost, phase by phase (MinimalVMM.docc/Migration.md, "Figures").
public struct MigrationReport: Hashable, Sendable {
    /// Time and ioctls of one phase.
    public struct Phase: Hashable, Sendable {
        public var nanoseconds: Int64 = 0
        public var ioctls: Int = 0
    }

    /// Stopping every vCPU outside `KVM_RUN` (request, kicks, all parked).
    public var pause = Phase()
    public var vcpuCapture = Phase()
    public var gicCapture = Phase()
    /// Scanning and copying RAM (ioctls: none; `memoryPages` counts the pages stored).
    public var memoryCapture = Phase()
    /// KVM_CREATE_VM, the RAM's slot, the vCPUs and their init, the vgic (and its line for the UART).
    public var targetCreation = Phase()
    public var memoryRestore = Phase()
    /// Every register but the counters, and the power states.
    public var vcpuRestore = Phase()
    public var gicRestore = Phase()
    /// The counters, last.
    public var counterRestore = Phase()
    /// Reading back the target's registers and GIC to compare (not part of the downtime).
    public var verification = Phase()
    /// From the pause request to the resume of the target's vCPUs, verification excluded.
    public var downtimeNanoseconds: Int64 = 0
    /// Closing the source VM after the target resumed.
    public var teardownNanoseconds: Int64 = 0
    /// Pages of RAM the snapshot stored.
    public var memoryPages = 0
    /// Registers `KVM_GET_REG_LIST` named for vCPU 0.
    public var registersPerVCPU = 0
    /// Register writes the target's kernel refused.
    public var refusals: [String] = []
    /// Registers that read back differently right after the restore.
    public var differences: [RegisterDifference] = []
    /// Whether the target's GIC read back exactly as restored (nil: not verified).
    public var gicReadsBack: Bool?
    /// The UART's SPI at capture: line level, active, pending latch.
    public var uartLevelAtCapture = false
    public var uartActiveAtCapture = false
    public var uartPendingAtCapture = false
    /// vCPUs with ICC_AP1R0_EL1 non-zero at capture (inside a handler).
    public var vcpusInHandlersAtCapture: [Int] = []
    /// Whether the console's driven level and the GIC's line level agreed at capture.
    public var lineLevelAgrees = true
    /// Bytes the guest had not read yet at capture: in the UART's FIFO, and still on the line.
    public var uartFIFOBytesAtCapture = 0
    public var uartLineBytesAtCapture = 0
    /// Every vCPU's register file as captured (the lists and their values).
    public var capturedRegisters: [VCPURegisterFile] = []

    public init() {}
}
