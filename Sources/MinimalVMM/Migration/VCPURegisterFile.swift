import KVM

/// Every register the kernel lists for one vCPU, with its value, and the vCPU's power state: what
/// a migration carries of a vCPU (MinimalVMM.docc/Migration.md).
public struct VCPURegisterFile: Hashable, Sendable {
    /// The vCPU id.
    public var id: UInt32
    /// The registers, in `KVM_GET_REG_LIST` order.
    public var registers: [OneRegister]
    /// Their values, one per register, each in its register's size.
    public var values: [RegisterValue]
    /// `KVM_GET_MP_STATE`.
    public var mpState: MPState

    public init(id: UInt32, registers: [OneRegister], values: [RegisterValue], mpState: MPState) {
        self.id = id
        self.registers = registers
        self.values = values
        self.mpState = mpState
    }

    /// The counters: writing one sets the VM's counter offset, so they go last, just before the
    /// guest resumes (MinimalVMM.docc/Migration.md, "The counters").
    public static func isCounter(_ register: OneRegister) -> Bool {
        register == .virtualTimerCount || register == .physicalTimerCount
    }

    /// Reads the list, every listed register and the power state of a stopped vCPU: 2 + the
    /// register count + 1 ioctls, added to `ioctls`.
    public static func capture(_ vcpu: borrowing VCPU, ioctls: inout Int) throws(KVMError) -> VCPURegisterFile {
        let registers = try vcpu.registerList()
        ioctls += 2
        var values: [RegisterValue] = []
        values.reserveCapacity(registers.count)
        for register in registers {
            values.append(try vcpu.value(of: register))
            ioctls += 1
        }
        let state = try vcpu.mpState()
        ioctls += 1
        return VCPURegisterFile(id: vcpu.id, registers: registers, values: values, mpState: state)
    }

    /// Which registers `restore` writes.
    public enum Part: Hashable, Sendable {
        /// Every register but the counters, in list order, then the power state.
        case state
        /// The counters only.
        case counters
    }

    /// Writes `part` into a freshly initialised vCPU, adding the ioctls to `ioctls`. A refused
    /// register does not stop the restore: the refusals are returned, for the caller to judge.
    public func restore(_ part: Part, into vcpu: borrowing VCPU, ioctls: inout Int) -> [RegisterRefusal] {
        var refusals: [RegisterRefusal] = []
        for (register, value) in zip(registers, values) where Self.isCounter(register) == (part == .counters) {
            ioctls += 1
            do throws(KVMError) {
                try vcpu.set(register, to: value)
            } catch {
                refusals.append(RegisterRefusal(vcpu: id, register: register, error: error))
            }
        }
        if part == .state {
            ioctls += 1
            do throws(KVMError) {
                try vcpu.setMPState(mpState)
            } catch {
                refusals.append(RegisterRefusal(vcpu: id, register: nil, error: error))
            }
        }
        return refusals
    }

    /// The registers whose values differ from `other`'s (same vCPU, read later), and any register
    /// one of the two lists and the other does not.
    public func differences(from other: VCPURegisterFile) -> [RegisterDifference] {
        var result: [RegisterDifference] = []
        var theirs: [OneRegister: RegisterValue] = [:]
        for (register, value) in zip(other.registers, other.values) { theirs[register] = value }
        for (register, value) in zip(registers, values) {
            let other = theirs.removeValue(forKey: register)
            if other != value { result.append(RegisterDifference(vcpu: id, register: register, before: value, after: other)) }
        }
        for (register, value) in theirs { result.append(RegisterDifference(vcpu: id, register: register, before: nil, after: value)) }
        if mpState != other.mpState {
            result.append(RegisterDifference(
                vcpu: id, register: nil, before: RegisterValue(UInt64(mpState.rawValue), byteCount: 4),
                after: RegisterValue(UInt64(other.mpState.rawValue), byteCount: 4)))
        }
        return result
    }
}

/// A register `KVM_SET_ONE_REG` (or the power state `KVM_SET_MP_STATE`, register nil) refused.
public struct RegisterRefusal: Equatable, Sendable, CustomStringConvertible {
    public var vcpu: UInt32
    public var register: OneRegister?
    public var error: KVMError

    public var description: String {
        "vCPU \(vcpu) " + (register.map { $0.description } ?? "mp_state") + ": \(error)"
    }
}

/// A register that reads back differently after a restore (nil: not listed on that side; a nil
/// register is the power state).
public struct RegisterDifference: Hashable, Sendable, CustomStringConvertible {
    public var vcpu: UInt32
    public var register: OneRegister?
    public var before: RegisterValue?
    public var after: RegisterValue?

    public var description: String {
        "vCPU \(vcpu) " + (register.map { $0.description } ?? "mp_state") + ": "
            + (before.map { $0.description } ?? "unlisted") + " → " + (after.map { $0.description } ?? "unlisted")
    }
}
