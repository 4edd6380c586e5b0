import CKVM

/// The user memory a device-attribute ioctl points at, read the way the kernel's `get_user` /
/// `put_user` do: through `kvm_device_attr.addr`.
struct UserBuffer {
    let address: UnsafeMutableRawPointer

    /// The buffer of the `kvm_device_attr` at `argument`, or nil for a NULL `addr` (the kernel's
    /// EFAULT).
    init?(attributeAt argument: UnsafeMutableRawPointer?) {
        guard let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self),
            let address = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr))
        else { return nil }
        self.address = address
    }

    var word32: UInt32 {
        get { address.load(as: UInt32.self) }
        nonmutating set { address.storeBytes(of: newValue, as: UInt32.self) }
    }

    var word64: UInt64 {
        get { address.load(as: UInt64.self) }
        nonmutating set { address.storeBytes(of: newValue, as: UInt64.self) }
    }

    /// The second `__u64` (USERSPACE_PPIS carries two).
    var secondWord64: UInt64 {
        get { address.load(fromByteOffset: 8, as: UInt64.self) }
        nonmutating set { address.storeBytes(of: newValue, toByteOffset: 8, as: UInt64.self) }
    }
}

extension UnsafeMutableRawPointer {
    /// `kvm_irq_level.level` of the `KVM_IRQ_LINE` argument.
    var irqLevel: Bool { assumingMemoryBound(to: kvm_irq_level.self).pointee.level != 0 }

    /// `kvm_create_device.type` and whether `KVM_CREATE_DEVICE_TEST` is set.
    var createDeviceRequest: (type: UInt32, test: Bool) {
        let create = assumingMemoryBound(to: kvm_create_device.self).pointee
        return (create.type, create.flags & CKVM_CREATE_DEVICE_TEST != 0)
    }
}
