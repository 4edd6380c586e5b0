import GICVocabulary
import KVM
import Testing
import VGIC

/// `GICv5PPISet`: the typed form of the two `USERSPACE_PPIS` words.
@Suite("GICv5 PPI set")
struct GICv5PPISetTests {
    @Test("SW_PPI is bit 3 of word 0; PPI 64 is bit 0 of word 1; PPI 127 is bit 63 of word 1")
    func bitPositions() throws {
        #expect(([.swPPI] as GICv5PPISet) == GICv5PPISet(low: 0b1000, high: 0))
        #expect(GICv5PPISet([try GICv5PPI(id: 64)]) == GICv5PPISet(low: 0, high: 1))
        #expect(GICv5PPISet([try GICv5PPI(id: 127)]) == GICv5PPISet(low: 0, high: 1 << 63))
        #expect(GICv5PPISet([try GICv5PPI(id: 63)]) == GICv5PPISet(low: 1 << 63, high: 0))
    }

    @Test("the kernel's two words are the set's memory: low then high, 16 bytes; iteration is ascending")
    func layout() throws {
        let low: UInt64 = 1 << 30 | 1 << 3 | 1 << 27
        let set = GICv5PPISet(low: low, high: 1 << 5)
        #expect(MemoryLayout<GICv5PPISet>.size == 16 && MemoryLayout<GICv5PPISet>.stride == 16)
        #expect(MemoryLayout<GICv5PPISet>.offset(of: \.high) == 8)
        let words = withUnsafeBytes(of: set) { Array($0.bindMemory(to: UInt64.self)) }
        #expect(words == [low, 1 << 5])
        #expect(set.map(\.id) == [3, 27, 30, 69])
        #expect(set.count == 4 && !set.isEmpty)
        #expect(set.contains(.cntv) && set.contains(.cntp) && !set.contains(.pmuIRQ))
    }

    @Test("insert, remove, intersection")
    func algebra() throws {
        var set: GICv5PPISet = [.swPPI, .cntv]
        set.insert(try GICv5PPI(id: 100))
        set.remove(.cntv)
        #expect(set.map(\.id) == [3, 100])
        #expect(set.intersection([.swPPI, .cntp]) == [.swPPI])
        #expect(GICv5PPISet().isEmpty && GICv5PPISet().count == 0)
        #expect(GICv5PPISet() == GICv5PPISet())
    }

    @Test("description names architected PPIs and numbers the others")
    func description() throws {
        #expect(([.swPPI, .cntv] as GICv5PPISet).description == "{SW_PPI(3), CNTV(27)}")
        #expect(GICv5PPISet([try GICv5PPI(id: 64), try GICv5PPI(id: 40)]).description == "{40, 64}")
        #expect(GICv5PPISet().description == "{}")
    }
}
