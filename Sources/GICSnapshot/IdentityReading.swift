import GICVocabulary
import KVM
import VGIC

/// The identity of a live vgic, read the same way for a capture source and a restore target, so
/// validation compares like with like.
struct IdentityReading {
    var identity: SnapshotIdentity
    /// ICC_CTLR_EL1 of each vCPU, in identity order (capture saves it without reading it twice).
    var controls: [ICCControl]

    /// Reads GICD_IIDR, GICD_TYPER, GICD_TYPER2, the frame addresses, and each vCPU's
    /// GICR_TYPER and ICC_CTLR_EL1: 5 + regions + 3 × vCPUs accesses, all reads.
    static func read(
        from vgic: borrowing VGIC, vcpus: [VCPUIdentity], tally: inout AccessTally
    ) throws(SnapshotError) -> IdentityReading {
        func wrap(_ error: VGICError, _ register: SnapshotRegister?, _ scope: SnapshotScope) -> SnapshotError {
            .reading(register, scope, error)
        }
        let iidr: UInt64
        let typer: UInt64
        let typer2: UInt64
        let distributorBase: UInt64
        let redistributors: Redistributors?
        do throws(VGICError) {
            iidr = try vgic.distributorRegister(.gicdIIDR)
            typer = try vgic.distributorRegister(.gicdTYPER)
            typer2 = try vgic.distributorRegister(.gicdTYPER2)
            tally.reads += 3
            distributorBase = try vgic.address(.v3Distributor)
            tally.reads += 1
            redistributors = try vgic.redistributorPlacement()
            switch redistributors {
            case .regions(let regions)?: tally.reads += regions.count + 1
            case .legacy?: tally.reads += 1
            case nil: tally.reads += 1
            }
        } catch {
            throw wrap(error, nil, .distributor)
        }
        var layouts: [VCPULayout] = []
        var controls: [ICCControl] = []
        for (position, vcpu) in vcpus.enumerated() {
            do throws(VGICError) {
                let type = try vgic.redistributorRegister(.gicrTYPER, of: vcpu)
                tally.reads += 2
                let control = ICCControl(rawValue: try vgic.systemRegister(ICCRegister.iccCTLR, of: vcpu))
                tally.reads += 1
                layouts.append(VCPULayout(identity: vcpu, redistributorType: type, priorityBits: control.priorityBits))
                controls.append(control)
            } catch {
                throw wrap(error, nil, .vcpu(position))
            }
        }
        let typerWord = UInt32(truncatingIfNeeded: typer)
        let identity = SnapshotIdentity(
            gicVersion: vgic.version,
            iidr: UInt32(truncatingIfNeeded: iidr),
            typer: typerWord,
            typer2: UInt32(truncatingIfNeeded: typer2),
            interruptCount: ((typerWord & 0x1F) + 1) * 32,
            frames: FrameLayout(distributorBase: distributorBase, redistributors: redistributors),
            vcpus: layouts)
        return IdentityReading(identity: identity, controls: controls)
    }
}
