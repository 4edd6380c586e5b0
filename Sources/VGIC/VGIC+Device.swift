import KVM

/// The escape hatch below the typed API: the GIC's KVM device itself.
extension VGIC {
    /// Lends the GIC device for attributes the typed API does not cover, or requests it
    /// deliberately refuses to build (the conformance checks send a NULL buffer to see EFAULT).
    /// What is sent through it bypasses the vgic's own validation; the device stays owned by
    /// the vgic and must not escape `body`.
    public func withDevice<Result, Failure: Error>(
        _ body: (borrowing Device) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(device)
    }
}
