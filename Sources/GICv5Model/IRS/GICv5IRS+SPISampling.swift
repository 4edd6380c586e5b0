import GICVocabulary

/// How an SPI's input wire becomes pending state (transitions V3–V6 in GICv5Model.docc/GICv5Architecture.md;
/// QEMU `spi_sample`, the IRS_SPI_CFGR write; rules R_HHKMN, R_QBXXV, R_DMTFM, R_KBPXL).
extension GICv5IRS {
    /// Drives SPI `id`'s wire. A change of level is sampled (R_QBXXV); an unchanged level does
    /// nothing. Sampling a high wire makes the SPI pending and sets its handling mode from the
    /// trigger mode (SET_EDGE / SET_LEVEL); a falling wire clears pending only for a level-triggered
    /// SPI (CLEAR); a falling edge-triggered wire does nothing.
    public mutating func setLine(spi id: UInt32, level: Bool) throws(GICv5ModelError) {
        try withSPI(id) { spi in
            guard spi.lineLevel != level else { return }
            spi.lineLevel = level
            Self.sample(&spi)
        }
    }

    /// IRS_SPI_RESAMPLER (R_DMTFM): samples the wire again, with the same rules as a change. A
    /// level SPI that was acknowledged (pending kept) or cleared by `GIC CDPEND` while its wire is
    /// still high becomes pending again.
    public mutating func resample(spi id: UInt32) throws(GICv5ModelError) {
        try withSPI(id) { Self.sample(&$0) }
    }

    /// IRS_SPI_CFGR.TM write (R_KBPXL). A change to level: a high wire makes the SPI pending with
    /// level handling, a low wire clears pending. A change to edge with the wire high clears
    /// pending. Writing the current mode does nothing.
    public mutating func setTriggerMode(spi id: UInt32, _ mode: GICv5TriggerMode) throws(GICv5ModelError) {
        try withSPI(id) { spi in
            guard spi.triggerMode != mode else { return }
            spi.triggerMode = mode
            switch mode {
            case .level:
                if spi.lineLevel {
                    spi.interrupt.pending = true
                    spi.interrupt.handlingMode = .level
                } else {
                    spi.interrupt.pending = false
                }
            case .edge:
                if spi.lineLevel { spi.interrupt.pending = false }
            }
        }
    }

    /// A write of LPI `id` to the SETLPI frame (or an ITS translation): the LPI becomes pending.
    public mutating func setLPIPending(_ id: UInt32) throws(GICv5ModelError) {
        guard id <= GICv5InterruptID.idMask, contains(Self.intid(.lpi, id)) else { throw .noSuchLPI(id: id, idBits: lpiIDBits) }
        setPending(Self.intid(.lpi, id), true)
    }

    static func sample(_ spi: inout SPIState) {
        if spi.lineLevel {
            spi.interrupt.pending = true
            spi.interrupt.handlingMode = spi.triggerMode.handlingMode
        } else if spi.triggerMode == .level {
            spi.interrupt.pending = false
        }
    }
}
