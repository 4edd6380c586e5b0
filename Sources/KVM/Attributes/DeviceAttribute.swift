import CKVM
import GICVocabulary

/// A device attribute together with the type of its value.
///
/// There is no public initialiser: attributes are built by the static factories below, each
/// of which fixes the group and therefore the value width the kernel expects. That is how the
/// package makes the classic buffer-width bugs (a `u32` for a 64-bit CPU_SYSREGS value) and
/// cross-group mix-ups unrepresentable.
public struct DeviceAttribute<Value: AttributeValue>: Hashable, Sendable, CustomStringConvertible {
    /// The group and attr words.
    public let address: AttributeAddress

    init(_ group: AttributeGroup, _ attr: UInt64) {
        address = AttributeAddress(group: group, attr: attr)
    }

    public var description: String { address.description }
}

// MARK: - 64-bit values

/// Where a vgic frame goes (`KVM_DEV_ARM_VGIC_GRP_ADDR` attrs).
public struct AddressType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// GICv2 distributor (4 KiB).
    public static let v2Distributor = AddressType(rawValue: CKVM_VGIC_V2_ADDR_TYPE_DIST)
    /// GICv2 CPU interface (8 KiB).
    public static let v2CPUInterface = AddressType(rawValue: CKVM_VGIC_V2_ADDR_TYPE_CPU)
    /// GICv3 distributor (64 KiB).
    public static let v3Distributor = AddressType(rawValue: CKVM_VGIC_V3_ADDR_TYPE_DIST)
    /// GICv3 redistributors, one contiguous legacy block of 128 KiB per vCPU.
    public static let v3Redistributor = AddressType(rawValue: CKVM_VGIC_V3_ADDR_TYPE_REDIST)
    /// The ITS frame (128 KiB, including the doorbell page).
    public static let its = AddressType(rawValue: CKVM_VGIC_ITS_ADDR_TYPE)
    /// A GICv3 redistributor region (value is a `RedistributorRegion` word).
    public static let v3RedistributorRegion = AddressType(rawValue: CKVM_VGIC_V3_ADDR_TYPE_REDIST_REGION)
}

extension DeviceAttribute where Value == UInt64 {
    /// A frame base address (or, for `.v3RedistributorRegion`, the region word).
    public static func address(_ type: AddressType) -> Self {
        Self(.address, type.rawValue)
    }

    /// An ICC (or, with nested virt, ICH) system register of the vCPU with `affinity`.
    /// Always 64 bits wide: the kernel copies a `__u64` through the one-reg path.
    public static func cpuSysreg(_ affinity: Affinity, _ encoding: SysRegEncoding) -> Self {
        Self(.cpuSysregs, affinity.attrBits | UInt64(encoding.instr))
    }

    /// An ITS register by offset in the ITS frame (`GITS_*`).
    public static func itsRegister(offset: UInt32) -> Self {
        Self(.itsRegisters, UInt64(offset))
    }
}

// MARK: - 32-bit values

extension DeviceAttribute where Value == UInt32 {
    /// `KVM_DEV_ARM_VGIC_GRP_NR_IRQS`: the total INTID count (SGIs + PPIs + SPIs).
    public static var nrIRQs: Self { Self(.nrIRQs, 0) }

    /// `KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ` (nested virt): the maintenance PPI's INTID.
    public static var maintenanceIRQ: Self { Self(.maintenanceIRQ, 0) }

    /// A 32-bit word of the GICv3 distributor frame, by byte offset (4-aligned). The kernel
    /// ignores the selector for DIST_REGS and uses vCPU 0.
    public static func distributorRegister(_ register: RegisterAttr) -> Self {
        Self(.distributorRegisters, register.rawValue)
    }

    /// A 32-bit word of a GICv3 redistributor (RD frame, or SGI frame at +0x10000).
    public static func redistributorRegister(_ register: RegisterAttr) -> Self {
        Self(.redistributorRegisters, register.rawValue)
    }

    /// A 32-bit word of the GICv2 CPU interface of the vCPU `selector` names (by index).
    public static func cpuInterfaceRegister(_ selector: V2CPUSelector, offset: UInt32) -> Self {
        Self(.cpuRegisters, selector.attrBits | UInt64(offset))
    }

    /// Line levels of 32 interrupts starting at a multiple of 32 (`GRP_LEVEL_INFO`).
    public static func levelInfo(_ selector: LevelInfoSelector) -> Self {
        Self(.levelInfo, selector.attr)
    }
}

// MARK: - Control

/// A `KVM_DEV_ARM_VGIC_GRP_CTRL` operation.
public struct ControlOperation: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Initialise the vgic (after all vCPUs exist; after NR_IRQS).
    public static let initialize = ControlOperation(rawValue: CKVM_VGIC_CTRL_INIT)
    /// ITS: flush device, collection and ITT tables to guest RAM.
    public static let itsSaveTables = ControlOperation(rawValue: CKVM_ITS_SAVE_TABLES)
    /// ITS: rebuild them from guest RAM.
    public static let itsRestoreTables = ControlOperation(rawValue: CKVM_ITS_RESTORE_TABLES)
    /// GICv3: write LPI pending bits to the guest's pending tables.
    public static let savePendingTables = ControlOperation(rawValue: CKVM_VGIC_SAVE_PENDING_TABLES)
    /// ITS reset.
    public static let itsReset = ControlOperation(rawValue: CKVM_ITS_CTRL_RESET)
}

extension DeviceAttribute where Value == NoPayload {
    public static func control(_ operation: ControlOperation) -> Self {
        Self(.control, operation.rawValue)
    }
}

extension DeviceAttribute where Value == GICv5PPISet {
    /// GICv5 (Linux 7.1): the PPIs userspace may drive with `KVM_IRQ_LINE`. GET only.
    public static var userspacePPIs: Self { Self(.control, CKVM_VGIC_USERSPACE_PPIS) }
}
