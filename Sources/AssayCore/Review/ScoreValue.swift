/// A value on one rubric criterion: a number on an ordinal or interval scale, or a category name.
public enum ScoreValue: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    case number(Double)
    case category(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .category(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .category(let name): try container.encode(name)
        }
    }

    public var description: String {
        switch self {
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .category(let name):
            return name
        }
    }
}
