import Testing

@testable import KVM

/// x86 development machines have a `/dev/kvm`: arm64 ioctls must never reach it.
@Suite("Refusing non-arm64 KVMs")
struct ArchitectureRefusalTests {
    @Test("an x86 KVM opens, answers generic queries, and refuses VM creation before any arm64 ioctl")
    func x86Refusal() throws {
        let sim = SyscallSimulator(machine: "x86_64")
        let kvm = try KVM.open(interface: .simulated(sim))
        let isArm64 = kvm.isArm64
        #expect(!isArm64)
        #expect(try kvm.checkExtension(.maxVCPUs) == 512)
        do {
            _ = try kvm.createVM()
            Issue.record("createVM succeeded on an x86 KVM")
        } catch {
            guard case .notArm64(let machine, let refused) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(machine == "x86_64")
            #expect(refused.request == .createVM)
            #expect(error.description.contains("not arm64"))
        }
        #expect(throws: KVMError.notArm64(machine: "x86_64", refused: Attempt(.checkExtension, argument: 165))) {
            _ = try kvm.ipaLimit()
        }
        let sent = sim.calls.map(\.attempt.request)
        #expect(!sent.contains { $0.isArm64Only }, "sent: \(sent)")
        #expect(!sim.calls.contains { $0.attempt.request == .checkExtension && $0.attempt.argument == 165 })
    }

    @Test("a KVM that says aarch64 but lacks arm64 capabilities (qemu-user on x86) is refused")
    func qemuUserDisguise() throws {
        var caps = SyscallSimulator().capabilities
        caps[.armPSCI02] = nil
        let sim = SyscallSimulator(machine: "aarch64", capabilities: caps)
        let kvm = try KVM.open(interface: .simulated(sim))
        let isArm64 = kvm.isArm64
        #expect(!isArm64)
        do {
            _ = try kvm.createVM()
            Issue.record("createVM succeeded on a disguised KVM")
        } catch {
            guard case .notArm64(let machine, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(machine.contains("not answering arm64 capabilities"))
        }
        #expect(!sim.calls.contains { $0.attempt.request.isArm64Only })
    }

    @Test("arm64 KVMs are recognised by uname machine", arguments: ["aarch64", "arm64"])
    func arm64Names(machine: String) throws {
        let kvm = try KVM.open(interface: .simulated(SyscallSimulator(machine: machine)))
        let isArm64 = kvm.isArm64
        #expect(isArm64)
    }
}
