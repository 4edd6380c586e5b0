import Testing
@testable import GICVocabulary
import TestSupport

/// What a decoded line says, in plain numbers, so a sweep can compare it with an oracle.
private struct Summary: Equatable {
    let kind: String
    let vcpu: UInt32?
    let number: UInt32
    let word: UInt32
}

private func summarise(_ line: IRQLine) -> Summary {
    switch line {
    case let .cpu(which, vcpu): return Summary(kind: "cpu", vcpu: vcpu.value, number: which.rawValue, word: line.word.rawValue)
    case let .spi(spi): return Summary(kind: "spi", vcpu: nil, number: spi.intid, word: line.word.rawValue)
    case let .ppi(ppi, vcpu): return Summary(kind: "ppi", vcpu: vcpu.value, number: ppi.intid, word: line.word.rawValue)
    case let .gicv5PPI(ppi, vcpu): return Summary(kind: "v5ppi", vcpu: vcpu.value, number: ppi.id, word: line.word.rawValue)
    case let .gicv5SPI(id): return Summary(kind: "v5spi", vcpu: nil, number: UInt32(id), word: line.word.rawValue)
    }
}

/// The kernel's `kvm_vm_ioctl_irq_line` checks (GICVocabulary.docc/InterruptNumbers.md), written out from the
/// bit layout.
private func oracle(_ raw: UInt32, _ model: IRQLineModel) -> Result<Summary, GICValueError> {
    let type = (raw >> 24) & 0xF
    let vcpu = ((raw >> 16) & 0xFF) + 256 * (raw >> 28)
    let number = raw & 0xFFFF
    switch type {
    case 0:
        guard number <= 1 else { return .failure(.outOfRange(field: .cpuLine, value: UInt64(number), allowed: 0...1)) }
        return .success(Summary(kind: "cpu", vcpu: vcpu, number: number, word: raw))
    case 1:
        guard raw & 0xF0FF_0000 == 0 else {
            return .failure(.reservedBitsSet(field: .irqLineVCPU, value: UInt64(raw), reservedMask: 0xF0FF_0000))
        }
        switch model {
        case .v2v3:
            guard (32...1019).contains(number) else {
                return .failure(.outOfRange(field: .spi, value: UInt64(number), allowed: 32...1019))
            }
            return .success(Summary(kind: "spi", vcpu: nil, number: number, word: raw))
        case .v5:
            return .success(Summary(kind: "v5spi", vcpu: nil, number: number, word: raw))
        }
    case 2:
        switch model {
        case .v2v3:
            guard (16...31).contains(number) else {
                return .failure(.outOfRange(field: .ppi, value: UInt64(number), allowed: 16...31))
            }
            return .success(Summary(kind: "ppi", vcpu: vcpu, number: number, word: raw))
        case .v5:
            guard number <= 127 else {
                return .failure(.outOfRange(field: .gicv5PPI, value: UInt64(number), allowed: 0...127))
            }
            return .success(Summary(kind: "v5ppi", vcpu: vcpu, number: number, word: raw))
        }
    default:
        return .failure(.outOfRange(field: .irqLineType, value: UInt64(type), allowed: 0...2))
    }
}

private func decode(_ raw: UInt32, _ model: IRQLineModel) -> Result<Summary, GICValueError> {
    outcome { () throws(GICValueError) -> Summary in
        summarise(try IRQLine(word: IRQLineWord(rawValue: raw), model: model))
    }
}

@Suite("KVM_IRQ_LINE word")
struct IRQLineTests {
    @Test("rust-vmm's test words: SPI 32 is 0x01_00_0020, PPI 16 on vCPU 0 is 0x02_00_0010")
    func rustVMMExamples() throws {
        #expect(IRQLineWord.spi(try SPI(intid: 32)).rawValue == 0x0100_0020)
        #expect(IRQLineWord.ppi(try PPI(intid: 16), vcpu: .zero).rawValue == 0x0200_0010)
    }

