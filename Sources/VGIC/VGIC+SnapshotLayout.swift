import GICVocabulary
import KVM

/// Reading back where the kernel placed the redistributors, in the one form that covers both
/// uAPI spellings, so a snapshot can record the layout and a restore can compare it.
extension VGIC {
    /// The redistributor placement as the kernel holds it, or nil when none was set.
    ///
    /// Reads `KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION` with index 0, 1, 2, … until the kernel says
    /// ENOENT (`kvm_vgic_addr`). A legacy block (`KVM_VGIC_V3_ADDR_TYPE_REDIST`) is region 0 with
    /// count 0 in the kernel's list, so it reads back as a count-0 word and ends the walk: the
    /// two forms cannot be mixed (VGIC.docc/DeviceLifecycle.md). One ioctl per region plus the final ENOENT.
    ///
    /// - Throws: `.configuration(.invalidValue)` if the kernel answers a word that is not a
    ///   region (a count-0 word after region 0, or an index other than the one asked for).
    public func redistributorPlacement() throws(VGICError) -> Redistributors? {
        var regions: [RedistributorRegion] = []
        var index: UInt32 = 0
        while true {
            let word: UInt64
            do throws(KVMError) {
                word = try device.get(.address(.v3RedistributorRegion), presetting: UInt64(index))
            } catch {
                if error.errno == .ENOENT { break }
                throw .addressing(.v3RedistributorRegion, error)
            }
            let count = (word & RedistributorRegion.countMask) >> RedistributorRegion.countShift
            if count == 0 && index == 0 {
                return .legacy(base: word & RedistributorRegion.baseMask)
            }
            let region: RedistributorRegion
            do throws(GICValueError) {
                region = try RedistributorRegion(rawValue: word)
            } catch {
                throw .configuration(.invalidValue(error))
            }
            guard region.index == index else {
                throw .configuration(.invalidValue(.outOfRange(
                    field: .redistRegionIndex, value: UInt64(region.index),
                    allowed: UInt64(index)...UInt64(index))))
            }
            regions.append(region)
            index += 1
            if index > RedistributorRegion.indices.upperBound { break }
        }
        return regions.isEmpty ? nil : .regions(regions)
    }
}
