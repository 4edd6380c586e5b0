import KVM

/// The vgic's own descriptors, lent to C code (see `VirtualMachine.withRawDescriptor`): the
/// GIC device fd and the VGIC's duplicate of the VM fd, which `KVM_IRQ_LINE` goes through.
extension VGIC {
    /// Lends the GIC device fd (for `KVM_{GET,SET,HAS}_DEVICE_ATTR`).
    public func withRawDeviceDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try device.withRawDescriptor(body)
    }

    /// Lends the VM fd the VGIC injects lines through.
    public func withRawVMDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try vm.withRawDescriptor(body)
    }
}
