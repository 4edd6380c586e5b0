import GICVocabulary

/// What the GICv5 architecture leaves to an implementation, as the model's parameters: the IRS's
/// identification and sizes, whether it routes 1-of-N, how it breaks a priority tie between an
/// SPI and an LPI, and the smallest LPI ID space it accepts (GICv5Model.docc/GICv5Implementations.md).
///
/// Like `VirtualInterface` for the GICv3 model, this is where a difference between the model and
/// an independent GICv5 becomes a named, cited fact instead of a silent acceptance: `.qemu11` is
/// QEMU 11.1's TCG GICv5 (`-M virt,gic-version=x-5`), each property with the QEMU source that
/// fixes it and the `gicv5_guest.*` scenario that measured it.
public struct GICv5Implementation: Hashable, Sendable {
    /// IRS_IDR5.SPI_RANGE / IRS_IDR6.SPI_IRS_RANGE with IRS_IDR7.SPI_BASE 0: SPIs 0 to count − 1.
    public var spiCount: Int
    /// IRS_IDR2.MIN_LPI_ID_BITS: an IRS_IST_CFGR.LPI_ID_BITS below it acts as this many bits (QEMU
    /// `irs_ist_baser_write` clamps to 14…24).
    public var minimumLPIIDBits: UInt8
    /// IRS_IDR0.ONE_N: 1-of-N routing. Without it the IRM bit of `GIC CDAFF` is RES0: not stored,
    /// and `ICC_ICSR_EL1.IRM` reads 0 (QEMU `gicv5_set_target`: "IRM is RES0 for a GIC which does
    /// not support 1-of-N routing").
    public var oneOfNRouting: Bool
    /// Which wins a priority tie between the best SPI and the best LPI offered to a PE (R_VVBPS
    /// leaves the choice to the implementation). QEMU's `irs_recalc_hppi` scans the LPIs first and
    /// replaces only on a strictly higher priority, so its LPI wins.
    public var lpiWinsTieWithSPI: Bool
    /// IRS_IDR0…IRS_IDR7 as software reads them.
    public var identification: [UInt32]

    // QEMU deviations: where QEMU 11.1.3 departs from the architecture (each measured by the
    // `gicv5_guest.*` case named, GICv5Model.docc/GICv5Implementations.md).

    /// `GIC CDDIS` enables an SPI and `GIC CDPEND` with PENDING 0 makes it pending: for SPIs QEMU's
    /// `gicv5_set_enabled()` / `gicv5_set_pending()` store `true` whatever their argument (LPIs are
    /// right). Cases `gicv5_guest.spi.cddis_disables`, `gicv5_guest.spi.cdpend_clears`.
    public var spiDisableAndUnpendIgnored: Bool
    /// ICC_PPI_PRIORITYRn_EL1 keeps the RES0 bits [7:5] of each byte as written (QEMU's
    /// `gic_ppi_priority_write()` stores the raw value; the priority is still bits [4:0]). Case
    /// `gicv5_guest.ppi.priority_register_reserved_bits`.
    public var ppiPriorityKeepsReservedBits: Bool
    /// From reset, the CPU interface's cached best PPI and the IRS's cached best interrupt for the PE
    /// are zeroed records (INTID 0, priority 0) rather than "none": QEMU computes the first only on
    /// a write to an ICC_PPI_* register (`gic_recalc_ppi_hppi()`) and the second only while IRSEN
    /// is set (`irs_recalc_hppi()` returns early otherwise; the `hppi` array is `g_new0`). Until
    /// both have been computed, with ICC_CR0_EL1.EN set, ICC_HPPIR_EL1 reads `0x1_0000_0000`, the
    /// superpriority (NMI) line is raised, and `GICR CDIA` aborts QEMU (`g_assert_not_reached()` in
    /// `gicr_cdia_read()`: INTID type 0). Case `gicv5_guest.qemu.stale_candidates_at_reset`.
    public var staleCandidatesAtReset: Bool

    public init(spiCount: Int, minimumLPIIDBits: UInt8, oneOfNRouting: Bool, lpiWinsTieWithSPI: Bool,
                identification: [UInt32], spiDisableAndUnpendIgnored: Bool = false,
                ppiPriorityKeepsReservedBits: Bool = false, staleCandidatesAtReset: Bool = false) {
        self.spiCount = spiCount
        self.minimumLPIIDBits = minimumLPIIDBits
        self.oneOfNRouting = oneOfNRouting
        self.lpiWinsTieWithSPI = lpiWinsTieWithSPI
        self.identification = identification
        self.spiDisableAndUnpendIgnored = spiDisableAndUnpendIgnored
        self.ppiPriorityKeepsReservedBits = ppiPriorityKeepsReservedBits
        self.staleCandidatesAtReset = staleCandidatesAtReset
    }

    /// The model's defaults where the architecture does not decide: no 1-of-N routing, SPIs win
    /// ties, LPI ID spaces from 1 bit, no SPIs until configured.
    public static let `default` = GICv5Implementation(
        spiCount: 0, minimumLPIIDBits: 1, oneOfNRouting: false, lpiWinsTieWithSPI: false, identification: [])

    /// QEMU 11.1.3's TCG GICv5 on `virt` with one CPU (IAFFID 0), as its IRS_IDR registers read in
    /// `gicv5_guest.irs.identification`: IDR0 0x1D (NS domain, 56-bit PA), IDR1 0x004F_0001 (one
    /// PE, 16 IAFFID bits, 5 priority bits), IDR2 0x3FB8 (24 ID bits, LPIs, MIN_LPI_ID_BITS 14,
    /// two-level ISTs with every L2 size), IDR5/IDR6 256 SPIs, IDR7 SPI_BASE 0.
    public static let qemu11 = GICv5Implementation(
        spiCount: 256, minimumLPIIDBits: 14, oneOfNRouting: false, lpiWinsTieWithSPI: true,
        identification: [0x1D, 0x004F_0001, 0x3FB8, 0, 0, 0x100, 0x100, 0],
        spiDisableAndUnpendIgnored: true, ppiPriorityKeepsReservedBits: true, staleCandidatesAtReset: true)
}
