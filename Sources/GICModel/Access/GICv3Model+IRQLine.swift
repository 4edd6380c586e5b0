import GICVocabulary

/// `KVM_IRQ_LINE` on a GICv3 VM: `kvm_vm_ioctl_irq_line` decodes the word, `kvm_vgic_inject_irq`
/// finds the interrupt, and `vgic_validate_injection` decides whether the call changes anything.
extension GICv3Model {
    /// Drives the line the word names to `level`.
    ///
    /// * type CPU: ENXIO (there is an in-kernel GIC);
    /// * type PPI: the vCPU is looked up by **id** (`vcpu_index + 256 × vcpu2_index`, matched
    ///   against `configuration.vcpuIDs`), EINVAL if there is none; the number must be 16–31, else EINVAL;
    /// * type SPI: the vCPU fields are ignored; numbers below 32 are EINVAL, and so is any INTID at
    ///   or above NR_IRQS (no `vgic_irq` exists for it);
    /// * other types: EINVAL.
    ///
    /// Then a level interrupt takes the level only if it differs from its line (an unchanged level is
    /// ignored); an edge interrupt latches on every level 1 and ignores level 0 (divergence 3 in
    /// GICModel.docc/AttributeView.md, vectors G3-08/09 in GICModel.docc/GICv3TestVectors.md). Interrupts
    /// owned by an in-kernel device (timers, PMU) ignore userspace, but KVM only sets those owners when a
    /// vCPU first runs, and the model never runs one.
    public mutating func setLine(_ word: IRQLineWord, level: Bool) throws(ModelRefusal) {
        let type = word.typeField
        let number = word.number
        switch IRQLineWord.LineType(rawValue: type) {
        case .cpu?:
            throw ModelRefusal(.ENXIO, .cpuLineWithInKernelGIC)
        case .ppi?:
            let id = word.vcpuIndex.value
            guard let vcpu = configuration.vcpuIndex(id: id) else { throw ModelRefusal(.EINVAL, .noVCPUWithID(id)) }
            guard number >= Self.sgiCount, number < Self.privateCount else {
                throw ModelRefusal(.EINVAL, .lineNumber(type: type, number: number))
            }
            inject(number, vcpu: vcpu, level: level)
        case .spi?:
            guard number >= Self.privateCount else {
                throw ModelRefusal(.EINVAL, .lineNumber(type: type, number: number))
            }
            guard number < interruptCount else { throw ModelRefusal(.EINVAL, .noSuchInterrupt(number)) }
            inject(number, vcpu: 0, level: level)
        case nil:
            throw ModelRefusal(.EINVAL, .lineType(type))
        }
    }

    /// `vgic_validate_injection` and the update that follows it.
    mutating func inject(_ intid: UInt32, vcpu: Int, level: Bool) {
        let risingOnly = configuration.mutations.contains(.edgeNeedsRisingLine)
        update(intid, vcpu: vcpu) { irq in
            if irq.edge && risingOnly {
                // The mutant: QEMU's rule, where an edge interrupt follows its line and only a
                // 0 -> 1 change latches.
                if level && !irq.line { irq.latch = true }
                irq.line = level
            } else if irq.edge {
                if level { irq.latch = true }
            } else if irq.line != level {
                irq.line = level
            }
        }
    }
}
