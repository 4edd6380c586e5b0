import GICVocabulary

/// A named field of some state, read as a number; the diff walks tables of these, so adding a
/// field to the comparison is one line.
struct SnapshotField<Value>: Sendable {
    let name: String
    let read: @Sendable (Value) -> UInt64

    init(_ name: String, _ read: @escaping @Sendable (Value) -> UInt64) {
        self.name = name
        self.read = read
    }
}

@inline(__always)
private func flag(_ value: Bool) -> UInt64 { value ? 1 : 0 }

extension GICv5Snapshot {
    /// Every field of every PPI, vCPU, SPI and LPI whose value in `self` (actual) differs from
    /// `expected`, in a stable order: VM, vCPUs (each vCPU's own fields, then its PPIs by number),
    /// IRS, SPIs by ID, LPIs by ID. Empty exactly when the snapshots are equal.
    public func differences(from expected: GICv5Snapshot) -> [GICv5Difference] {
        var out: [GICv5Difference] = []
        func compare<T>(_ fields: [SnapshotField<T>], _ subject: GICv5Difference.Subject, _ want: T, _ got: T) {
            for field in fields {
                let (e, a) = (field.read(want), field.read(got))
                if e != a { out.append(GICv5Difference(subject: subject, field: field.name, expected: e, actual: a)) }
            }
        }
        compare(Self.vmFields, .vm, expected, self)
        for index in 0..<min(vcpus.count, expected.vcpus.count) {
            compare(Self.vcpuFields, .vcpu(index), expected.vcpus[index], vcpus[index])
            for ppi in GICv5PPI.everyPPI {
                compare(Self.ppiFields, .ppi(vcpu: index, ppi), expected.vcpus[index][ppi], vcpus[index][ppi])
            }
        }
        compare(Self.irsFields, .irs, expected.irs, irs)
        for id in 0..<min(irs.spiCount, expected.irs.spiCount) {
            compare(Self.spiFields, .spi(UInt32(id)), expected.irs.spis[id], irs.spis[id])
        }
        let lpiIDs = Set(irs.lpis.keys).union(expected.irs.lpis.keys).sorted()
        for id in lpiIDs {
            compare(Self.interruptFields, .lpi(id), expected.irs.lpis[id] ?? IRSInterrupt(), irs.lpis[id] ?? IRSInterrupt())
        }
        return out
    }

    static let vmFields: [SnapshotField<GICv5Snapshot>] = [
        SnapshotField("vCPU count") { UInt64($0.vcpus.count) },
        SnapshotField("exposed PPIs (vgic_ppi_mask) bank 0") { $0.exposedPPIs.bank0 },
        SnapshotField("exposed PPIs (vgic_ppi_mask) bank 1") { $0.exposedPPIs.bank1 },
        SnapshotField("exposed level PPIs (vgic_ppi_hmr) bank 0") { $0.exposedLevelPPIs.bank0 },
        SnapshotField("exposed level PPIs (vgic_ppi_hmr) bank 1") { $0.exposedLevelPPIs.bank1 },
    ]

    static let vcpuFields: [SnapshotField<GICv5VCPUState>] = {
        var fields: [SnapshotField<GICv5VCPUState>] = [
            SnapshotField("ICH_PPI_DVIR0") { $0.images.directInjection.bank0 },
            SnapshotField("ICH_PPI_DVIR1") { $0.images.directInjection.bank1 },
            SnapshotField("ICH_PPI_ACTIVER0") { $0.images.active.bank0 },
            SnapshotField("ICH_PPI_ACTIVER1") { $0.images.active.bank1 },
            SnapshotField("ICH_PPI_ENABLER0") { $0.images.enable.bank0 },
            SnapshotField("ICH_PPI_ENABLER1") { $0.images.enable.bank1 },
            SnapshotField("ICH_VMCR.EN") { flag($0.images.control.enabled) },
            SnapshotField("ICH_VMCR.VPMR") { UInt64($0.images.control.priorityMask) },
            SnapshotField("ICH_APR") { $0.images.activePriorities.register },
            SnapshotField("ICC_ICSR") { $0.images.interruptStatus.rawValue },
            SnapshotField("pending at entry bank 0") { $0.exchange.pendingAtEntry.bank0 },
            SnapshotField("pending at exit bank 0") { $0.exchange.pendingAtExit.bank0 },
            SnapshotField("active at exit bank 0") { $0.exchange.activeAtExit.bank0 },
            SnapshotField("enable at exit bank 0") { $0.exchange.enableAtExit.bank0 },
            SnapshotField("AP list (as a set) bank 0") { PPISet($0.apList).bank0 },
            SnapshotField("AP list (as a set) bank 1") { PPISet($0.apList).bank1 },
            SnapshotField("IRQ_PENDING request") { flag($0.kickRequested) },
            SnapshotField("running") { flag($0.isRunning) },
            SnapshotField("has run") { flag($0.hasRun) },
        ]
        for n in 0..<PPIPriorityRegisters.count {
            fields.append(SnapshotField("ICH_PPI_PRIORITYR\(n)") { $0.images.priorities.register(n) })
        }
        return fields
    }()

    static let ppiFields: [SnapshotField<VirtualPPI>] = [
        SnapshotField("pending_latch") { flag($0.pendingLatch) },
        SnapshotField("line_level") { flag($0.lineLevel) },
        SnapshotField("enabled") { flag($0.enabled) },
        SnapshotField("active") { flag($0.active) },
        SnapshotField("priority") { UInt64($0.priority) },
        SnapshotField("config (HM)") { UInt64($0.handlingMode.rawValue) },
        SnapshotField("owner") { flag($0.hasOwner) },
        SnapshotField("behaviour") { UInt64($0.behaviour.rawValue) },
        SnapshotField("host IRQ") { $0.physical.map { UInt64($0.hostIRQ) } ?? GICv5Difference.absent },
        SnapshotField("physical line level") { $0.physical.map { flag($0.lineLevel) } ?? GICv5Difference.absent },
    ]

    static let irsFields: [SnapshotField<GICv5IRS>] = [
        SnapshotField("IRS_CR0.IRSEN") { flag($0.enabled) },
        SnapshotField("SPI count") { UInt64($0.spiCount) },
        SnapshotField("LPI ID bits") { UInt64($0.lpiIDBits) },
        SnapshotField("priority bits") { UInt64($0.priorityBits) },
    ]

    static let interruptFields: [SnapshotField<IRSInterrupt>] = [
        SnapshotField("enabled") { flag($0.enabled) },
        SnapshotField("pending") { flag($0.pending) },
        SnapshotField("active") { flag($0.active) },
        SnapshotField("HM") { UInt64($0.handlingMode.rawValue) },
        SnapshotField("priority") { UInt64($0.priority) },
        SnapshotField("IAFFID") { UInt64($0.target) },
        SnapshotField("IRM") { UInt64($0.routing.rawValue) },
    ]

    static let spiFields: [SnapshotField<SPIState>] =
        interruptFields.map { field in SnapshotField(field.name) { field.read($0.interrupt) } } + [
            SnapshotField("IRS_SPI_CFGR.TM") { UInt64($0.triggerMode.rawValue) },
            SnapshotField("wire level") { flag($0.lineLevel) },
        ]
}
