/// Everything to write into guest RAM before the first run, and where each vCPU starts:
/// the runtime image, every vCPU's programs in the programs area, and each context block.
///
/// Pure data, so the x86 tests check the placement the lab relies on (and the model executor
/// maps a call window address back to its step the same way the lab does).
public struct GuestLoad: Sendable {
    /// A byte range to copy into RAM, at an offset from `GuestLayout.ramBase`.
    public struct Write: Sendable {
        public let offset: Int
        public let bytes: [UInt8]
    }

    /// Where a program was placed.
    public struct Placement: Hashable, Sendable {
        public let vcpu: Int
        public let kind: GuestProgramKind
        /// Guest-physical address of its first step.
        public let address: UInt64
        public let stepCount: Int
    }

    /// The GIC frames each vCPU's runtime addresses.
    public struct Frames: Hashable, Sendable {
        public var distributor: UInt64
        /// Each vCPU's redistributor RD_base, by vCPU index.
        public var redistributors: [UInt64]

        public init(distributor: UInt64, redistributors: [UInt64]) {
            self.distributor = distributor
            self.redistributors = redistributors
        }
    }

    public let writes: [Write]
    public let placements: [Placement]
    public let programs: [GuestPrograms]
    public let entryOffset: Int

    /// Lays out `programs` (one element per vCPU, by index) with the runtime `image`.
    public init(image: GuestRuntime.Image, programs: [GuestPrograms], frames: Frames) throws(GuestLoadError) {
        guard !programs.isEmpty, programs.count <= GuestLayout.maximumVCPUs else {
            throw .vcpuCount(programs.count)
        }
        guard frames.redistributors.count == programs.count else {
            throw .framesMissing(vcpus: programs.count, redistributors: frames.redistributors.count)
        }
        var writes: [Write] = []
        var runtime: [UInt8] = []
        for word in image.program.words {
            for shift in stride(from: 0, to: 32, by: 8) { runtime.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        writes.append(Write(offset: GuestLayout.runtimeOffset, bytes: runtime))

        var placements: [Placement] = []
        var cursor = GuestLayout.programsOffset
        for (vcpu, set) in programs.enumerated() {
            for (kind, program) in [(GuestProgramKind.main, set.main), (.irq, set.irq), (.fiq, set.fiq)] {
                let bytes = program.bytes
                guard cursor + bytes.count <= GuestLayout.programsOffset + GuestLayout.programsBytes else {
                    throw .programsTooLarge(bytes: cursor + bytes.count - GuestLayout.programsOffset, limit: GuestLayout.programsBytes)
                }
                placements.append(Placement(vcpu: vcpu, kind: kind, address: GuestLayout.ramBase + UInt64(cursor), stepCount: program.ops.count))
                writes.append(Write(offset: cursor, bytes: bytes))
                cursor += bytes.count
            }
        }

        for vcpu in programs.indices {
            func address(_ kind: GuestProgramKind) -> UInt64 {
                placements.first { $0.vcpu == vcpu && $0.kind == kind }?.address ?? 0
            }
            var block = [UInt8](repeating: 0, count: GuestContext.variables + 8 * GuestContext.variableCount)
            func put(_ value: UInt64, at offset: Int) {
                for i in 0..<8 { block[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
            }
            put(UInt64(vcpu), at: GuestContext.vcpuIndex)
            put(address(.main), at: GuestContext.mainProgram)
            put(address(.irq), at: GuestContext.irqProgram)
            put(address(.fiq), at: GuestContext.fiqProgram)
            put(GuestLayout.stackTop(vcpu), at: GuestContext.stackTop)
            put(GuestLayout.log(vcpu), at: GuestContext.logBase)
            put(GuestLayout.log(vcpu), at: GuestContext.logCursor)
            put(GuestLayout.log(vcpu) + UInt64(GuestLayout.logStride), at: GuestContext.logLimit)
            put(0, at: GuestContext.frames)
            put(frames.distributor, at: GuestContext.frames + 8)
            put(frames.redistributors[vcpu], at: GuestContext.frames + 16)
            put(frames.redistributors[vcpu] + 0x1_0000, at: GuestContext.frames + 24)
            writes.append(Write(offset: GuestLayout.contextsOffset + vcpu * GuestLayout.contextStride, bytes: block))
        }
        self.writes = writes
        self.placements = placements
        self.programs = programs
        self.entryOffset = image.entryOffset
    }

    /// vCPU `index`'s first PC.
    public var entry: UInt64 { GuestLayout.ramBase + UInt64(entryOffset) }

    /// vCPU `index`'s X0 at entry: its context block.
    public func context(of index: Int) -> UInt64 { GuestLayout.context(index) }

    /// The step at guest-physical `address` (a step pointer, or a call window address mapped
    /// back with `stepAddress(ofCall:)`): which vCPU's which program, and its index.
    public func locate(step address: UInt64) -> (vcpu: Int, kind: GuestProgramKind, index: Int)? {
        for placement in placements {
            let end = placement.address + UInt64(placement.stepCount * GuestStep.size)
            guard address >= placement.address, address < end else { continue }
            let offset = address - placement.address
            guard offset % UInt64(GuestStep.size) == 0 else { return nil }
            return (placement.vcpu, placement.kind, Int(offset) / GuestStep.size)
        }
        return nil
    }

    /// The step a host-call access at `address` came from (`callWindow + step − ramBase`).
    public static func stepAddress(ofCall address: UInt64) -> UInt64? {
        guard address >= GuestLayout.callWindow, address < GuestLayout.callWindow + UInt64(GuestLayout.ramBytes) else { return nil }
        return address - GuestLayout.callWindow + GuestLayout.ramBase
    }

    /// The op at a located step.
    public func op(vcpu: Int, kind: GuestProgramKind, index: Int) -> GuestOp? {
        guard programs.indices.contains(vcpu) else { return nil }
        let program: GuestProgram
        switch kind {
        case .main: program = programs[vcpu].main
        case .irq: program = programs[vcpu].irq
        case .fiq: program = programs[vcpu].fiq
        }
        return program.ops.indices.contains(index) ? program.ops[index] : nil
    }
}

/// Why programs cannot be loaded.
public enum GuestLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    case vcpuCount(Int)
    case framesMissing(vcpus: Int, redistributors: Int)
    case programsTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .vcpuCount(let count): "\(count) vCPUs: a harness VM holds 1...\(GuestLayout.maximumVCPUs)"
        case .framesMissing(let vcpus, let redistributors): "\(vcpus) vCPUs but \(redistributors) redistributor frames"
        case .programsTooLarge(let bytes, let limit): "programs of \(bytes) bytes exceed the \(limit)-byte area"
        }
    }
}

extension GuestLoad {
    /// Every write laid into one image from `GuestLayout.ramBase` on (gaps zero), for a loader
    /// that copies a file to RAM (QEMU's `-device loader,file=…,addr=…`). RAM beyond it (the logs,
    /// the tables area) is left as the machine resets it: zero.
    public var flatImage: [UInt8] {
        let end = writes.map { $0.offset + $0.bytes.count }.max() ?? 0
        var image = [UInt8](repeating: 0, count: end)
        for write in writes {
            for (index, byte) in write.bytes.enumerated() { image[write.offset + index] = byte }
        }
        return image
    }
}
