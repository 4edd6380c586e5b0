import GICVocabulary

extension GICv3Model {
    /// Reads `location` as the kernel would: a 64-bit element is two word reads, low first.
    public func read(_ location: RegisterLocation) -> AccessOutcome {
        do throws(ModelRefusal) {
            return .value(try value(at: location))
        } catch {
            return .refused(error.errno)
        }
    }

    /// The value at `location`, or the kernel's refusal.
    public func value(at location: RegisterLocation) throws(ModelRefusal) -> UInt64 {
        switch location {
        case .distributor(let register, let index):
            let offset = register.elementOffset(index)
            let low = UInt64(readDistributor(offset: offset))
            guard register.elementSize == 8 else { return low }
            return UInt64(readDistributor(offset: offset + 4)) << 32 | low
        case .redistributor(let register, let index, let vcpu):
            let offset = register.elementOffset(index)
            let low = UInt64(try readRedistributor(vcpu, offset: offset))
            guard register.elementSize == 8 else { return low }
            return UInt64(try readRedistributor(vcpu, offset: offset + 4)) << 32 | low
        case .lineLevels(let vcpu, let first):
            return UInt64(try readLineLevels(attr: vcpu.attrBits | UInt64(first & 0x3FF)))
        case .systemRegister(let register, let vcpu):
            return try readSystemRegister(vcpu, register.encoding)
        }
    }
}
