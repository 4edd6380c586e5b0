import KVM

/// `host.probe`: the kernel under test is an arm64 KVM that can host a vgic-v3 at all.
///
/// The first scenario on purpose: if it fails, every vgic scenario after it fails for the
/// same reason, and this one says which (no /dev/kvm, wrong API version, no vgic-v3).
enum HostProbeScenario {
    static let scenario = Scenario("host.probe") { context in
        let probe: HostProbe
        do throws(KVMError) {
            probe = try HostProbe.probe(interface: context.kernel)
        } catch {
            if case .notArm64 = error { return .skip(error.description) }
            return .fail(error.description)
        }
        context.record("ipa_limit", Int64(probe.ipaLimit), unit: "bits")
        context.record("max_vcpus", Int64(probe.maxVCPUs), unit: "vcpus")
        return verdict(probe)
    }

    /// Pass iff the API version is 12 and vgic-v3 can be created; the detail lists what the
    /// host offers, so a report shows the device set each kernel had.
    static func verdict(_ probe: HostProbe) -> Outcome {
        var offered = ""
        for device in probe.devices {
            offered += (offered.isEmpty ? "" : ", ") + "\(device.type) " + (device.creatable ? "yes" : "no")
        }
        let summary = "\(probe.machine), API \(probe.apiVersion), " + offered
        if probe.apiVersion != KVM.expectedAPIVersion {
            return .fail("KVM API version \(probe.apiVersion), expected \(KVM.expectedAPIVersion); " + summary)
        }
        if !probe.canCreate(.vgicV3) {
            return .fail("vgic-v3 cannot be created; " + summary)
        }
        return .pass(summary)
    }
}
