import GICVocabulary
import KVM

/// Distributor and redistributor registers by name (`GICv3Register`), through DIST_REGS and
/// REDIST_REGS.
///
/// The kernel moves 32 bits per access, so an element of a 64-bit register (GICR_TYPER,
/// PROPBASER, one GICD_IROUTER) is two accesses, low word at its offset then high word at
/// offset + 4 (GICVocabulary.docc/Pitfalls.md item 1). Banks are addressed by element index (ISENABLER word n,
/// IROUTER n) or by the INTID whose field an element holds. Before CTRL_INIT the kernel answers
/// EBUSY (`.notInitialised`) to every access on 6.12; kernels with the selectable-nASSGIcap
/// series (7.x) except GICD_IIDR and GICD_TYPER2 (scenario `vgic_init.v3.nassgicap`).
extension VGIC {
    // MARK: Distributor

    /// Reads element `index` of distributor register `register` (zero-extended if 32-bit).
    public func distributorRegister(_ register: GICv3Register, index: UInt32 = 0) throws(VGICError) -> UInt64 {
        try read(register, index: index, frameCheck: .distributor, affinity: VGIC.distributorSelector)
    }

    /// Writes element `index` of distributor register `register`.
    public func setDistributorRegister(_ register: GICv3Register, index: UInt32 = 0, to value: UInt64) throws(VGICError) {
        try write(register, index: index, frameCheck: .distributor, affinity: VGIC.distributorSelector, value)
    }

    /// Reads the element of distributor bank `register` that holds `intid`'s field (e.g. the
    /// GICD_ISPENDR word of SPI 40, or GICD_IROUTER of SPI 40, both halves).
    public func distributorRegister(_ register: GICv3Register, covering intid: UInt32) throws(VGICError) -> UInt64 {
        try distributorRegister(register, index: try VGIC.elementIndex(register, covering: intid))
    }

    // MARK: Redistributor

    /// Reads element `index` of redistributor register `register` (RD or SGI frame) of `vcpu`,
    /// selected by its affinity.
    public func redistributorRegister(
        _ register: GICv3Register, index: UInt32 = 0, of vcpu: VCPUIdentity
    ) throws(VGICError) -> UInt64 {
        try read(register, index: index, frameCheck: nil, affinity: vcpu.affinity)
    }

    /// Writes element `index` of redistributor register `register` of `vcpu`.
    public func setRedistributorRegister(
        _ register: GICv3Register, index: UInt32 = 0, of vcpu: VCPUIdentity, to value: UInt64
    ) throws(VGICError) {
        try write(register, index: index, frameCheck: nil, affinity: vcpu.affinity, value)
    }

    /// Reads the element of SGI-frame bank `register` of `vcpu` that holds `intid`'s field.
    public func redistributorRegister(
        _ register: GICv3Register, covering intid: UInt32, of vcpu: VCPUIdentity
    ) throws(VGICError) -> UInt64 {
        try redistributorRegister(register, index: try VGIC.elementIndex(register, covering: intid), of: vcpu)
    }

    // MARK: Plumbing

    /// DIST_REGS ignores the selector and uses vCPU 0 (GICVocabulary.docc/AttributeEncodings.md).
    static let distributorSelector = Affinity(aff0: 0)

    /// Bytes per element: 8 for 64-bit registers and 64-bit-per-interrupt banks, else 4.
    static func elementSize(_ register: GICv3Register) -> UInt32 {
        if register.bitsPerInterrupt == 64 { return 8 }
        if register.bitsPerInterrupt == 0 && register.width == .bits64 { return 8 }
        return 4
    }

    /// The element index of `register` holding `intid`'s field.
    static func elementIndex(_ register: GICv3Register, covering intid: UInt32) throws(VGICError) -> UInt32 {
        do throws(GICValueError) {
            let location = try register.location(of: intid)
            return (location.offset - register.offset) / elementSize(register)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }

    /// The offset of element `index`, after checking the frame and the index.
    private func elementOffset(
        _ register: GICv3Register, _ index: UInt32, frameCheck: GICv3Frame?
    ) throws(VGICError) -> UInt32 {
        if let frame = frameCheck, register.frame != frame {
            throw .configuration(.registerFrame(register, expected: frame))
        }
        if frameCheck == nil, !register.frame.isRedistributor {
            throw .configuration(.registerFrame(register, expected: .redistributorRD))
        }
        return try VGIC.elementOffset(register, index: index)
    }

    /// The attr offset of element `index` of `register` (a 64-bit element is the pair of words
    /// from there), or `.registerIndex` if the register has no such element: what every register
    /// access here checks before any ioctl.
    public static func elementOffset(_ register: GICv3Register, index: UInt32) throws(VGICError) -> UInt32 {
        let size = elementSize(register)
        let count = register.length / size
        guard index < count else { throw .configuration(.registerIndex(register, index: index, count: count)) }
        return register.offset + index * size
    }

    private func read(
        _ register: GICv3Register, index: UInt32, frameCheck: GICv3Frame?, affinity: Affinity
    ) throws(VGICError) -> UInt64 {
        let offset = try elementOffset(register, index, frameCheck: frameCheck)
        let low = try word(register.frame, affinity, offset)
        guard VGIC.elementSize(register) == 8 else { return UInt64(low) }
        let high = try word(register.frame, affinity, offset + 4)
        return UInt64(high) << 32 | UInt64(low)
    }

    private func write(
        _ register: GICv3Register, index: UInt32, frameCheck: GICv3Frame?, affinity: Affinity, _ value: UInt64
    ) throws(VGICError) {
        let offset = try elementOffset(register, index, frameCheck: frameCheck)
        let wide = VGIC.elementSize(register) == 8
        if !wide && value > UInt64(UInt32.max) { throw .configuration(.valueTooWide(register, value: value)) }
        try setWord(register.frame, affinity, offset, UInt32(truncatingIfNeeded: value))
        if wide { try setWord(register.frame, affinity, offset + 4, UInt32(truncatingIfNeeded: value >> 32)) }
    }

    private func attribute(_ frame: GICv3Frame, _ affinity: Affinity, _ offset: UInt32) throws(VGICError) -> DeviceAttribute<UInt32> {
        let attr: RegisterAttr
        do throws(GICValueError) {
            attr = try RegisterAttr(affinity: affinity, offset: offset)
        } catch {
            throw .configuration(.invalidValue(error))
        }
        return frame.isRedistributor ? .redistributorRegister(attr) : .distributorRegister(attr)
    }

    private func word(_ frame: GICv3Frame, _ affinity: Affinity, _ offset: UInt32) throws(VGICError) -> UInt32 {
        let attribute = try attribute(frame, affinity, offset)
        do throws(KVMError) {
            return try device.get(attribute)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    private func setWord(_ frame: GICv3Frame, _ affinity: Affinity, _ offset: UInt32, _ value: UInt32) throws(VGICError) {
        let attribute = try attribute(frame, affinity, offset)
        do throws(KVMError) {
            try device.set(attribute, to: value)
        } catch {
            if error.errno == .EBUSY, isInitialised, offset == GICv3Register.gicdTYPER2.offset, frame == .distributor {
                throw .frozenAfterInit(.gicdTYPER2, error)
            }
            throw .accessing(error, initialised: isInitialised)
        }
    }
}
