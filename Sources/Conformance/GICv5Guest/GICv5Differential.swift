import CheckedVGIC
import GICv5Model
import GuestHarness

/// `gicv5_guest.differential.*`: seeded random sequences of GICv5 CD* instructions, run on QEMU and
/// on the model, every observation compared.
///
/// A sequence switches on the CPU interface, the IRS and a linear 14-bit IST, then performs
/// `operations` random steps over six SPIs and two LPIs: `GIC CDEN` / `CDDIS` / `CDPRI` / `CDAFF`
/// (to PE 0 or an absent PE 1, IRM 0 or 1) / `CDPEND` / `CDHM` / `CDDI`, each followed by `GIC
/// CDRCFG` and ICC_ICSR_EL1 logged; `GICR CDIA` (logged), `GIC CDEOI` (ICC_APR_EL1 logged),
/// ICC_PCR_EL1 changes (ICC_HPPIR_EL1 logged), a `CDRCFG` of a PPI, and IRSEN off and on.
/// Priority 0 is never used (superpriority is its own case), and the two LPIs draw priorities from
/// disjoint ranges: QEMU orders equal-priority LPIs by its hash table, which nothing specifies.
enum GICv5Differential {
    /// Sequences and operations per sequence in the lab (`ScenarioBudget.full`).
    static let sequences = 100
    static let operations = 100
    static let firstSeed: UInt64 = 0x6776_3500

    static let spis: [UInt64] = (0..<6).map { V5.spi($0) }
    static let lpis: [UInt64] = [V5.lpi(0x20), V5.lpi(0x300)]

    /// The programs of sequence `seed`.
    static func programs(seed: UInt64, operations: Int = operations) throws(GuestProgramError) -> GuestPrograms {
        var random = SplitMix64(seed: seed)
        var main = GICv5IRSCases.ready()
        main.linearIST()
        for _ in 0..<operations { step(&main, &random) }
        return try .v5(main)
    }

    /// A priority for `id`: 1–31 for an SPI; 1–15 for the first LPI and 16–31 for the second.
    static func priority(for id: UInt64, _ random: inout SplitMix64) -> UInt64 {
        switch id {
        case lpis[0]: UInt64(1 + random.below(15))
        case lpis[1]: UInt64(16 + random.below(16))
        default: UInt64(1 + random.below(31))
        }
    }

    static func step(_ main: inout GuestScript, _ random: inout SplitMix64) {
        let id = random.chance(25) ? random.pick(lpis) : random.pick(spis)
        switch random.below(14) {
        case 0, 1: main.v5(.cden, id)
        case 2: main.v5(.cddis, id)
        case 3, 4: main.v5(.cdpri, id | V5.priority(priority(for: id, &random)))
        case 5: main.v5(.cdaff, id | (random.chance(20) ? V5.iaffid(1) : 0) | (random.chance(30) ? V5.irm : 0))
        case 6, 7: main.v5(.cdpend, id | (random.chance(75) ? V5.bit32 : 0))
        case 8: main.v5(.cdhm, id | (random.chance(50) ? V5.bit32 : 0))
        case 9:
            main.acknowledgeV5()
            return
        case 10:
            main.v5(.cdeoi)
            main.observe(.v5APR)
            return
        case 11: main.v5(.cddi, id)
        case 12:
            main.set(.v5PCR, UInt64(random.below(32)))
            main.observe(.v5HPPIR)
            return
        default:
            if random.chance(50) {
                main.requestConfig(V5.ppi(UInt64(random.below(128))))
            } else {
                main.enableIRS(false)
                main.observe(.v5HPPIR)
                main.enableIRS()
            }
            return
        }
        main.requestConfig(id)
    }
}
