import Foundation

/// A grid Assay has an emission factor for: a country, a US state, a Canadian province, or the
/// world, with the names it answers to and the factor's source.
public struct GridRegion: Sendable, Equatable, Encodable {
    /// ISO 3166-1 alpha-2 ("JP"), ISO 3166-2 ("US-CA", "CA-ON"), or "WORLD".
    public let code: String
    public let name: String
    /// Further names `--region` accepts: the ISO alpha-3 code and the country's names.
    public let otherNames: [String]
    public let gramsPerKWh: Double
    public let year: Int
    public let kind: String
    public let source: String

    // "grams_per_kwh" in JSON: the snake-case converter would split "KWh" into "k_wh".
    private enum CodingKeys: String, CodingKey {
        case code, name, otherNames
        case gramsPerKWh = "gramsPerKwh"
        case year, kind, source
    }

    public var factor: EmissionFactor {
        EmissionFactor(trusted: gramsPerKWh, source: source, year: year, region: code, kind: kind)
    }

    /// The code and every other name, as `lookupKey` folds them.
    var lookupKeys: [String] {
        ([code] + otherNames).map(Self.lookupKey)
    }

    /// Case, accents and punctuation do not matter: "us-ca", "US_CA" and "US CA" are one key,
    /// as are "Côte d'Ivoire" and "cote d ivoire".
    static func lookupKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        return folded.split { !($0.isLetter || $0.isNumber) }.joined(separator: " ")
    }
}
