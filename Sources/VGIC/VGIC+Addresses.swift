import GICVocabulary
import KVM

/// Frame addresses (`KVM_DEV_ARM_VGIC_GRP_ADDR`) and the interrupt count, one ioctl each.
///
/// These send what they are given: `VGICConfiguration.validate` is the place that checks a
/// layout before anything is sent. Kernel refusals come back as `.address(type, refusal, error)`.
extension VGIC {
    /// Sets the distributor base (v2 or v3 address type, by model).
    public func setDistributorBase(_ base: UInt64) throws(VGICError) {
        switch version {
        case .v2: try setAddress(.v2Distributor, base)
        case .v3: try setAddress(.v3Distributor, base)
        case .v5: throw .configuration(.frameNotInModel(.distributor, .v5))
        }
    }

    /// Sets the GICv2 CPU interface base.
    public func setCPUInterfaceBase(_ base: UInt64) throws(VGICError) {
        guard version == .v2 else { throw .configuration(.frameNotInModel(.cpuInterface, version)) }
        try setAddress(.v2CPUInterface, base)
    }

    /// Sets the GICv3 legacy redistributor block base (one 128 KiB redistributor per vCPU).
    public func setRedistributorBase(_ base: UInt64) throws(VGICError) {
        guard version == .v3 else { throw .configuration(.frameNotInModel(.redistributors, version)) }
        try setAddress(.v3Redistributor, base)
    }

    /// Adds a GICv3 redistributor region (its index must be the next one).
    public func addRedistributorRegion(_ region: RedistributorRegion) throws(VGICError) {
        guard version == .v3 else {
            throw .configuration(.frameNotInModel(.redistributorRegion(index: region.index), version))
        }
        try setAddress(.v3RedistributorRegion, region.rawValue)
    }

    /// Reads back redistributor region `index` (ENOENT: `.address(_, .noSuchRegion, _)`).
    public func redistributorRegion(index: UInt32) throws(VGICError) -> RedistributorRegion {
        let request: UInt64
        do throws(GICValueError) {
            request = try RedistributorRegion.readRequest(index: index)
        } catch {
            throw .configuration(.invalidValue(error))
        }
        let word: UInt64
        do throws(KVMError) {
            word = try device.get(.address(.v3RedistributorRegion), presetting: request)
        } catch {
            throw .addressing(.v3RedistributorRegion, error)
        }
        do throws(GICValueError) {
            return try RedistributorRegion(rawValue: word)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// `KVM_SET_DEVICE_ATTR` of any address type with any word, unchecked: the raw step the
    /// typed setters use, and what conformance checks use to send what the kernel must refuse
    /// (a REDIST_REGION word with flags set, or count 0).
    public func setAddress(_ type: AddressType, _ value: UInt64) throws(VGICError) {
        do throws(KVMError) {
            try device.set(.address(type), to: value)
        } catch {
            throw .addressing(type, error)
        }
    }

    /// `KVM_GET_DEVICE_ATTR` of an address; an address never set reads as `UInt64.max`.
    public func address(_ type: AddressType) throws(VGICError) -> UInt64 {
        do throws(KVMError) {
            return try device.get(.address(type))
        } catch {
            throw .addressing(type, error)
        }
    }

    /// `KVM_HAS_DEVICE_ATTR`: whether this model knows the address type (no side effects).
    public func hasAddress(_ type: AddressType) throws(VGICError) -> Bool {
        do throws(KVMError) {
            return try device.has(.address(type))
        } catch {
            throw .addressing(type, error)
        }
    }

    /// Sets NR_IRQS (SGIs + PPIs + SPIs), unchecked. Must precede `initialise`.
    ///
    /// - Throws: `.interruptCountRejected` (EINVAL: not a multiple of 32 in 64...1023),
    ///   `.interruptCountFixed` (EBUSY: already set, or initialised).
    public func setInterruptCount(_ count: UInt32) throws(VGICError) {
        do throws(KVMError) {
            try device.set(.nrIRQs, to: count)
        } catch {
            throw .countingInterrupts(error)
        }
    }

    /// NR_IRQS as the kernel holds it (256 after an init without a set).
    public func interruptCount() throws(VGICError) -> UInt32 {
        do throws(KVMError) {
            return try device.get(.nrIRQs)
        } catch {
            throw .countingInterrupts(error)
        }
    }
}
