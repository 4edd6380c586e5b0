/// A node: its name (`node-name[@unit-address]`, empty for the root), its properties in order,
/// and its children in order.
///
/// A plain value a VMM builds, edits and appends to; the rules the blob imposes (name
/// character sets, unique sibling and property names, no NUL inside strings) are checked when
/// it is flattened, so building never fails and flattening fails with a typed error naming the
/// node's path.
public struct DeviceTreeNode: Hashable, Sendable {
    public var name: String
    public var properties: [DeviceTreeProperty]
    public var children: [DeviceTreeNode]

    public init(_ name: String, properties: [DeviceTreeProperty] = [], children: [DeviceTreeNode] = []) {
        self.name = name
        self.properties = properties
        self.children = children
    }

    /// The value of the property called `name`, or nil.
    public subscript(property name: String) -> PropertyValue? {
        properties.first { $0.name == name }?.value
    }

    /// The child called `name` (the whole name, unit address included), or nil.
    public func child(_ name: String) -> DeviceTreeNode? {
        children.first { $0.name == name }
    }

    /// The node at `path` below this one ("/cpus/cpu@0"; "/" or "" is this node), or nil.
    public func node(at path: String) -> DeviceTreeNode? {
        var node = self
        for component in path.split(separator: "/") {
            guard let next = node.child(String(component)) else { return nil }
            node = next
        }
        return node
    }

    /// The node-name part of `name` (before `@`).
    public var nodeName: Substring { name.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)[0] }

    /// The unit address part of `name` (after `@`), or nil when there is none.
    public var unitAddress: Substring? {
        let parts = name.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? parts[1] : nil
    }

    /// The same subtree with every value as the bytes a blob holds (`.bytes`), which is what a
    /// tree read back from a blob has: a written tree and its reading compare equal in this form.
    public var rawForm: DeviceTreeNode {
        DeviceTreeNode(
            name, properties: properties.map { DeviceTreeProperty($0.name, .bytes($0.value.encoded)) },
            children: children.map { $0.rawForm })
    }
}
