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
            }
        }
    }

    public var description: String { "\(errno): \(reason)" }
}
