import GICVocabulary
import CKVM
import Testing

@testable import KVM

/// Every uAPI number the package sends, pinned to the value documented for Linux 7.1
/// (KVM.docc/UAPIConstants.md). The shim computes them from the host's headers; a
/// header that disagreed with the documented ABI would fail here, not in a guest.
@Suite("uAPI constants")
struct UAPIConstantTests {
    @Test(
        "ioctl request numbers match the documented values",
        arguments: [
            (Request.getAPIVersion, UInt(0xAE00)), (.createVM, 0xAE01), (.checkExtension, 0xAE03),
            (.getVCPUMmapSize, 0xAE04), (.createVCPU, 0xAE41), (.setUserMemoryRegion, 0x4020_AE46),
            (.irqLine, 0x4008_AE61), (.signalMSI, 0x4020_AEA5), (.getOneReg, 0x4010_AEAB),
            (.setOneReg, 0x4010_AEAC), (.armVCPUInit, 0x4020_AEAE), (.armPreferredTarget, 0x8020_AEAF),
            (.createDevice, 0xC00C_AEE0), (.setDeviceAttr, 0x4018_AEE1), (.getDeviceAttr, 0x4018_AEE2),
            (.hasDeviceAttr, 0x4018_AEE3), (.run, 0xAE80), (.irqfd, 0x4020_AE76), (.setGSIRouting, 0x4008_AE6A),
            (.getRegList, 0xC008_AEB0), (.getMPState, 0x8004_AE98), (.setMPState, 0x4004_AE99),
        ])
    func requestNumbers(request: Request, expected: UInt) {
        #expect(request.number == expected, "\(request)")
    }

    @Test("structure sizes match the uAPI")
    func structureSizes() {
        #expect(CKVM_SIZEOF_DEVICE_ATTR == 24)
        #expect(CKVM_SIZEOF_CREATE_DEVICE == 12)
        #expect(CKVM_SIZEOF_IRQ_LEVEL == 8)
        #expect(CKVM_SIZEOF_VCPU_INIT == 32)
        #expect(CKVM_SIZEOF_ONE_REG == 16)
        #expect(CKVM_SIZEOF_USERSPACE_MEMORY_REGION == 32)
        #expect(CKVM_OFFSETOF_RUN_EXIT_REASON == 8)
        #expect(CKVM_OFFSETOF_RUN_MMIO == 32)
        #expect(CKVM_OFFSETOF_RUN_IMMEDIATE_EXIT == 1)
        #expect(CKVM_SIZEOF_REG_LIST == 8)
        #expect(CKVM_SIZEOF_MP_STATE == 4)
        #expect(CKVM_MP_STATE_RUNNABLE == 0 && CKVM_MP_STATE_STOPPED == 5 && CKVM_MP_STATE_SUSPENDED == 10)
        #expect(CKVM_API_VERSION == 12)
        #expect(CKVM_CREATE_DEVICE_TEST == 1)
        #expect(CKVM_SIZEOF_IRQFD == 32)
        #expect(CKVM_SIZEOF_MSI == 32)
        #expect(CKVM_SIZEOF_IRQ_ROUTING == 8)
        #expect(CKVM_SIZEOF_IRQ_ROUTING_ENTRY == 48)
        #expect(CKVM_OFFSETOF_IRQ_ROUTING_ENTRY_U == 16)
    }

    @Test("irqfd, routing and MSI flags and types; arm64's routing limits")
    func interruptRouting() {
        #expect(CKVM_IRQFD_FLAG_DEASSIGN == 1)
        #expect(CKVM_IRQFD_FLAG_RESAMPLE == 2)
        #expect(CKVM_MSI_VALID_DEVID == 1)
        #expect(CKVM_IRQ_ROUTING_IRQCHIP == 1)
        #expect(CKVM_IRQ_ROUTING_MSI == 2)
        // arm64's KVM_NR_IRQCHIPS (x86's header says 3), KVM_IRQCHIP_NUM_PINS = 1020 - 32 and
        // KVM_MAX_IRQ_ROUTES, the kernel-internal limits of kvm_set_routing_entry/kvm_set_irq_routing.
        #expect(CKVM_NR_IRQCHIPS_ARM64 == 1)
        #expect(CKVM_IRQCHIP_NUM_PINS == 988)
        #expect(CKVM_MAX_IRQ_ROUTES == 4096)
        #expect(GSI.limit == 4096)
        #expect(IRQChipPin.limit == 988)
        #expect(CKVM_EFD_CLOEXEC == 0o2000000)
        #expect(CKVM_EFD_NONBLOCK == 0o4000)
        #expect(CKVM_EFD_SEMAPHORE == 1)
    }

    @Test(
        "device types are enum kvm_device_type's values, GICv5 = 16",
        arguments: [(DeviceType.vgicV2, UInt32(5)), (.vgicV3, 7), (.vgicITS, 8), (.vgicV5, 16)])
    func deviceTypes(type: DeviceType, expected: UInt32) {
        #expect(type.rawValue == expected)
    }

