import GICVocabulary
import KVM

/// Per-vCPU state outside the MMIO frames: ICC system registers (CPU_SYSREGS, always 64-bit
/// buffers) and line levels (LEVEL_INFO, the half of pending state ISPENDR does not show).
extension VGIC {
    /// Reads ICC (or, with nested virt, ICH) register `register` of `vcpu`.
    public func systemRegister(_ register: ICCRegister, of vcpu: VCPUIdentity) throws(VGICError) -> UInt64 {
        do throws(KVMError) {
            return try device.get(.cpuSysreg(vcpu.affinity, register.encoding))
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// Writes ICC register `register` of `vcpu` (the kernel checks CTLR, SRE and APR values).
    public func setSystemRegister(_ register: ICCRegister, of vcpu: VCPUIdentity, to value: UInt64) throws(VGICError) {
        do throws(KVMError) {
            try device.set(.cpuSysreg(vcpu.affinity, register.encoding), to: value)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// Whether the kernel exposes `register` for `vcpu` (EL2 registers only with nested virt).
    public func hasSystemRegister(_ register: ICCRegister, of vcpu: VCPUIdentity) throws(VGICError) -> Bool {
        do throws(KVMError) {
            return try device.has(.cpuSysreg(vcpu.affinity, register.encoding))
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// Line levels of the 32 INTIDs from `selector.firstINTID`: bit n is INTID first + n.
    public func lineLevels(_ selector: LevelInfoSelector) throws(VGICError) -> UInt32 {
        do throws(KVMError) {
            return try device.get(.levelInfo(selector))
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// Restores line levels of the 32 INTIDs from `selector.firstINTID`.
    public func setLineLevels(_ selector: LevelInfoSelector, to bitmap: UInt32) throws(VGICError) {
        do throws(KVMError) {
            try device.set(.levelInfo(selector), to: bitmap)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// The selector for the 32 INTIDs including `intid`, on `vcpu` (whose affinity matters for
    /// PPIs; for SPIs any existing vCPU will do).
    public static func levelSelector(covering intid: UInt32, of vcpu: VCPUIdentity) throws(VGICError) -> LevelInfoSelector {
        do throws(GICValueError) {
            return try LevelInfoSelector(affinity: vcpu.affinity, covering: intid)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// Whether `intid`'s line is high on `vcpu`.
    public func lineLevel(of intid: UInt32, on vcpu: VCPUIdentity) throws(VGICError) -> Bool {
        let selector = try VGIC.levelSelector(covering: intid, of: vcpu)
        let bitmap = try lineLevels(selector)
        return bitmap & (1 << (intid - selector.firstINTID)) != 0
    }
}
