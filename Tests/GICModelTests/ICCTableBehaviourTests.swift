import GICModel
import GICVocabulary
import Testing

/// The ICC register table's columns (`access`, `resetValue`, `aprIndex`, `requiresEL2`) checked
/// against what the model does with a userspace GET/SET, row by row. The model is the kernel's
/// stand-in here (the lab's differential runs check it against real KVM), so a wrong column shows
/// up as a behaviour that does not match it.
@Suite("ICC table columns against the model")
struct ICCTableBehaviourTests {
    /// 7 priority bits, so every APR index is accessible and APR rows behave like any stored row.
    let host = HostCPUInterface(priorityBits: 7, idBits: 1, seis: false, a3v: true)

    @Test("resetValue: a fresh vCPU reads the column's value for every EL1 row that has one")
    func resetValues() throws {
        let model = makeModel(host: host)
        for register in ICCRegister.el1 {
            guard let reset = register.resetValue else {
                #expect(register.access == .control, "\(register.name): only ICC_CTLR_EL1 is host-derived")
                continue
            }
            #expect(try model.readSystemRegister(cpu(0), register.encoding) == reset, "\(register.name)")
        }
    }

    @Test("stored(mask:): writing all ones reads back the mask, then zero reads back zero")
    func storedRows() throws {
        var model = makeModel(host: host)
        var seen = 0
        for register in ICCRegister.el1 {
            guard case .stored(let mask) = register.access else { continue }
            seen += 1
            try model.writeSystemRegister(cpu(1), register.encoding, ~0)
            #expect(try model.readSystemRegister(cpu(1), register.encoding) == mask, "\(register.name)")
            try model.writeSystemRegister(cpu(1), register.encoding, 0)
            #expect(try model.readSystemRegister(cpu(1), register.encoding) == 0, "\(register.name)")
        }
        #expect(seen == 12)  // PMR, BPR0, two IGRPENs, eight APRs
    }

    @Test("bpr1: its own 3 bits while CBPR is clear; ignored and BPR0 + 1 while CBPR is set")
    func bpr1Row() throws {
        #expect(ICCRegister.iccBPR1.access == .bpr1)
        var model = makeModel(host: host)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccBPR1.encoding, 0xFF)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccBPR1.encoding) == 7)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccBPR0.encoding, 2)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, host.control.rawValue | ICCControl.cbprMask)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccBPR1.encoding, 5)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccBPR1.encoding) == 3)
    }

    @Test("control: the host's fields read back, state fields stored, a different SEIS or A3V refused")
    func controlRow() throws {
        #expect(ICCRegister.iccCTLR.access == .control)
        var model = makeModel(host: host)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding) == host.control.rawValue)
        let withState = host.control.rawValue | ICCControl.cbprMask | ICCControl.eoiModeMask
        try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, withState)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding) == withState)
        for flipped in [ICCControl.seisMask, ICCControl.a3vMask] {
            #expect(errno { () throws(ModelRefusal) in
                try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, host.control.rawValue ^ flipped)
            } == .EINVAL)
        }
    }

    @Test("systemRegisterEnable: SRE 0 refused, anything with SRE set accepted, reads stay the reset value")
    func sreRow() throws {
        #expect(ICCRegister.iccSRE.access == .systemRegisterEnable)
        var model = makeModel(host: host)
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), ICCRegister.iccSRE.encoding, 0x6) } == .EINVAL)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccSRE.encoding, 0x1)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccSRE.encoding) == ICCRegister.iccSRE.resetValue)
    }

    @Test("requiresEL2: every EL2 row is hidden from a vCPU without nested virtualisation (ENOENT, HAS ENXIO)")
    func el2Rows() {
        var model = makeModel(host: host)
        for register in ICCRegister.el2 {
            #expect(register.requiresEL2)
            #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(cpu(0), register.encoding) } == .ENOENT, "\(register.name)")
            #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), register.encoding, 0) } == .ENOENT, "\(register.name)")
            #expect(errno { () throws(ModelRefusal) in try model.hasSystemRegister(cpu(0), register.encoding) } == .ENXIO, "\(register.name)")
        }
    }

    @Test("aprIndex: with 5 priority bits only index 0 is accessible; the others are EINVAL both ways")
    func aprRows() {
        var model = makeModel(host: HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true))
        for register in ICCRegister.iccAP0R + ICCRegister.iccAP1R {
            let expected: KernelErrno? = register.isAccessible(priorityBits: 5) ? nil : .EINVAL
            #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(cpu(0), register.encoding) } == expected, "\(register.name)")
            #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), register.encoding, 1) } == expected, "\(register.name)")
        }
    }
}
