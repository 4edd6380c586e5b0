import GICVocabulary
import KVM
import VGIC

/// Creates `count` vCPUs and reads their identities back (the vCPU fds close on return, which
/// the simulator does not mind).
func identities(_ vm: borrowing VirtualMachine, count: UInt32) throws -> [VCPUIdentity] {
    var result: [VCPUIdentity] = []
    for id in 0..<count {
        let vcpu = try vm.createVCPU(id: id)
        result.append(try VCPUIdentity(reading: vcpu))
    }
    return result
}

let mib: UInt64 = 0x10_0000

/// A valid GICv3 layout for tests: distributor at 8 MiB, two-region redistributors above it.
func v3Layout(its: UInt64? = nil, count: UInt32? = nil) throws -> VGICConfiguration {
    .v3(
        distributor: 8 * mib,
        redistributors: .regions([
            try RedistributorRegion(count: 2, base: 9 * mib, index: 0),
            try RedistributorRegion(count: 2, base: 10 * mib, index: 1),
        ]),
        its: its, interruptCount: count)
}
