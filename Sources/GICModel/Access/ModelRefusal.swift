import GICVocabulary

/// Why the model refused an operation, and the errno the kernel gives for the same refusal.
///
/// The fuzzer's rule is "fails identically": a kernel refusal must meet a model refusal with the
/// same errno, and a model refusal must meet a kernel refusal. The reason is for people; the errno
/// is what is compared.
public struct ModelRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the kernel returns.
    public let errno: KernelErrno
    /// Which rule refused it.
    public let reason: Reason

    public init(_ errno: KernelErrno, _ reason: Reason) {
        self.errno = errno
        self.reason = reason
    }

    /// The rules behind each refusal, each named after the kernel function that applies it.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// `vgic_v3_parse_attr`: the attr's affinity names no vCPU (REDIST_REGS, CPU_SYSREGS,
        /// LEVEL_INFO). EINVAL.
        case noVCPUWithAffinity(Affinity)
        /// `vgic_v3_has_attr_regs`: no register region covers the offset, the offset is not
        /// 4-aligned, or a per-interrupt bank word lies at or above NR_IRQS. ENXIO (HAS only:
        /// GET reads 0 and SET is ignored there).
        case noRegisterAt(offset: UInt32)
        /// `vgic_mmio_uaccess_write_v3_misc`: a GICD_IIDR write that changes a field other than
        /// Revision, or keeps an unsupported revision. EINVAL.
        case iidrRejected(written: UInt32, current: UInt32)
        /// `vgic_mmio_uaccess_write_v3_misc`: a GICD_TYPER2 write that differs from what
        /// KVM reports. EINVAL on 6.12, EBUSY on 7.x (`KernelBehaviour.typer2ChangeErrno`).
        case typer2Rejected(written: UInt32, current: UInt32)
        /// `vgic_v3_attr_regs_access`: LEVEL_INFO with an info field other than
        /// `VGIC_LEVEL_INFO_LINE_LEVEL`. EINVAL.
        case levelInfoKind(UInt32)
        /// `vgic_v3_line_level_info_uaccess`: a vINTID that is not a multiple of 32. EINVAL.
        case levelInfoMisaligned(UInt32)
        /// `kvm_sys_reg_{get,set}_user`: no such ICC register, or an EL2 one on a vCPU without
        /// nested virtualisation. ENOENT.
        case noSuchSystemRegister(SysRegEncoding)
        /// `{get,set}_gic_ap{0,1}r`: an APR index above `vgic_v3_max_apr_idx`. EINVAL.
        case aprIndex(index: UInt8, priorityBits: UInt8)
        /// `set_gic_ctlr`: PRIbits + 1 above the vCPU's current priority bits. EINVAL.
        case ctlrPriorityBits(requested: UInt8, allowed: UInt8)
        /// `set_gic_ctlr`: IDbits above the vCPU's current IDbits. EINVAL.
        case ctlrIDBits(requested: UInt8, allowed: UInt8)
        /// `set_gic_ctlr`: SEIS differs from the host's ICH_VTR_EL2.SEIS. EINVAL.
        case ctlrSEIS(requested: Bool, host: Bool)
        /// `set_gic_ctlr`: A3V differs from the host's ICH_VTR_EL2.A3V. EINVAL.
        case ctlrA3V(requested: Bool, host: Bool)
        /// `set_gic_sre`: a write without ICC_SRE_EL1.SRE. EINVAL.
        case sreDisabled(UInt64)
        /// `kvm_vm_ioctl_irq_line`: a CPU line with an in-kernel GIC. ENXIO.
        case cpuLineWithInKernelGIC
        /// `kvm_vm_ioctl_irq_line`: an `irq_type` other than CPU, SPI or PPI. EINVAL.
        case lineType(UInt32)
        /// `kvm_vm_ioctl_irq_line`: a PPI line for a vCPU id that does not exist. EINVAL.
        case noVCPUWithID(UInt32)
        /// `kvm_vm_ioctl_irq_line`: a PPI number outside 16–31, or an SPI number below 32. EINVAL.
        case lineNumber(type: UInt32, number: UInt32)
        /// `kvm_vgic_inject_irq`: an SPI at or above NR_IRQS (`vgic_get_irq` finds nothing). EINVAL.
        case noSuchInterrupt(UInt32)
        /// `vgic_v3_attr_regs_access`, `vgic_lazy_init`: a register access or a line before
        /// CTRL_INIT. EBUSY.
        case notInitialised
        /// `kvm_arch_vcpu_precreate`: `KVM_CREATE_VCPU` after CTRL_INIT. EBUSY.
        case vcpuAfterInitialisation
        /// `vgic_set_common_attr`: NR_IRQS below 64, above `VGIC_MAX_RESERVED` (1023) or not a
        /// multiple of 32. EINVAL.
        case interruptCountRejected(UInt32)
        /// `vgic_set_common_attr`: NR_IRQS once `nr_spis` is set (by userspace, or by CTRL_INIT's
        /// default). EBUSY.
        case interruptCountFixed
        /// `kvm_vgic_addr`: an ADDR type the vgic-v3 does not have (-ENODEV, which
        /// `vgic_{set,get}_common_attr` turn into ENXIO).
        case noSuchAddressType(UInt64)
        /// `vgic_check_iorange`, `vgic_v3_alloc_redist_region`: a frame address set twice, or a
        /// second legacy redistributor block. EEXIST.
        case addressAlreadySet(UInt64)
        /// `vgic_check_iorange`: a base not 64 KiB aligned. EINVAL.
        case addressMisaligned(UInt64)
        /// `vgic_check_iorange`: a frame that does not end below `1 << ipaBits`. E2BIG.
        case addressBeyondIPA(UInt64, ipaBits: Int)
        /// `kvm_vgic_addr`: a REDIST_REGION word with count 0 or non-zero flags. EINVAL.
        case regionWordRejected(UInt64)
        /// `vgic_v3_alloc_redist_region`: a region index other than the last + 1 (0 first), or a
        /// legacy block mixed with regions. EINVAL.
        case regionOutOfOrder(index: UInt32)
        /// `vgic_v3_alloc_redist_region`: redistributors that overlap another region or the
        /// distributor. EINVAL.
        case regionOverlaps(base: UInt64)
        /// `kvm_vgic_addr`: a REDIST_REGION read of an index no region has. ENOENT.
        case noSuchRegion(index: UInt32)

        public var description: String {
            switch self {
            case .noVCPUWithAffinity(let affinity):
                "no vCPU has affinity " + hex(affinity.packed)
            case .noRegisterAt(let offset):
                "no register region at offset " + hex(offset)
            case .iidrRejected(let written, let current):
                "GICD_IIDR write " + hex(written) + " refused (KVM reports "
                    + hex(current) + ")"
            case .typer2Rejected(let written, let current):
                "GICD_TYPER2 write " + hex(written) + " refused (KVM reports "
                    + hex(current) + ")"
            case .levelInfoKind(let info):
                "LEVEL_INFO info \(info) is not VGIC_LEVEL_INFO_LINE_LEVEL"
            case .levelInfoMisaligned(let intid):
                "LEVEL_INFO vINTID \(intid) is not a multiple of 32"
            case .noSuchSystemRegister(let encoding):
                "no CPU_SYSREGS register with instr " + hex(encoding.instr)
            case .aprIndex(let index, let bits):
                "APR index \(index) does not exist with \(bits) priority bits"
            case .ctlrPriorityBits(let requested, let allowed):
                "ICC_CTLR_EL1 asks for \(requested) priority bits, the vCPU has \(allowed)"
            case .ctlrIDBits(let requested, let allowed):
                "ICC_CTLR_EL1 IDbits \(requested) above the vCPU's \(allowed)"
            case .ctlrSEIS(let requested, let host):
                "ICC_CTLR_EL1 SEIS \(requested) differs from the host's \(host)"
            case .ctlrA3V(let requested, let host):
                "ICC_CTLR_EL1 A3V \(requested) differs from the host's \(host)"
            case .sreDisabled(let value):
                "ICC_SRE_EL1 write " + hex(value) + " clears SRE"
            case .cpuLineWithInKernelGIC:
                "KVM_IRQ_LINE type CPU with an in-kernel GIC"
            case .lineType(let type):
                "KVM_IRQ_LINE irq_type \(type) is not CPU, SPI or PPI"
            case .noVCPUWithID(let id):
                "no vCPU with id \(id)"
            case .lineNumber(let type, let number):
                "KVM_IRQ_LINE type \(type) cannot carry number \(number)"
            case .noSuchInterrupt(let intid):
                "INTID \(intid) does not exist in this VM"
            case .notInitialised:
                "the vgic is not initialised (CTRL_INIT)"
            case .vcpuAfterInitialisation:
                "KVM_CREATE_VCPU after CTRL_INIT"
            case .interruptCountRejected(let count):
                "NR_IRQS \(count) is not a multiple of 32 in 64...1023"
            case .interruptCountFixed:
                "NR_IRQS is already fixed"
            case .noSuchAddressType(let type):
                "no vgic-v3 address type \(type)"
            case .addressAlreadySet(let type):
                "address type \(type) is already set"
            case .addressMisaligned(let base):
                "0x" + String(base, radix: 16) + " is not 64 KiB aligned"
            case .addressBeyondIPA(let base, let bits):
                "a frame at 0x" + String(base, radix: 16) + " does not fit a \(bits)-bit IPA space"
            case .regionWordRejected(let word):
                "REDIST_REGION word 0x" + String(word, radix: 16) + " has count 0 or flags set"
            case .regionOutOfOrder(let index):
                "redistributor region \(index) is not the next one, or mixes layouts"
            case .regionOverlaps(let base):
                "redistributors at 0x" + String(base, radix: 16) + " overlap another frame"
            case .noSuchRegion(let index):
                "no redistributor region \(index)"
            }
        }
    }

    public var description: String { "\(errno): \(reason)" }
}
