import GICVocabulary
import KVM

/// GICv2 CPU interface registers by name (`GICv2CPURegister`), through
/// `KVM_DEV_ARM_VGIC_GRP_CPU_REGS`: attr = vCPU **id** in bits 39:32 (`V2CPUSelector`), offset
/// in bits 31:0; the value is a `__u32`.
///
/// A GICv2 initialises itself on the first such access (there is no CTRL_INIT requirement), so
/// an EBUSY here always means vCPUs are running or being created: `.vcpusRunning`. A vCPU id the
/// VM does not have is EINVAL from the kernel (`.kernel`); so is any access on a VM with no vCPU
/// at all (vgic_init.c `test_v2_uaccess_cpuif_no_vcpus`).
extension VGIC {
    /// Reads `register` of `vcpu`.
    ///
    /// - Throws, before any ioctl: `.configuration(.frameNotInModel(.cpuInterface, _))` unless
    ///   this is a GICv2; `.configuration(.invalidValue)` for a vCPU id above 255.
    public func cpuInterfaceRegister(_ register: GICv2CPURegister, of vcpu: VCPUIdentity) throws(VGICError) -> UInt32 {
        let attribute = try cpuInterfaceAttribute(register, vcpu)
        do throws(KVMError) {
            return try device.get(attribute)
        } catch {
            throw VGIC.accessingCPUInterface(error)
        }
    }

    /// Writes `register` of `vcpu` (a write to GICC_IIDR is accepted and ignored by the kernel).
    public func setCPUInterfaceRegister(_ register: GICv2CPURegister, of vcpu: VCPUIdentity, to value: UInt32) throws(VGICError) {
        let attribute = try cpuInterfaceAttribute(register, vcpu)
        do throws(KVMError) {
            try device.set(attribute, to: value)
        } catch {
            throw VGIC.accessingCPUInterface(error)
        }
    }

    /// Whether the kernel exposes `register` for `vcpu` (`KVM_HAS_DEVICE_ATTR`; ENXIO is false).
    public func hasCPUInterfaceRegister(_ register: GICv2CPURegister, of vcpu: VCPUIdentity) throws(VGICError) -> Bool {
        let attribute = try cpuInterfaceAttribute(register, vcpu)
        do throws(KVMError) {
            return try device.has(attribute)
        } catch {
            throw VGIC.accessingCPUInterface(error)
        }
    }

    /// GICC_PMR of `vcpu` as the architectural 8-bit priority mask (KVM's ABI carries it
    /// shifted right by 3; see `GICv2CPURegister.UAccess.priorityMaskField`).
    public func priorityMask(of vcpu: VCPUIdentity) throws(VGICError) -> UInt8 {
        let field = try cpuInterfaceRegister(.giccPMR, of: vcpu)
        return UInt8(truncatingIfNeeded: (field & 0x1F) << GICv2CPURegister.priorityMaskShift)
    }

    /// Sets GICC_PMR of `vcpu` from the architectural 8-bit priority mask. The low 3 bits are
    /// not implemented (KVM keeps 5 priority bits) and are dropped, as hardware would.
    public func setPriorityMask(_ mask: UInt8, of vcpu: VCPUIdentity) throws(VGICError) {
        try setCPUInterfaceRegister(.giccPMR, of: vcpu, to: UInt32(mask) >> GICv2CPURegister.priorityMaskShift)
    }

    private func cpuInterfaceAttribute(_ register: GICv2CPURegister, _ vcpu: VCPUIdentity) throws(VGICError) -> DeviceAttribute<UInt32> {
        guard version == .v2 else { throw .configuration(.frameNotInModel(.cpuInterface, version)) }
        do throws(GICValueError) {
            return .cpuInterfaceRegister(try V2CPUSelector(vcpuIndex: vcpu.id), offset: register.offset)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// CPU_REGS refusals: EBUSY is running vCPUs (GICv2 initialises lazily, never "not
    /// initialised"); everything else (EINVAL: no such vCPU; ENXIO: no such register) is
    /// `.kernel`.
    static func accessingCPUInterface(_ error: KVMError) -> VGICError {
        error.errno == .EBUSY ? .vcpusRunning(error) : .kernel(error)
    }
}
