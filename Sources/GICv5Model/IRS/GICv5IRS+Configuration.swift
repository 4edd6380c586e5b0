import GICVocabulary

/// The IRS side of the `GIC CD*` configuration instructions, of acknowledge and of deactivate (transitions
/// V7–V17 in GICv5Model.docc/GICv5Architecture.md). Each returns false, changing nothing, for an ID the IRS
/// cannot reach; a guest's instruction on such an ID has no effect (QEMU logs a guest error).
extension GICv5IRS {
    /// `GIC CDEN` / `GIC CDDIS`. (An implementation with `spiDisableAndUnpendIgnored`, QEMU 11,
    /// enables an SPI for either.)
    @discardableResult
    public mutating func setEnabled(_ id: GICv5InterruptID, _ enabled: Bool) -> Bool {
        let value = enabled || (id.type == .spi && implementation.spiDisableAndUnpendIgnored)
        return update(id) { $0.enabled = value }
    }

    /// `GIC CDPEND` (V7): pending = `pending`, whatever the handling mode. Also what a write to the
    /// SETLPI frame or an ITS translation does for an LPI (pending = 1). (An implementation with
    /// `spiDisableAndUnpendIgnored`, QEMU 11, makes an SPI pending for either.)
    @discardableResult
    public mutating func setPending(_ id: GICv5InterruptID, _ pending: Bool) -> Bool {
        let value = pending || (id.type == .spi && implementation.spiDisableAndUnpendIgnored)
        return update(id) { $0.pending = value }
    }

    /// `GIC CDPRI` (V14): the priority with its unimplemented low-order bits cleared.
    @discardableResult
    public mutating func setPriority(_ id: GICv5InterruptID, _ priority: UInt8) -> Bool {
        let value = GICv5Priority.implemented(UInt64(priority), bits: priorityBits)
        return update(id) { $0.priority = value }
    }

    /// `GIC CDHM` (V15).
    @discardableResult
    public mutating func setHandlingMode(_ id: GICv5InterruptID, _ mode: GICv5HandlingMode) -> Bool {
        update(id) { $0.handlingMode = mode }
    }

    /// `GIC CDAFF` (V16): target IAFFID and routing mode. Without 1-of-N routing
    /// (`GICv5Implementation.oneOfNRouting`, IRS_IDR0.ONE_N) IRM is RES0: the interrupt stays
    /// targeted and `GIC CDRCFG` reports IRM 0.
    @discardableResult
    public mutating func setTarget(_ id: GICv5InterruptID, iaffid: UInt16,
                                   routing: GICv5RoutingMode = .targeted) -> Bool {
        let stored = implementation.oneOfNRouting ? routing : .targeted
        return update(id) {
            $0.target = iaffid
            $0.routing = stored
        }
    }

    /// The Activate stream command an acknowledge sends (V8): active, and not pending if edge.
    @discardableResult
    public mutating func activate(_ id: GICv5InterruptID) -> Bool {
        update(id) {
            $0.active = true
            if $0.handlingMode == .edge { $0.pending = false }
        }
    }

    /// `GIC CDDI` (V11): not active.
    @discardableResult
    public mutating func deactivate(_ id: GICv5InterruptID) -> Bool {
        update(id) { $0.active = false }
    }

    /// `GIC CDRCFG` (V17): the state as ICC_ICSR_EL1 reports it, or F = 1 for an ID the IRS cannot
    /// reach (a PPI included).
    public func requestConfig(_ id: GICv5InterruptID) -> InterruptConfigStatus {
        guard let state = interrupt(id) else { return .failed }
        return InterruptConfigStatus(state)
    }

    /// The highest priority pending interrupt the IRS offers the PE with IAFFID `target`: among enabled,
    /// pending, inactive SPIs and LPIs targeting it, the lowest priority value; nil when there is none or
    /// IRSEN is clear (GICv5Model.docc/GICv5Architecture.md). Ties go to the lower SPI ID, then to the lower
    /// LPI ID; between an SPI and an LPI of equal priority, as `implementation.lpiWinsTieWithSPI`
    /// says (R_VVBPS leaves it open; the default takes the SPI, QEMU the LPI). Unreachable LPIs
    /// (outside the IST, or under an invalid L1 entry) are not offered.
    public func highestPriorityPending(target: UInt16) -> PendingInterrupt? {
        guard enabled else { return nil }
        var bestSPI: PendingInterrupt?
        for (index, spi) in spis.enumerated() where spi.interrupt.isCandidate && spi.interrupt.target == target {
            let candidate = PendingInterrupt(id: Self.intid(.spi, UInt32(index)), priority: spi.interrupt.priority)
            if candidate.beats(bestSPI) { bestSPI = candidate }
        }
        var bestLPI: PendingInterrupt?
        for id in lpis.keys.sorted() {
            let intid = Self.intid(.lpi, id)
            guard let lpi = lpis[id], lpi.isCandidate, lpi.target == target, contains(intid) else { continue }
            let candidate = PendingInterrupt(id: intid, priority: lpi.priority)
            if candidate.beats(bestLPI) { bestLPI = candidate }
        }
        guard let spi = bestSPI else { return bestLPI }
        guard let lpi = bestLPI else { return spi }
        if lpi.priority == spi.priority { return implementation.lpiWinsTieWithSPI ? lpi : spi }
        return lpi.beats(spi) ? lpi : spi
    }
}
