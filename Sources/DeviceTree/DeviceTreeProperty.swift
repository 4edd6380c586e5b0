/// One property of a node: a name from the specification's property character set and a value.
public struct DeviceTreeProperty: Hashable, Sendable {
    public var name: String
    public var value: PropertyValue

    public init(_ name: String, _ value: PropertyValue) {
        self.name = name
        self.value = value
    }

    /// A property with no value (`interrupt-controller;`).
    public static func flag(_ name: String) -> DeviceTreeProperty { DeviceTreeProperty(name, .empty) }
    /// A one-cell property (`#interrupt-cells = <3>;`).
    public static func u32(_ name: String, _ value: UInt32) -> DeviceTreeProperty { DeviceTreeProperty(name, .cells([value])) }
    /// A one-string property (`device_type = "cpu";`).
    public static func string(_ name: String, _ value: String) -> DeviceTreeProperty { DeviceTreeProperty(name, .string(value)) }
    /// A string-list property (`compatible = "a", "b";`).
    public static func strings(_ name: String, _ values: [String]) -> DeviceTreeProperty { DeviceTreeProperty(name, .strings(values)) }
    /// A property of cells (`interrupts = <1 9 4>;`).
    public static func cells(_ name: String, _ values: [UInt32]) -> DeviceTreeProperty { DeviceTreeProperty(name, .cells(values)) }
    /// A phandle reference or definition (`interrupt-parent`, `phandle`).
    public static func phandle(_ name: String, _ value: Phandle) -> DeviceTreeProperty { DeviceTreeProperty(name, .phandle(value)) }
}
