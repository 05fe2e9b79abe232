/// Grid emission factors by country, with their source and year, and a world-average default.
///
/// Figures: lifecycle carbon intensity of electricity generation in 2023, in grams of
/// CO2-equivalent per kWh, published by Ember (Yearly Electricity Data; Global Electricity Review
/// 2024) and tabulated by Our World in Data at ourworldindata.org/grapher/carbon-intensity-electricity.
/// Generation intensity ignores imports and exports; for a specific data centre or a market-based
/// figure, pass your own factor with its source.
public enum EmissionFactors {
    static let emberSource = "Ember Yearly Electricity Data via Our World in Data, lifecycle generation intensity"

    /// The world average, used when no region is given: 481 gCO2e/kWh in 2023 (Ember, Global
    /// Electricity Review 2024).
    public static let worldAverage = EmissionFactor(trusted: 481, source: emberSource, year: 2023, region: "WORLD")

    /// Every known factor, keyed by upper-case region code (ISO 3166-1 alpha-2, or WORLD).
    public static let table: [String: EmissionFactor] = {
        let rows: [(String, Double)] = [
            ("AT", 111), ("AU", 549), ("BE", 138), ("BR", 98), ("CA", 170),
            ("CL", 291), ("CN", 582), ("CZ", 450), ("DE", 381), ("DK", 152), ("FI", 79),
            ("FR", 56), ("GR", 337), ("HU", 204), ("IE", 291), ("IN", 713), ("NO", 30),
            ("PL", 662), ("SE", 41),
        ]
        var table = ["WORLD": worldAverage]
        for (region, grams) in rows {
            table[region] = EmissionFactor(trusted: grams, source: emberSource, year: 2023, region: region)
        }
        return table
    }()

    /// The factor for `region` (case-insensitive), or a one-line error listing the known regions.
    public static func factor(for region: String) throws -> EmissionFactor {
        if let factor = table[region.uppercased()] { return factor }
        throw AssayError("no emission factor for region '\(region)'; known regions: \(table.keys.sorted().joined(separator: ", ")); or give grams CO2e per kWh with its source")
    }

}
