import GICVocabulary

/// How the kernel finds the register region of an offset: a binary search (`bsearch` in
/// `lib/bsearch.c`, through `vgic_find_mmio_region`) over its region array, in the array's order.
///
/// The redistributor array `vgic_v3_rd_registers[]` is not sorted by offset: GICR_STATUSR (0x10)
/// comes right after GICR_CTLR (0x0), before GICR_IIDR (0x4). The search therefore never finds
/// GICR_STATUSR: HAS_DEVICE_ATTR answers ENXIO for offset 0x10, and GET/SET treat it as a hole
/// (reads 0, writes ignored), which happens to be what its RAZ/WI handlers would do. Seen on
/// Debian 6.12 in the lab's attribute map; the newest source read has the same order.
/// The model keeps the kernel's order (as vocabulary registers, not new offsets) and searches it
/// the same way, so it finds exactly the regions the kernel finds.
enum KernelRegionSearch {
    /// `vgic_v3_rd_registers[]` in array order.
    static let redistributorOrder: [GICv3Register] = [
        .gicrCTLR, .gicrSTATUSR, .gicrIIDR, .gicrTYPER, .gicrWAKER, .gicrPROPBASER, .gicrPENDBASER, .gicrINVLPIR,
        .gicrINVALLR, .gicrSYNCR, .gicrIDREGS,
        .gicrIGROUPR0, .gicrISENABLER0, .gicrICENABLER0, .gicrISPENDR0, .gicrICPENDR0, .gicrISACTIVER0,
        .gicrICACTIVER0, .gicrIPRIORITYR, .gicrICFGR, .gicrIGRPMODR0, .gicrNSACR,
    ]

    /// The register the kernel's search finds for `offset` in `regions`, or nil.
    static func find(_ offset: UInt32, in regions: [GICv3Register]) -> GICv3Register? {
        var base = 0
        var count = regions.count
        while count > 0 {
            let pivot = base + count >> 1
            let region = regions[pivot]
            if offset < region.offset {
                // key below the pivot: keep the lower half
            } else if offset >= region.offset + region.length {
                base = pivot + 1
                count -= 1
            } else {
                return region
            }
            count >>= 1
        }
        return nil
    }

    /// The redistributor register at `offset`, as the kernel's search finds it.
    static func redistributor(_ offset: UInt32) -> GICv3Register? {
        find(offset, in: redistributorOrder)
    }
}
