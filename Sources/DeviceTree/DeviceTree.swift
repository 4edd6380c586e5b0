/// A whole devicetree: the root node, the memory reservation block and the boot CPU's
/// physical ID, everything a flattened blob carries (DeviceTree.docc/FlattenedFormat.md).
///
/// `flattened()` writes it as a DTB (version 17, last compatible version 16) and
/// `init(flattened:)` reads one back; neither traps, whatever the tree or the bytes.
public struct DeviceTree: Hashable, Sendable {
    /// The root node; its name must be empty.
    public var root: DeviceTreeNode
    /// Physical memory the OS must leave alone, in order.
    public var memoryReservations: [MemoryReservation]
    /// `boot_cpuid_phys`: the physical ID (the `reg` of the cpu node) of the boot CPU.
    public var bootCPUID: UInt32

    public init(root: DeviceTreeNode, memoryReservations: [MemoryReservation] = [], bootCPUID: UInt32 = 0) {
        self.root = root
        self.memoryReservations = memoryReservations
        self.bootCPUID = bootCPUID
    }

    /// The same tree with every value as its bytes (`DeviceTreeNode.rawForm`).
    public var rawForm: DeviceTree {
        DeviceTree(root: root.rawForm, memoryReservations: memoryReservations, bootCPUID: bootCPUID)
    }

    /// The deepest nesting the writer and reader accept (the root is depth 0). Real trees are a
    /// few levels deep; the bound keeps both loops and a decoded tree's recursive operations
    /// (hashing, `rawForm`) far from the stack's end.
    public static let maximumDepth = 64

    /// The default size limit of a blob: 2 MiB, the most an arm64 Linux guest maps
    /// (`MAX_FDT_SIZE`, arch/arm64/include/asm/boot.h; DeviceTree.docc/FlattenedFormat.md).
    public static let defaultSizeLimit = 2 * 1024 * 1024
}
