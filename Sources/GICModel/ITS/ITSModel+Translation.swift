import GICVocabulary

/// Translating an MSI (`vgic_its_inject_msi`, `vgic_its_inject_cached_translation`,
/// `vgic_its_trigger_msi`, `vgic_its_resolve_lpi`; GICModel.docc/ITSModel.md).
extension ITSModel {
    /// What `KVM_SIGNAL_MSI` (and an irqfd on an MSI route) of (`device`, `event`) to this ITS's
    /// doorbell does: a cached translation makes its LPI pending at once (1); otherwise a disabled
    /// ITS is EBUSY, a missing translation or one whose collection targets no vCPU is blocked (0),
    /// a target vCPU with its LPIs disabled is EBUSY, and a translation found is cached and
    /// delivered (1).
    public mutating func signal(
        device: UInt32, event: UInt32, gic: inout GICv3Model
    ) -> (delivery: ITSDelivery, joins: [APListJoin]) {
        var joins: [APListJoin] = []
        let key = ITSEventKey(device: device, event: event)
        if !mutations.contains(.noTranslationCache), device <= 0xFFFF, event <= 0xFFFF, let lpi = cache[key],
            gic.lpis[lpi] != nil
        {
            gic.updateLPI(lpi) { $0.interrupt.latch = true }
            gic.join(lpi, &joins)
            return (.delivered, joins)
        }
        let delivery = trigger(device: device, event: event, gic: &gic, joins: &joins)
        return (delivery, joins)
    }

    /// `vgic_its_trigger_msi`: the slow path of an MSI, and the INT command.
    mutating func trigger(device: UInt32, event: UInt32, gic: inout GICv3Model, joins: inout [APListJoin]) -> ITSDelivery {
        guard enabled else { return .refused(.EBUSY) }
        guard let (d, e) = translation(device: device, event: event) else { return .blocked }
        let entry = devices[d].translations[e]
        var vcpu = targetVCPU(ofCollection: entry.collection, gic: gic)
        if vcpu == nil && mutations.contains(.unmappedCollectionDelivers) { vcpu = gic.lpis[entry.lpi]?.target ?? 0 }
        guard let vcpu else { return .blocked }
        guard gic.lpisEnabled(vcpu) else { return .refused(.EBUSY) }
        cacheTranslation(ITSEventKey(device: device, event: event), lpi: entry.lpi, gic: &gic)
        gic.updateLPI(entry.lpi) { $0.interrupt.latch = true }
        gic.join(entry.lpi, &joins)
        return .delivered
    }

    /// `vgic_its_cache_translation`: the entry holds a reference to its LPI; one it replaces lets
    /// go of its own.
    mutating func cacheTranslation(_ key: ITSEventKey, lpi: UInt32, gic: inout GICv3Model) {
        guard !mutations.contains(.noTranslationCache) else { return }
        gic.retainLPI(lpi)
        if let old = cache[key] { gic.releaseLPI(old) }
        cache[key] = lpi
    }

    /// Where an MSI's doorbell address leads, for a VM whose only ITS has its frame at `base`
    /// (`vgic_msi_to_its`, `__vgic_doorbell_to_its`): the ITS frame's 128 KiB.
    public static func isDoorbell(_ address: UInt64, base: UInt64) -> Bool {
        address >= base && address - base < 0x2_0000
    }
}

/// `KVM_SIGNAL_MSI`'s answer for an MSI that reached an ITS.
public enum ITSDelivery: Hashable, Sendable, CustomStringConvertible {
    /// 1: the LPI became pending.
    case delivered
    /// 0: no translation, or one whose collection targets no vCPU.
    case blocked
    /// A negative errno: EBUSY while the ITS, or the target's LPIs, are disabled.
    case refused(KernelErrno)

    /// The ioctl's return value (the negated errno for a refusal).
    public var returnValue: Int32 {
        switch self {
        case .delivered: 1
        case .blocked: 0
        case .refused(let errno): -errno.rawValue
        }
    }

    public var description: String {
        switch self {
        case .delivered: "delivered"
        case .blocked: "blocked"
        case .refused(let errno): "\(errno)"
        }
    }
}
