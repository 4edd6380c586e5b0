/// Why a tree cannot be written as a blob. Each case names the node by its path ("/", "/cpus/cpu@0").
public enum DeviceTreeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The root node has a name; the root's name is empty.
    case rootHasName(String)
    /// A node name outside §2.2.1: empty, too long, not starting with a letter, or a character
    /// outside Table 2.1.
    case invalidNodeName(parent: String, name: String)
    /// A property name outside §2.2.4 (1–31 characters of Table 2.2).
    case invalidPropertyName(node: String, name: String)
    /// Two children of one node with the same name (unit address included).
    case duplicateNode(parent: String, name: String)
    /// Two properties of one node with the same name.
    case duplicateProperty(node: String, name: String)
    /// A string value holding a NUL byte, which the blob cannot tell from its terminator.
    case stringContainsNUL(node: String, property: String)
    /// Nesting deeper than `DeviceTree.maximumDepth`.
    case tooDeep(path: String, limit: Int)
    /// The blob would be larger than the limit asked for.
    case tooLarge(size: Int, limit: Int)
    /// A memory reservation of size 0, which would read as the block's terminator.
    case emptyReservation(address: UInt64)
    /// A number that does not fit the cells given for it (`PropertyValue.reg`).
    case valueDoesNotFit(value: UInt64, cells: Int)
    /// A phandle of 0 or 0xFFFF_FFFF.
    case invalidPhandle(UInt32)

    public var description: String {
        switch self {
        case .rootHasName(let name): "the root node is named \"\(name)\"; its name must be empty"
        case .invalidNodeName(let parent, let name): "node name \"\(name)\" under \(parent) is not a valid node name"
        case .invalidPropertyName(let node, let name): "property name \"\(name)\" in \(node) is not a valid property name"
        case .duplicateNode(let parent, let name): "\(parent) has two children named \(name)"
        case .duplicateProperty(let node, let name): "\(node) has two properties named \(name)"
        case .stringContainsNUL(let node, let property): "property \(property) of \(node) has a string with a NUL byte"
        case .tooDeep(let path, let limit): "\(path) is nested deeper than \(limit) levels"
        case .tooLarge(let size, let limit): "the blob would be \(size) bytes, above the limit of \(limit)"
        case .emptyReservation(let address): "the memory reservation at 0x\(String(address, radix: 16)) has size 0"
        case .valueDoesNotFit(let value, let cells): "0x\(String(value, radix: 16)) does not fit in \(cells) cells"
        case .invalidPhandle(let value): "phandle 0x\(String(value, radix: 16)) is reserved (0 and 0xffffffff are not phandles)"
        }
    }
}
