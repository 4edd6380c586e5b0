import GICVocabulary

/// ICC_CR0_EL1 bits the model knows (GICv5Model.docc/GICv5Architecture.md): EN 0, LINK 1, LINK_IDLE 2. The
/// link to the IRS is always up in a VM (and in QEMU), so LINK and LINK_IDLE always read 1 and only EN is
/// writable; KVM's userspace accessor reads EN | LINK | LINK_IDLE (vector K5-08 in
/// GICv5Model.docc/GICv5TestVectors.md).
public enum CPUInterfaceControl {
    public static let enable: UInt64 = 1 << 0
    public static let link: UInt64 = 1 << 1
    public static let linkIdle: UInt64 = 1 << 2

    /// What a read of ICC_CR0_EL1 returns for the given EN.
    public static func register(enabled: Bool) -> UInt64 {
        (enabled ? enable : 0) | link | linkIdle
    }
}
