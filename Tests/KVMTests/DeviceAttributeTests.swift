import CKVM
import GICVocabulary
import Testing

@testable import KVM

/// The attribute group fixes the buffer width; errors name the group, attr and offset.
@Suite("Device attributes")
struct DeviceAttributeTests {
    /// A vgic-v3 on the simulator. (The device fd keeps its VM alive in the kernel, so the
    /// VM handle may go.)
    func makeDevice(_ sim: SyscallSimulator) throws -> Device {
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        return try vm.createDevice(.vgicV3)
    }

    @Test("value widths follow the group: u32 register groups, u64 sysregs/addresses, two u64 PPI words")
    func widths() throws {
        #expect(MemoryLayout<UInt32>.size == 4)
        #expect(MemoryLayout<UInt64>.size == 8)
        #expect(MemoryLayout<GICv5PPISet>.size == 16)
        #expect(MemoryLayout<NoPayload>.size == 0)
        // The factories pin each group to its width at compile time; these compile only with
        // the right value types.
        let sysreg: DeviceAttribute<UInt64> = .cpuSysreg(Affinity(aff0: 1), try SysRegEncoding(op0: 3, op1: 0, crn: 4, crm: 6, op2: 0))
        let address: DeviceAttribute<UInt64> = .address(.v3Distributor)
        let nr: DeviceAttribute<UInt32> = .nrIRQs
        #expect(sysreg.address.group == .cpuSysregs)
        #expect(sysreg.address.attr == 0x0000_0001_0000_C230)
        #expect(address.address == AttributeAddress(group: .address, attr: 2))
        #expect(nr.address == AttributeAddress(group: .nrIRQs, attr: 0))
    }

    @Test("a 64-bit sysreg read returns all 64 bits the kernel wrote")
    func sysregIs64Bit() throws {
        final class WideKernel: SyscallSimulator {
            override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
                if attempt.request == .getDeviceAttr, attempt.attribute?.group == .cpuSysregs,
                    let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self),
                    let out = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr))
                {
                    out.storeBytes(of: 0x1122_3344_5566_7788 as UInt64, as: UInt64.self)
                    return 0
                }
                return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
            }
        }
        let sim = WideKernel()
        let device = try makeDevice(sim)
        let value = try device.get(.cpuSysreg(Affinity(aff0: 0), try SysRegEncoding(op0: 3, op1: 0, crn: 12, crm: 12, op2: 4)))
        #expect(value == 0x1122_3344_5566_7788)
    }

    @Test("set then get round-trips through the kernel's buffer")
    func roundTrip() throws {
        let sim = SyscallSimulator()
        let device = try makeDevice(sim)
        try device.set(.address(.v3Distributor), to: 0x0800_0000)
        #expect(try device.get(.address(.v3Distributor)) == 0x0800_0000)
        #expect(sim.calls(.setDeviceAttr).last?.value == 0x0800_0000)
    }

    @Test("HAS answers false on ENXIO and throws any other errno")
    func hasAttribute() throws {
        let sim = SyscallSimulator()
        let device = try makeDevice(sim)
        #expect(try device.has(.address(.v3Distributor)))
        sim.failures = [(.hasDeviceAttr, nil, .ENXIO)]
        #expect(try !device.has(.address(.v3Distributor)))
        sim.failures = [(.hasDeviceAttr, nil, .EFAULT)]
        #expect(throws: KVMError.self) { _ = try device.has(.address(.v3Distributor)) }
    }

    @Test("a kernel refusal keeps errno, request, group, attr and offset")
    func errorContext() throws {
        let sim = SyscallSimulator()
        let device = try makeDevice(sim)
        sim.failures = [(.getDeviceAttr, .redistributorRegisters, .EBUSY)]
        let affinity = Affinity(aff0: 3)
        let register = try RegisterAttr(affinity: affinity, offset: 0x10200)
        do {
            _ = try device.get(.redistributorRegister(register))
            Issue.record("expected EBUSY")
        } catch {
            #expect(error.errno == .EBUSY)
            #expect(error.attempt.request == .getDeviceAttr)
            #expect(error.attempt.attribute?.group == .redistributorRegisters)
            #expect(error.attempt.attribute?.attr == 0x0000_0003_0001_0200)
            #expect(error.attempt.attribute?.offset == 0x10200)
            #expect(error.attempt.attribute?.selector == 3)
            #expect(error.description.contains("KVM_GET_DEVICE_ATTR"))
            #expect(error.description.contains("REDIST_REGS(5)"))
            #expect(error.description.contains("offset 0x10200"))
            #expect(error.description.contains("EBUSY"))
        }
    }

    @Test("canCreate probes with KVM_CREATE_DEVICE_TEST and never wraps an fd")
    func probeHasNoFD() throws {
        let sim = SyscallSimulator(deviceTypes: [.vgicV3, .vgicITS])
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let before = sim.objects.count
        #expect(try vm.canCreate(.vgicV3))
        #expect(try !vm.canCreate(.vgicV2))
        #expect(try !vm.canCreate(.vgicV5))
        #expect(sim.objects.count == before, "a probe creates no object")
        #expect(sim.calls(.close).isEmpty, "a probe has nothing to close")
        sim.failures = [(.createDevice, nil, .EBUSY)]
        #expect(throws: KVMError.kernel(.EBUSY, Attempt(.createDevice, argument: 7))) {
            _ = try vm.canCreate(.vgicV3)
        }
    }

    @Test("an unsupported device type throws ENODEV with the type")
    func createUnsupported() throws {
        let sim = SyscallSimulator()
        let vm = try KVM.open(interface: .simulated(sim)).createVM()
        #expect(throws: KVMError.kernel(.ENODEV, Attempt(.createDevice, argument: 16))) {
            _ = try vm.createDevice(.vgicV5)
        }
    }

    @Test("GICv5 USERSPACE_PPIS reads two 64-bit words: the first PPIs 0-63, the second 64-127")
    func userspacePPIWords() throws {
        let mask = GICv5PPISet(low: 1 << 3, high: 1 << 1)
        #expect(mask.contains(try GICv5PPI(id: 3)))
        #expect(!mask.contains(try GICv5PPI(id: 4)))
        #expect(mask.contains(try GICv5PPI(id: 65)))
        #expect(throws: GICValueError.self) { try GICv5PPI(id: 128) }
    }
}
