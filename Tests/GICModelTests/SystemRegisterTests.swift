import GICModel
import GICVocabulary
import Testing

/// CPU_SYSREGS (`vgic-sys-reg-v3.c`): the VMCR image, the APRs and the checks on ICC_CTLR_EL1 and
/// ICC_SRE_EL1.
@Suite("ICC system registers")
struct SystemRegisterTests {
    let host = HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true)

    @Test("PMR keeps all eight bits as written; BPR0/BPR1 keep three")
    func vmcrFields() throws {
        var model = makeModel()
        try model.writeSystemRegister(cpu(1), ICCRegister.iccPMR.encoding, 0x1_FF)
        try model.writeSystemRegister(cpu(1), ICCRegister.iccBPR0.encoding, 0xF)
        try model.writeSystemRegister(cpu(1), ICCRegister.iccBPR1.encoding, 0x9)
        #expect(try model.readSystemRegister(cpu(1), ICCRegister.iccPMR.encoding) == 0xFF)
        #expect(try model.readSystemRegister(cpu(1), ICCRegister.iccBPR0.encoding) == 0x7)
        #expect(try model.readSystemRegister(cpu(1), ICCRegister.iccBPR1.encoding) == 0x1)
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccPMR.encoding) == 0)
    }

    @Test("with CBPR set, BPR1 reads min(BPR0 + 1, 7) and ignores writes")
    func commonBinaryPoint() throws {
        var model = makeModel(host: host)
        let bpr1 = ICCRegister.iccBPR1.encoding
        try model.writeSystemRegister(cpu(0), bpr1, 4)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccBPR0.encoding, 2)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, 0x8C01)
        #expect(try model.readSystemRegister(cpu(0), bpr1) == 3)
        try model.writeSystemRegister(cpu(0), bpr1, 6)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccBPR0.encoding, 7)
        #expect(try model.readSystemRegister(cpu(0), bpr1) == 7)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, 0x8C00)
        #expect(try model.readSystemRegister(cpu(0), bpr1) == 4)
    }

    @Test("ICC_CTLR_EL1: only CBPR and EOImode are stored; the rest is checked against the vCPU and host")
    func ctlrWritable() throws {
        var model = makeModel(host: host)
        let ctlr = ICCRegister.iccCTLR.encoding
        try model.writeSystemRegister(cpu(0), ctlr, 0x8C00 | 0x3 | 0x40 | 0x40000)
        #expect(try model.readSystemRegister(cpu(0), ctlr) == 0x8C03)
    }

    @Test("ICC_CTLR_EL1 refusals: more priority bits, more ID bits, another SEIS or A3V (EINVAL)", arguments: [
        UInt64(0x8D00), 0x9400, 0xCC00, 0x0C00,
    ])
    func ctlrRefused(value: UInt64) {
        var model = makeModel(host: host)
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, value) } == .EINVAL)
    }

    @Test("a refused ICC_CTLR_EL1 write still lowers the priority bits it accepted before refusing")
    func ctlrPartialUpdate() throws {
        var model = makeModel(host: host)
        let ctlr = ICCRegister.iccCTLR.encoding
        // PRIbits 3 (4 bits) is accepted and stored, then IDbits 2 > 1 is refused.
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(2), ctlr, 0x8000 | 2 << 11 | 3 << 8) } == .EINVAL)
        #expect(try model.readSystemRegister(cpu(2), ctlr) == 0x8B00)
        // Now 5 bits is more than the vCPU has.
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(2), ctlr, 0x8C00) } == .EINVAL)
        // IDbits accepted at 0, then A3V refused: IDbits stays lowered.
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(2), ctlr, 3 << 8) } == .EINVAL)
        #expect(try model.readSystemRegister(cpu(2), ctlr) == 0x8300)
    }

    @Test("APR registers: index above vgic_v3_max_apr_idx is EINVAL (5 or 4 bits: AP?R0 only; 6: 0–1; 7: 0–3)")
    func aprIndex() throws {
        for (bits, allowed): (UInt8, UInt8) in [(5, 0), (6, 1), (7, 3), (4, 0)] {
            var model = makeModel(host: HostCPUInterface(priorityBits: bits, idBits: 1, seis: false, a3v: true))
            for register in ICCRegister.el1 {
                guard let index = register.aprIndex else { continue }
                let expected: KernelErrno? = index <= allowed ? nil : .EINVAL
                #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(cpu(0), register.encoding) } == expected, "\(register.name) with \(bits) bits")
                #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), register.encoding, 0x1_0000_0001) } == expected)
                if expected == nil {
                    #expect(try model.readSystemRegister(cpu(0), register.encoding) == 0x1)
                }
            }
        }
    }

    @Test("lowering PRIbits through ICC_CTLR_EL1 hides the higher APRs")
    func lowerPriorityBitsHidesAPRs() throws {
        var model = makeModel(host: HostCPUInterface(priorityBits: 7, idBits: 1, seis: false, a3v: true))
        let ap1r3 = ICCRegister.iccAP1R3.encoding
        try model.writeSystemRegister(cpu(0), ap1r3, 5)
        try model.writeSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding, 0x8000 | 0x800 | 4 << 8)
        #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(cpu(0), ap1r3) } == .EINVAL)
    }

    @Test("ICC_SRE_EL1: a write must keep SRE (EINVAL otherwise) and never changes the 0x7 it reads")
    func sre() throws {
        var model = makeModel()
        let sre = ICCRegister.iccSRE.encoding
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), sre, 0x6) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), sre, 0x1) } == nil)
        #expect(try model.readSystemRegister(cpu(0), sre) == 0x7)
    }

    @Test("IGRPEN0/1 keep bit 0 only")
    func groupEnables() throws {
        var model = makeModel()
        try model.writeSystemRegister(cpu(3), ICCRegister.iccIGRPEN1.encoding, 0xFF)
        try model.writeSystemRegister(cpu(3), ICCRegister.iccIGRPEN0.encoding, 0xFE)
        #expect(try model.readSystemRegister(cpu(3), ICCRegister.iccIGRPEN1.encoding) == 1)
        #expect(try model.readSystemRegister(cpu(3), ICCRegister.iccIGRPEN0.encoding) == 0)
    }

    @Test("EL2 registers and unknown encodings are ENOENT for GET/SET and ENXIO for HAS; a bad selector is EINVAL")
    func unknownRegisters() {
        var model = makeModel()
        let vmcr = ICCRegister.ichVMCR.encoding
        let unknown = SysRegEncoding(instr: 0xC668)
        #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(cpu(0), vmcr) } == .ENOENT)
        #expect(errno { () throws(ModelRefusal) in try model.writeSystemRegister(cpu(0), unknown, 0) } == .ENOENT)
        #expect(errno { () throws(ModelRefusal) in try model.hasSystemRegister(cpu(0), vmcr) } == .ENXIO)
        #expect(errno { () throws(ModelRefusal) in try model.hasSystemRegister(cpu(0), ICCRegister.iccPMR.encoding) } == nil)
        #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(nobody, ICCRegister.iccPMR.encoding) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.readSystemRegister(nobody, vmcr) } == .EINVAL)
    }
}
