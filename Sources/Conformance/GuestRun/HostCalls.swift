import GICVocabulary

/// The host-call table a scenario builds while writing its programs: each `call(_:)` adds an
/// action and returns the number the guest's `host` step passes.
struct HostCalls: Sendable {
    private(set) var actions: [HostAction] = []

    /// The number of a call that performs `action`.
    mutating func call(_ action: HostAction) -> UInt32 {
        actions.append(action)
        return UInt32(actions.count - 1)
    }
}

/// Host-side setup shared by the guest scenarios: what a VMM (or a restored snapshot) has put
/// in the GIC before the guest runs, through the attribute interface.
enum GuestSetup {
    /// GICD_CTLR.EnableGrp1 (KVM keeps ARE and DS set; EnableGrp0 is not stored).
    static let distributorGroup1 = HostAction.setDistributor(.gicdCTLR, index: 0, 0x2)

    /// Each vCPU's CPU interface open for Group 1: PMR 0xF8 (every priority KVM keeps passes
    /// but 0xF8) and IGRPEN1 = 1; IGRPEN0 too when `group0`.
    static func cpuInterfaces(_ count: Int, pmr: UInt64 = 0xF8, group0: Bool = false) -> [HostAction] {
        (0..<count).flatMap { vcpu -> [HostAction] in
            var actions: [HostAction] = [.setSystemRegister(.iccPMR, vcpu: vcpu, pmr), .setSystemRegister(.iccIGRPEN1, vcpu: vcpu, 1)]
            if group0 { actions.append(.setSystemRegister(.iccIGRPEN0, vcpu: vcpu, 1)) }
            return actions
        }
    }

    /// Interrupt `intid` ready to be delivered to vCPU `vcpu`: priority, group, enabled, and for
    /// an SPI its trigger and route.
    static func interrupt(_ intid: UInt32, priority: UInt8, vcpu: Int = 0, group1: Bool = true, edge: Bool = true) -> [HostAction] {
        var actions: [HostAction] = [.setPriority(intid, vcpu: vcpu, priority)]
        if !group1 { actions.append(.setGroup(intid, vcpu: vcpu, group1: false)) }
        if intid >= 32 {
            actions.append(.setTrigger(intid, edge: edge))
            actions.append(.route(intid, toVCPU: vcpu))
        }
        actions.append(.enable(intid, vcpu: vcpu))
        return actions
    }

    /// The usual start: distributor Group 1 on, `vcpus` CPU interfaces open.
    static func standard(vcpus: Int, group0: Bool = false) -> [HostAction] {
        var actions = [distributorGroup1]
        if group0 { actions[0] = .setDistributor(.gicdCTLR, index: 0, 0x3) }
        return actions + cpuInterfaces(vcpus, group0: group0)
    }
}
