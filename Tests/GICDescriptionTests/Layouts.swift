import GICVocabulary
import VGIC

/// The layouts the suites describe: QEMU virt's addresses, a legacy block, two regions, an ITS, a GICv2.
enum Layouts {
    static let legacy = VGICConfiguration.v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000))
    static let legacyWithITS = VGICConfiguration.v3(
        distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), its: 0x0808_0000)
    static let twoRegions = VGICConfiguration.v3(
        distributor: 0x0800_0000,
        redistributors: .regions([
            try! RedistributorRegion(count: 2, base: 0x080A_0000, index: 0),
            try! RedistributorRegion(count: 4, base: 0x40_0000_0000, index: 1),
        ]),
        its: 0x0808_0000)
    static let v2 = VGICConfiguration.v2(distributor: 0x0800_0000, cpuInterface: 0x0801_0000)

    /// vCPU n with KVM's default affinity for ids below 16: Aff0 = n.
    static func vcpus(_ count: Int) -> [VCPUIdentity] {
        (0..<count).map { VCPUIdentity(id: UInt32($0), affinity: Affinity(aff0: UInt8($0))) }
    }
}
