import Foundation

/// One value behind an energy figure, as stored in a run's `energy_constants` JSON: a number
/// (watts per core, seconds) or a text (a CPU model, a counter path).
public enum EnergyConstant: Codable, Sendable, Equatable, CustomStringConvertible {
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

    public var description: String {
        switch self {
        case .number(let number): String(number)
        case .text(let text): text
        }
    }

    /// Encodes constants for the `energy_constants` column.
    public static func encodeObject(_ constants: [String: EnergyConstant]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(constants), as: UTF8.self)
    }

    static func decodeObject(_ text: String) throws -> [String: EnergyConstant] {
        try JSONDecoder().decode([String: EnergyConstant].self, from: Data(text.utf8))
    }
}