    @Test("vgic_v5 selftest: SW_PPI is type PPI with the raw number 3, not 16+3")
    func gicv5SWPPI() throws {
        let word = IRQLineWord.gicv5PPI(.swPPI, vcpu: .zero)
        #expect(word.rawValue == 2 << 24 | 3)
        #expect(try IRQLine(word: word, model: .v5) == .gicv5PPI(.swPPI, vcpu: .zero))
        // The same word means INTID 3 to a GICv3, which is an SGI, so it is refused there.
        #expect(throws: GICValueError.outOfRange(field: .ppi, value: 3, allowed: 16...31)) {
            try IRQLine(word: word, model: .v2v3)
        }
    }

    @Test("A vCPU id above 255 spills into vcpu2_index and needs layout 2", arguments: [
        (UInt32(0), UInt32(0x0200_001B), false),
        (255, 0x02FF_001B, false),
        (256, 0x1200_001B, true),
        (300, 0x122C_001B, true),
        (4095, 0xF2FF_001B, true),
    ])
    func layout2(_ vcpuID: UInt32, _ expected: UInt32, _ needsLayout2: Bool) throws {
        let vcpu = try VCPUIndex(vcpuID)
        let word = IRQLineWord.ppi(try PPI(intid: 27), vcpu: vcpu)
        #expect(word.rawValue == expected)
        #expect(word.needsLayout2 == needsLayout2)
        #expect(word.vcpuIndex == vcpu)
        #expect(vcpu.needsLayout2 == needsLayout2)
        #expect(try IRQLine(word: word, model: .v2v3).needsLayout2 == needsLayout2)
    }

    @Test("Every vCPU id 0–4095 survives encode and decode")
    func allVCPUs() throws {
        let ppi = try PPI(intid: 20)
        var failures: [UInt32] = []
        for id in UInt32(0)...4095 {
            let vcpu = try VCPUIndex(id)
            let word = IRQLineWord.ppi(ppi, vcpu: vcpu)
            if word.vcpuField + 256 * word.vcpu2Field != id || (try IRQLine(word: word, model: .v2v3)) != .ppi(ppi, vcpu: vcpu) {
                failures.append(id)
            }
        }
        #expect(failures.isEmpty, "first failing vCPU ids: \(failures.prefix(3))")
    }

    @Test("vCPU ids stop at 4095, the most the 12 bits can name")
    func vcpuLimit() {
        #expect(throws: GICValueError.outOfRange(field: .vcpuIndex, value: 4096, allowed: 0...4095)) {
            try VCPUIndex(4096)
        }
    }

    @Test("All 2^16 numbers of types 0–3, for both models, decode as the kernel's checks say and round-trip")
    func exhaustiveNumbers() {
        var recorder = MismatchRecorder()
        for model in IRQLineModel.allCases {
            for type in UInt32(0)...3 {
                for number in UInt32(0)...0xFFFF {
                    let raw = type << 24 | number
                    recorder.check(decode(raw, model), oracle(raw, model), "\(model) type \(type) number \(number)")
                }
            }
        }
        #expect(recorder.count == 0)
    }

    @Test("Types 3–15 are rejected naming the type", arguments: Array(UInt32(3)...15))
    func unknownTypes(_ type: UInt32) {
        for model in IRQLineModel.allCases {
            #expect(throws: GICValueError.outOfRange(field: .irqLineType, value: UInt64(type), allowed: 0...2)) {
                try IRQLine(word: IRQLineWord(rawValue: type << 24 | 40), model: model)
            }
        }
    }

    @Test("Random words decode as the kernel's checks say and valid ones round-trip (seeded)")
    func randomWords() {
        var rng = SplitMix64(seed: 0x6972_716C)
        var recorder = MismatchRecorder()
        for _ in 0..<100_000 {
            var raw = rng.next32()
            // Keep most samples on the defined types so the accepting paths get exercised too.
            if raw & 0x8 == 0 { raw &= 0xF2FF_FFFF }
            if raw & 0x10 == 0 { raw &= 0xFFFF_00FF }
            for model in IRQLineModel.allCases {
                recorder.check(decode(raw, model), oracle(raw, model), "\(model) \(hex(UInt64(raw)))")
            }
        }
        #expect(recorder.count == 0)
    }

    @Test("An SPI word with vCPU bits set is rejected: the kernel ignores them, so we did not build it")
    func spiWithVCPU() {
        for raw: UInt32 in [0x0101_0020, 0x1100_0020] {
            #expect(throws: GICValueError.reservedBitsSet(field: .irqLineVCPU, value: UInt64(raw), reservedMask: 0xF0FF_0000)) {
                try IRQLine(word: IRQLineWord(rawValue: raw), model: .v2v3)
            }
        }
    }

    @Test("GICv5 SPIs carry the raw 16-bit ID, 0–65535")
    func gicv5SPI() throws {
        #expect(IRQLineWord.gicv5SPI(id: 0).rawValue == 0x0100_0000)
        #expect(IRQLineWord.gicv5SPI(id: 0xFFFF).rawValue == 0x0100_FFFF)
        #expect(try IRQLine(word: IRQLineWord(rawValue: 0x0100_0005), model: .v5) == .gicv5SPI(id: 5))
        // The same word is INTID 5 to a GICv3: not an SPI.
        #expect(throws: GICValueError.outOfRange(field: .spi, value: 5, allowed: 32...1019)) {
            try IRQLine(word: IRQLineWord(rawValue: 0x0100_0005), model: .v2v3)
        }
    }

    @Test("CPU lines are IRQ 0 and FIQ 1 under any model; 2 is rejected")
    func cpuLines() throws {
        let vcpu = try VCPUIndex(7)
        #expect(IRQLineWord.cpu(.irq, vcpu: vcpu).rawValue == 0x0007_0000)
        #expect(IRQLineWord.cpu(.fiq, vcpu: vcpu).rawValue == 0x0007_0001)
        for model in IRQLineModel.allCases {
            #expect(try IRQLine(word: IRQLineWord(rawValue: 0x0007_0001), model: model) == .cpu(.fiq, vcpu: vcpu))
            #expect(throws: GICValueError.outOfRange(field: .cpuLine, value: 2, allowed: 0...1)) {
                try IRQLine(word: IRQLineWord(rawValue: 0x0007_0002), model: model)
            }
        }
    }

    @Test("A line knows its model and its target vCPU")
    func lineProperties() throws {
        let vcpu = try VCPUIndex(2)
        #expect(IRQLine.spi(try SPI(intid: 40)).model == .v2v3)
        #expect(IRQLine.spi(try SPI(intid: 40)).vcpu == nil)
        #expect(IRQLine.ppi(try PPI(intid: 27), vcpu: vcpu).vcpu == vcpu)
        #expect(IRQLine.gicv5PPI(.cntv, vcpu: vcpu).model == .v5)
        #expect(IRQLine.gicv5SPI(id: 1).model == .v5)
        #expect(IRQLine.cpu(.irq, vcpu: vcpu).model == nil)
    }

    @Test("Field accessors read the documented bit positions")
    func fields() {
        let word = IRQLineWord(rawValue: 0xA2B3_C4D5)
        #expect(word.vcpu2Field == 0xA)
        #expect(word.typeField == 0x2)
        #expect(word.vcpuField == 0xB3)
        #expect(word.number == 0xC4D5)
        #expect(word.vcpuIndex.value == 0xB3 + 256 * 0xA)
    }
}
