/// A figure a scenario printed (`@@FIGURE`): an integer with its unit.
public struct FigureRecord: Sendable, Equatable, Codable {
    public var name: String
    public var value: Int64
    public var unit: String

    public init(name: String, value: Int64, unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}
