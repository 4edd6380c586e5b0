import CKVM

/// A KVM device (the device fd): a vgic, an ITS.
public struct Device: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this
    /// owner: the members' own deinits close the fd and unmap memory.
    deinit {}

    let fd: FileDescriptor
    /// What was created.
    public let type: DeviceType

    /// `KVM_HAS_DEVICE_ATTR`. ENXIO (unknown group or attr for this model) answers false;
    /// any other refusal is thrown.
    public func has<Value>(_ attribute: DeviceAttribute<Value>) throws(KVMError) -> Bool {
        var raw = kvm_device_attr()
        raw.group = attribute.address.group.rawValue
        raw.attr = attribute.address.attr
        do throws(KVMError) {
            _ = try fd.ioctl(Attempt(.hasDeviceAttr, attribute: attribute.address), pointer: &raw)
            return true
        } catch {
            if error.errno == .ENXIO { return false }
            throw error
        }
    }

    /// `KVM_GET_DEVICE_ATTR` into a fresh zeroed buffer of the attribute's width.
    public func get<Value>(_ attribute: DeviceAttribute<Value>) throws(KVMError) -> Value {
        try get(attribute, presetting: Value())
    }

    /// `KVM_GET_DEVICE_ATTR` into a buffer that starts as `initial`: some reads take input
    /// through the buffer (a REDIST_REGION read selects the region by the index it holds).
    public func get<Value>(_ attribute: DeviceAttribute<Value>, presetting initial: Value) throws(KVMError) -> Value {
        var value = initial
        try transfer(.getDeviceAttr, attribute, &value)
        return value
    }

    /// `KVM_SET_DEVICE_ATTR`.
    public func set<Value>(_ attribute: DeviceAttribute<Value>, to newValue: Value) throws(KVMError) {
        var value = newValue
        try transfer(.setDeviceAttr, attribute, &value)
    }

    /// `KVM_SET_DEVICE_ATTR` of a payload-free control operation.
    public func perform(_ attribute: DeviceAttribute<NoPayload>) throws(KVMError) {
        try set(attribute, to: NoPayload())
    }

    /// The one place device attributes meet the kernel: `value` is mutable storage owned by
    /// the caller's frame, alive across the ioctl, of exactly the width the group demands.
    private func transfer<Value>(
        _ request: Request, _ attribute: DeviceAttribute<Value>, _ value: inout Value
    ) throws(KVMError) {
        let attempt = Attempt(request, attribute: attribute.address)
        let size = MemoryLayout<Value>.size
        try withUnsafeMutableBytes(of: &value) { (buffer) throws(KVMError) in
            var raw = kvm_device_attr()
            raw.flags = 0
            raw.group = attribute.address.group.rawValue
            raw.attr = attribute.address.attr
            raw.addr = size == 0 ? 0 : UInt64(UInt(bitPattern: buffer.baseAddress))
            _ = try fd.ioctl(attempt, pointer: &raw)
        }
    }

    /// `KVM_SET_DEVICE_ATTR` with a NULL `addr`: only for conformance checks of the kernel's
    /// EFAULT path (vgic_init.c sets a REDIST_REGION with `addr = NULL`).
    public func setWithNullBuffer<Value>(_ attribute: DeviceAttribute<Value>) throws(KVMError) {
        var raw = kvm_device_attr()
        raw.group = attribute.address.group.rawValue
        raw.attr = attribute.address.attr
        raw.addr = 0
        _ = try fd.ioctl(Attempt(.setDeviceAttr, attribute: attribute.address), pointer: &raw)
    }
}
