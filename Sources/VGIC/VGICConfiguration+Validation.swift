import GICVocabulary
import KVM
/// The checks `VGIC.create` runs before its first ioctl, in a fixed order so each layout has
/// exactly one reported problem: vCPU count, model membership, required frames, region
/// numbering, interrupt count, then per frame alignment and IPA fit, then capacity, then overlap.
extension VGICConfiguration {
    /// One frame of the layout with its extent.
    public struct PlacedFrame: Hashable, Sendable {
        public var frame: VGICFrame
        public var base: UInt64
        public var size: UInt64
    }

    /// Every configured frame with its size for `vcpuCount` vCPUs, in uAPI order (distributor,
    /// CPU interface or redistributors, ITS). A legacy redistributor block is sized for all
    /// vCPUs, as the kernel checks it at the first `KVM_RUN`.
    public func placedFrames(vcpuCount: Int) -> [PlacedFrame] {
        var frames: [PlacedFrame] = []
        if let base = distributorBase, let size = version.distributorSize {
            frames.append(PlacedFrame(frame: .distributor, base: base, size: size))
        }
        if let base = cpuInterfaceBase, let size = version.cpuInterfaceSize {
            frames.append(PlacedFrame(frame: .cpuInterface, base: base, size: size))
        }
        switch redistributors {
        case .legacy(let base)?:
            let count = UInt64(Swift.max(vcpuCount, 1))
            frames.append(PlacedFrame(frame: .redistributors, base: base, size: count * 0x2_0000))
        case .regions(let regions)?:
            for region in regions {
                frames.append(PlacedFrame(frame: .redistributorRegion(index: region.index), base: region.base, size: region.size))
            }
        case nil:
            break
        }
        if let base = itsBase {
            frames.append(PlacedFrame(frame: .its, base: base, size: GICVersion.itsSize))
        }
        return frames
    }

    /// Checks the layout against a VM with `ipaBits` of IPA space and `vcpuCount` vCPUs.
    ///
    /// - Throws: `.configuration(problem)`, the first problem found; nothing is sent anywhere.
    public func validate(ipaBits: Int, vcpuCount: Int) throws(VGICError) {
        if let problem = firstProblem(ipaBits: ipaBits, vcpuCount: vcpuCount) {
            throw .configuration(problem)
        }
    }

    /// The first problem `validate` would report, or nil.
    public func firstProblem(ipaBits: Int, vcpuCount: Int) -> VGICProblem? {
        if vcpuCount < 1 { return .noVCPUs }
        if vcpuCount > version.maxVCPUs { return .tooManyVCPUs(count: vcpuCount, maximum: version.maxVCPUs) }
        if let problem = modelProblem() { return problem }
        if case .regions(let regions)? = redistributors {
            if regions.isEmpty { return .noRedistributorRegions }
            for (position, region) in regions.enumerated() where region.index != UInt32(position) {
                return .regionIndex(position: position, index: region.index)
            }
        }
        if let count = interruptCount, !VGICConfiguration.isValidInterruptCount(count) {
            return .interruptCount(count)
        }
        let frames = placedFrames(vcpuCount: vcpuCount)
        for placed in frames {
            let alignment = placed.frame == .its ? GICVersion.itsAlignment : (version.frameAlignment ?? 1)
            if placed.base % alignment != 0 {
                return .misaligned(placed.frame, base: placed.base, alignment: alignment)
            }
            if !fits(placed, ipaBits: ipaBits) {
                return .beyondIPA(placed.frame, base: placed.base, size: placed.size, ipaBits: ipaBits)
            }
        }
        if let capacity = redistributors?.capacity, capacity < vcpuCount {
            return .insufficientRedistributors(capacity: capacity, vcpus: vcpuCount)
        }
        for (i, first) in frames.enumerated() {
            for second in frames[(i + 1)...] where overlaps(first, second) {
                return .overlap(first.frame, second.frame)
            }
        }
        return nil
    }

    /// Frames the model does not have, then frames it needs and lacks.
    private func modelProblem() -> VGICProblem? {
        switch version {
        case .v5:
            if distributorBase != nil { return .frameNotInModel(.distributor, .v5) }
            if cpuInterfaceBase != nil { return .frameNotInModel(.cpuInterface, .v5) }
            if redistributors != nil { return .frameNotInModel(.redistributors, .v5) }
            if itsBase != nil { return .frameNotInModel(.its, .v5) }
            if interruptCount != nil { return .interruptCountNotInModel(.v5) }
            return nil
        case .v3:
            if cpuInterfaceBase != nil { return .frameNotInModel(.cpuInterface, .v3) }
            if distributorBase == nil { return .missingFrame(.distributor, .v3) }
            if redistributors == nil { return .missingFrame(.redistributors, .v3) }
            return nil
        case .v2:
            if redistributors != nil { return .frameNotInModel(.redistributors, .v2) }
            if itsBase != nil { return .frameNotInModel(.its, .v2) }
            if distributorBase == nil { return .missingFrame(.distributor, .v2) }
            if cpuInterfaceBase == nil { return .missingFrame(.cpuInterface, .v2) }
            return nil
        }
    }

    /// base + size ≤ 2^ipaBits, without overflow.
    private func fits(_ placed: PlacedFrame, ipaBits: Int) -> Bool {
        guard ipaBits > 0 else { return false }
        if ipaBits >= 64 { return placed.size <= UInt64.max - placed.base }
        let limit: UInt64 = 1 << UInt64(ipaBits)
        return placed.base <= limit && placed.size <= limit - placed.base
    }

    /// Half-open intervals [base, base + size) intersect (sizes already checked to fit).
    private func overlaps(_ a: PlacedFrame, _ b: PlacedFrame) -> Bool {
        a.base < b.base &+ b.size && b.base < a.base &+ a.size
    }
}
