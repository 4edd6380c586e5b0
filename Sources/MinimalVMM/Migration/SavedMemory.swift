import CKVM
import KVM

/// Guest RAM as a migration carries it: the pages that are not all zero, by index, and their
/// contents (MinimalVMM.docc/Migration.md, "Memory").
///
/// A page that is all zero is not stored: the target's RAM is fresh anonymous memory, zero
/// already, and a page the guest never touched stays untouched on both sides.
public final class SavedMemory: @unchecked Sendable {
    /// The page size the RAM is copied in.
    public static let pageSize = 4096

    /// The RAM's size in bytes.
    public let length: Int
    /// The indexes of the stored pages, ascending.
    public let pages: [UInt32]
    private let contents: UnsafeMutableRawPointer

    /// Copies the non-zero pages of `memory` (the vCPUs must be stopped).
    public init(copying memory: borrowing GuestMemory) {
        let page = Self.pageSize
        var pages: [UInt32] = []
        var length = 0
        memory.withUnsafeMutableBytes { bytes in
            length = bytes.count
            guard let base = bytes.baseAddress else { return }
            for index in 0..<(bytes.count / page) where ckvm_page_is_zero(base + index * page, page) == 0 {
                pages.append(UInt32(index))
            }
        }
        let contents = UnsafeMutableRawPointer.allocate(byteCount: max(1, pages.count * page), alignment: page)
        memory.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for (slot, index) in pages.enumerated() {
                (contents + slot * page).copyMemory(from: base + Int(index) * page, byteCount: page)
            }
        }
        self.length = length
        self.pages = pages
        self.contents = contents
    }

    deinit { contents.deallocate() }

    /// The bytes stored.
    public var storedBytes: Int { pages.count * Self.pageSize }

    /// Writes the stored pages into `memory`, fresh RAM of the same size (zero elsewhere).
    /// Returns false, writing nothing, when the sizes differ.
    public func restore(into memory: borrowing GuestMemory) -> Bool {
        let page = Self.pageSize
        return memory.withUnsafeMutableBytes { bytes in
            guard bytes.count == length, let base = bytes.baseAddress else { return false }
            for (slot, index) in pages.enumerated() {
                (base + Int(index) * page).copyMemory(from: contents + slot * page, byteCount: page)
            }
            return true
        }
    }
}