    @Test(
        "attribute groups are KVM_DEV_ARM_VGIC_GRP_*",
        arguments: [
            (AttributeGroup.address, UInt32(0)), (.distributorRegisters, 1), (.cpuRegisters, 2),
            (.nrIRQs, 3), (.control, 4), (.redistributorRegisters, 5), (.cpuSysregs, 6),
            (.levelInfo, 7), (.itsRegisters, 8), (.maintenanceIRQ, 9),
        ])
    func groups(group: AttributeGroup, expected: UInt32) {
        #expect(group.rawValue == expected)
    }

    @Test("control operations, including GICv5 USERSPACE_PPIS = 5")
    func controlOperations() {
        #expect(ControlOperation.initialize.rawValue == 0)
        #expect(ControlOperation.itsSaveTables.rawValue == 1)
        #expect(ControlOperation.itsRestoreTables.rawValue == 2)
        #expect(ControlOperation.savePendingTables.rawValue == 3)
        #expect(ControlOperation.itsReset.rawValue == 4)
        #expect(DeviceAttribute<GICv5PPISet>.userspacePPIs.address == AttributeAddress(group: .control, attr: 5))
    }

    @Test(
        "address types and frame sizes",
        arguments: [
            (AddressType.v2Distributor, UInt64(0)), (.v2CPUInterface, 1), (.v3Distributor, 2),
            (.v3Redistributor, 3), (.its, 4), (.v3RedistributorRegion, 5),
        ])
    func addressTypes(type: AddressType, expected: UInt64) {
        #expect(type.rawValue == expected)
    }

    @Test("frame sizes")
    func frameSizes() {
        #expect(CKVM_VGIC_V2_DIST_SIZE_VALUE == 0x1000)
        #expect(CKVM_VGIC_V2_CPU_SIZE_VALUE == 0x2000)
        #expect(CKVM_VGIC_V3_DIST_SIZE_VALUE == 0x10000)
        #expect(CKVM_VGIC_V3_REDIST_SIZE_VALUE == 0x20000)
        #expect(CKVM_VGIC_V3_ITS_SIZE_VALUE == 0x20000)
    }

    @Test(
        "capability numbers",
        arguments: [
            (Capability.irqchip, 0), (.nrVCPUs, 9), (.maxVCPUs, 66), (.oneReg, 70), (.signalMSI, 77),
            (.deviceControl, 89), (.irqfd, 32), (.maxVCPUID, 128), (.msiDeviceID, 131),
            (.armPSCI02, 102), (.armVMIPASize, 165), (.armIRQLineLayout2, 174), (.armEL2, 240),
            (.irqRouting, 25), (.irqfdResample, 82),
        ])
    func capabilities(cap: Capability, expected: Int) {
        #expect(cap.rawValue == expected)
    }

    @Test("KVM_IRQ_LINE field layout and types")
    func irqLineFields() {
        #expect(CKVM_ARM_IRQ_VCPU2_SHIFT == 28)
        #expect(CKVM_ARM_IRQ_TYPE_SHIFT == 24)
        #expect(CKVM_ARM_IRQ_VCPU_SHIFT == 16)
        #expect(CKVM_ARM_IRQ_NUM_MASK == 0xffff)
        #expect(CKVM_ARM_IRQ_TYPE_CPU == 0)
        #expect(CKVM_ARM_IRQ_TYPE_SPI == 1)
        #expect(CKVM_ARM_IRQ_TYPE_PPI == 2)
    }

    @Test("vCPU feature bits and target")
    func vcpuFeatures() {
        #expect(CKVM_ARM_TARGET_GENERIC_V8 == 5)
        let bits: [(VCPUConfiguration.Feature, UInt32)] = [
            (.powerOff, 0), (.el1AArch32, 1), (.psci02, 2), (.pmuV3, 3), (.sve, 4),
            (.pointerAuthAddress, 5), (.pointerAuthGeneric, 6), (.el2, 7),
        ]
        for (feature, bit) in bits { #expect(feature.rawValue == bit) }
    }

    @Test("one-reg ids: PC, PSTATE, X0, MPIDR_EL1")
    func oneRegIDs() {
        #expect(OneRegister.pc.id == 0x6030_0000_0010_0040)
        #expect(OneRegister.pstate.id == 0x6030_0000_0010_0042)
        #expect(OneRegister.x(0)?.id == 0x6030_0000_0010_0000)
        #expect(OneRegister.x(30)?.id == 0x6030_0000_0010_003C)
        #expect(OneRegister.x(31) == nil)
        #expect(OneRegister.mpidr.id == 0x6030_0000_0013_C005)
    }

    @Test("errno values are Linux's")
    func errnoValues() {
        let expected: [(Errno, Int32)] = [
            (.EPERM, 1), (.ENOENT, 2), (.EINTR, 4), (.EIO, 5), (.ENXIO, 6), (.E2BIG, 7), (.EBADF, 9),
            (.EAGAIN, 11), (.ENOMEM, 12), (.EFAULT, 14), (.EBUSY, 16), (.EEXIST, 17), (.ENODEV, 19),
            (.EINVAL, 22), (.ENOTTY, 25), (.ERANGE, 34), (.ENOSYS, 38),
        ]
        for (errno, value) in expected { #expect(errno.rawValue == value, "\(errno)") }
        #expect(Errno.EINVAL.description == "EINVAL (22)")
        #expect(Errno(rawValue: 999).description == "errno 999")
    }
}
