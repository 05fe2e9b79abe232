import AssaySupport

/// A value stored as a JSON number or string: a score on a rubric criterion (a point on a scale,
/// or a category name), or a constant behind an energy figure (watts per core, a CPU model).
public enum NumberOrText: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }

    /// Whole numbers without a fraction ("4"), others to six significant digits ("43.6048"), so
    /// that a printed constant carries no binary noise.
    public var description: String {
        switch self {
        case .number(let number):
            if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
            return formatSignificant(number, digits: 6)
        case .text(let text):
            return text
        }
    }
}

/// A value on one rubric criterion.
public typealias ScoreValue = NumberOrText

/// One value behind an energy figure, as stored in a run's `energy_constants`.
public typealias EnergyConstant = NumberOrText
