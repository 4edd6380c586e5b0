import GICVocabulary

/// One way the kernel and the model disagree: a register field, or the outcome of an operation.
///
/// Names what a person needs to find the bug: the register (or ioctl), the vCPU, the INTID whose
/// field differs, what the model expected and what the kernel did.
public struct StateDifference: Hashable, Sendable, CustomStringConvertible {
    /// What differed.
    public enum Subject: Hashable, Sendable {
        /// A register element (or LEVEL_INFO word) read back.
        case location(RegisterLocation)
        /// The outcome of an operation: one side accepted it and the other refused, or both refused
        /// with different errnos.
        case operation(GICv3Operation)
    }

    public let subject: Subject
    /// The register name ("GICD_ISPENDR", "ICC_PMR_EL1", "LEVEL_INFO") or the ioctl of an
    /// operation ("KVM_IRQ_LINE", "DIST_REGS write", …).
    public let register: String
    /// The vCPU id, for per-vCPU state and operations whose selector names an existing vCPU.
    public let vcpu: UInt32?
    /// The selector as sent, when it names no vCPU (or for per-vCPU state in general).
    public let selector: Affinity?
    /// The INTID whose field differs, for per-interrupt registers.
    public let intid: UInt32?
    /// The model's answer (for a per-interrupt field: the field's value).
    public let expected: AccessOutcome
    /// The kernel's answer.
    public let actual: AccessOutcome

    public init(
        subject: Subject, register: String, vcpu: UInt32?, selector: Affinity?, intid: UInt32?,
        expected: AccessOutcome, actual: AccessOutcome
    ) {
        self.subject = subject
        self.register = register
        self.vcpu = vcpu
        self.selector = selector
        self.intid = intid
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        var text = register
        if let vcpu {
            text += " vCPU \(vcpu)"
        } else if let selector {
            text += " selector " + hex(selector.packed)
        }
        if let intid { text += " INTID \(intid)" }
        switch subject {
        case .location: break
        case .operation(let operation): text += " (" + operation.swiftSource + ")"
        }
        return text + ": expected " + expected.description + ", actual " + actual.description
    }
}

extension GICv3Model {
    /// The differences between the model's answer at `location` and the kernel's `actual`, field
    /// by field for per-interrupt registers (one difference per INTID whose field differs).
    public func differences(at location: RegisterLocation, actual: AccessOutcome) -> [StateDifference] {
        differences(at: location, expected: read(location), actual: actual)
    }

    /// The same, with the model's answer already read.
    public func differences(
        at location: RegisterLocation, expected: AccessOutcome, actual: AccessOutcome
    ) -> [StateDifference] {
        guard expected != actual else { return [] }
        let vcpu = location.vcpu.flatMap { vcpuIndex(of: $0) }.map { UInt32($0) }
        func difference(_ intid: UInt32?, _ expected: AccessOutcome, _ actual: AccessOutcome) -> StateDifference {
            StateDifference(
                subject: .location(location), register: location.registerName, vcpu: vcpu,
                selector: location.vcpu, intid: intid, expected: expected, actual: actual)
        }
        guard case .value(let want) = expected, case .value(let got) = actual,
            let (first, bits) = Self.fields(of: location)
        else {
            return [difference(nil, expected, actual)]
        }
        var result: [StateDifference] = []
        let count = bits >= 32 ? 1 : 32 / bits
        let mask: UInt64 = bits >= 64 ? .max : (1 << UInt64(bits)) - 1
        for i in 0..<count {
            let shift = UInt64(i * bits)
            let expectedField = (want >> shift) & mask
            let actualField = (got >> shift) & mask
            if expectedField != actualField {
                result.append(difference(first + i, .value(expectedField), .value(actualField)))
            }
        }
        return result
    }

    /// The first INTID and field width of a per-interrupt location, or nil.
    static func fields(of location: RegisterLocation) -> (first: UInt32, bits: UInt32)? {
        switch location {
        case .distributor(let register, let index), .redistributor(let register, let index, _):
            let bits = register.bitsPerInterrupt
            guard bits != 0 else { return nil }
            return (index * register.elementSize * 8 / bits, bits)
        case .lineLevels(_, let first):
            return (first, 1)
        case .systemRegister:
            return nil
        }
    }

    /// A difference in the outcome of `operation`.
    public func difference(
        of operation: GICv3Operation, expected: AccessOutcome, actual: AccessOutcome
    ) -> StateDifference {
        var name: String
        var selector: Affinity? = nil
        var intid: UInt32? = nil
        switch operation {
        case .setLine(let word, _):
            name = "KVM_IRQ_LINE"
            intid = word.number
        case .writeDistributor(let register, _, _):
            name = text(register.name) + " write"
        case .writeRedistributor(let register, _, let vcpu, _):
            name = text(register.name) + " write"
            selector = vcpu
        case .writeLineLevels(let vcpu, _, _):
            name = "LEVEL_INFO write"
            selector = vcpu
        case .writeSystemRegister(let register, let vcpu, _):
            name = text(register.name) + " write"
            selector = vcpu
        }
        let vcpu = selector.flatMap { vcpuIndex(of: $0) }.map { UInt32($0) }
        return StateDifference(
            subject: .operation(operation), register: name, vcpu: vcpu, selector: selector, intid: intid,
            expected: expected, actual: actual)
    }
}
