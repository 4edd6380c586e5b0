/// How the vCPUs' redistributors sit in guest memory, which decides GICR_TYPER.Last.
///
/// `vgic_register_redist_iodev` gives each vCPU, in creation order, the next free slot of the first
/// region that is not full; `vgic_mmio_vcpu_rdist_is_last` sets Last for the last used slot of a
/// region, unless another region with vCPUs starts right where a full region ends, and never for a
/// vCPU without a redistributor.
///
/// Addresses may be set after CTRL_INIT as well as before (`kvm_vgic_addr` has no stage check), and
/// each new region places the vCPUs still without a slot (`vgic_register_all_redist_iodevs`), so
/// the layout, and Last with it, can change after the model is built
/// (`GICv3Model.placeRedistributors`). Placing all vCPUs at once over the regions known so far gives
/// the same slots as the kernel's step-by-step placement: regions are only ever appended, and both
/// fill the first free slot in creation order.
public enum RedistributorLayout: Hashable, Sendable {
    /// No redistributor address set yet: no vCPU has a redistributor (`vgic_cpu->rdreg` is NULL),
    /// so none reports Last.
    case unplaced
    /// One `KVM_VGIC_V3_ADDR_TYPE_REDIST` block, one redistributor per vCPU in creation order.
    case legacy
    /// `KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION`s in index order: (base, count) each.
    case regions([Region])

    /// One redistributor region.
    public struct Region: Hashable, Sendable {
        public var base: UInt64
        public var count: UInt32
        public init(base: UInt64, count: UInt32) {
            self.base = base
            self.count = count
        }
    }

    /// `KVM_VGIC_V3_REDIST_SIZE`.
    public static let redistributorSize: UInt64 = 0x2_0000

    /// GICR_TYPER.Last for each of `vcpuCount` vCPUs (in creation order); false for a vCPU that
    /// found no slot.
    public func lastFlags(vcpuCount: Int) -> [Bool] {
        switch self {
        case .unplaced:
            return [Bool](repeating: false, count: vcpuCount)
        case .legacy:
            var flags = [Bool](repeating: false, count: vcpuCount)
            if vcpuCount > 0 { flags[vcpuCount - 1] = true }
            return flags
        case .regions(let regions):
            // Place the vCPUs: (region, slot) for each.
            var used = [UInt32](repeating: 0, count: regions.count)
            var placement: [(region: Int, slot: UInt32)?] = []
            for _ in 0..<vcpuCount {
                var placed: (region: Int, slot: UInt32)? = nil
                for (r, region) in regions.enumerated() where used[r] < region.count {
                    placed = (r, used[r])
                    used[r] += 1
                    break
                }
                placement.append(placed)
            }
            return placement.map { spot in
                guard let spot else { return false }
                let region = regions[spot.region]
                if spot.slot < used[spot.region] - 1 { return false }
                if spot.slot == region.count - 1 {
                    let end = region.base + UInt64(region.count) * Self.redistributorSize
                    for (r, other) in regions.enumerated() where other.base == end && used[r] > 0 {
                        return false
                    }
                }
                return true
            }
        }
    }
}
