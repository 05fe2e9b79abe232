import AssaySupport
import Testing

@testable import AssayCore

/// The generated emission factor table against figures read by hand from the pinned CodeCarbon 3.3.2
/// wheel (pip download codecarbon==3.3.2), not recomputed by the generator's code:
/// - US, GB, JP: `carbon_intensity` and `year` of USA, GBR, JPN in data/private_infra/global_energy_mix.json.
/// - US-CA: "california" in data/private_infra/2023/usa_emissions.json, 394.769 lb/MWh (eGRID2023
///   STC2ERTA); x 453.59237 g/lb / 1000 = 179.0642 g/kWh.
/// - CA-ON: "ontario" in data/private_infra/2023/canada_energy_mix.json, % of generation (total 100.1):
///   natural gas 8.6, nuclear 50.1, petroleum 0.1, biomass 1.0, solar 5.2, wind 11.7, hydro 23.4;
///   carbon_intensity_per_source.json, gCO2e/kWh: 743, 29, 816, 230, 48, 26, 26;
///   (8.6x743 + 50.1x29 + 0.1x816 + 1.0x230 + 5.2x48 + 11.7x26 + 23.4x26) / 100.1 = 9316.5 / 100.1 = 93.0719.
struct EmissionFactorTableTests {
    struct Pinned: Sendable, CustomTestStringConvertible {
        let region: String
        let grams: Double
        let year: Int
        let kind: String
        let sourceFile: String
        var testDescription: String { region }
    }

    static let pinned = [
        Pinned(region: "US", grams: 369.473, year: 2023, kind: "lifecycle", sourceFile: "global_energy_mix.json"),
        Pinned(region: "GB", grams: 237.589, year: 2023, kind: "lifecycle", sourceFile: "global_energy_mix.json"),
        Pinned(region: "JP", grams: 485.392, year: 2023, kind: "lifecycle", sourceFile: "global_energy_mix.json"),
        Pinned(region: "US-CA", grams: 179.0642, year: 2023, kind: "direct", sourceFile: "2023/usa_emissions.json"),
        Pinned(
            region: "CA-ON", grams: 93.0719, year: 2023, kind: "mix x lifecycle factors",
            sourceFile: "2023/canada_energy_mix.json"),
    ]

    @Test(arguments: pinned)
    func factorsMatchThePinnedCodeCarbonData(_ expected: Pinned) throws {
        let factor = try EmissionFactors.factor(for: expected.region)
        #expect(factor.region == expected.region)
        #expect(abs(factor.gramsPerKWh - expected.grams) < 0.0006, "\(factor.gramsPerKWh)")
        #expect(factor.year == expected.year)
        #expect(factor.kind == expected.kind)
        #expect(factor.source.contains("CodeCarbon 3.3.2 data/private_infra/\(expected.sourceFile)"), "\(factor.source)")
        #expect(factor.storedSource.hasSuffix(", \(expected.kind), \(expected.year)"))
    }

    @Test func sourcesNameThePublisher() throws {
        #expect(try EmissionFactors.factor(for: "US").source.hasPrefix("Ember and Energy Institute via Our World in Data"))
        #expect(try EmissionFactors.factor(for: "US-CA").source.hasPrefix("US EPA eGRID2023"))
        #expect(try EmissionFactors.factor(for: "CA-ON").source.contains("coal 995, hydroelectricity 26, natural_gas 743, nuclear 29"))
        #expect(
            EmissionFactors.worldAverage.gramsPerKWh == 481
                && EmissionFactors.worldAverage.source.contains("kept from Assay's earlier table"))
    }

    @Test func everyCountryStateAndProvinceIsThere() {
        let regions = EmissionFactors.regions
        #expect(regions.count == 278)
        #expect(regions.filter { $0.code.count == 2 }.count == 213)
        #expect(regions.filter { $0.code.hasPrefix("US-") }.count == 51)
        #expect(regions.filter { $0.code.hasPrefix("CA-") }.count == 13)
        #expect(Set(regions.map(\.code)).count == regions.count)
        // The Central African Republic's 0 is the source's figure (all hydro, and no lifecycle share counted).
        #expect(regions.allSatisfy { !$0.source.isEmpty && $0.year >= 2009 && $0.gramsPerKWh >= 0 && !$0.kind.isEmpty })
        #expect(regions.filter { $0.gramsPerKWh == 0 }.map(\.code) == ["CF"])
        // No name points at two regions: the index holds every region's distinct keys, none overwritten.
        let distinctKeys: Int = regions.reduce(0) { $0 + Set($1.lookupKeys).count }
        #expect(EmissionFactors.regionsByKey.count == distinctKeys)
    }

    @Test(arguments: [
        ("us", "US"), ("USA", "US"), ("united states of america", "US"), ("us-ca", "US-CA"), ("US_CA", "US-CA"),
        ("ca on", "CA-ON"), ("Japan", "JP"), ("JPN", "JP"), ("uk", "GB"), ("United Kingdom", "GB"),
        ("cote d'ivoire", "CI"), ("Côte d'Ivoire", "CI"), ("south korea", "KR"), ("world", "WORLD"),
    ])
    func regionsAnswerToCodesAndNames(_ text: String, _ code: String) throws {
        #expect(try EmissionFactors.region(named: text).code == code)
    }

    @Test func anUnknownRegionSuggestsTheNearest() throws {
        for (typo, nearest) in [("Ontaro", "CA-ON"), ("California", "US-CA"), ("CA-ONT", "CA-ON"), ("Japn", "JP")] {
            do {
                _ = try EmissionFactors.factor(for: typo)
                Issue.record("'\(typo)' was accepted")
            } catch let error as AssayError {
                #expect(!error.message.contains("\n"))
                #expect(error.message.hasPrefix("no emission factor for region '\(typo)'; nearest: \(nearest) ("), "\(error.message)")
                #expect(error.message.contains("assay factors"))
            }
        }
        #expect(EmissionFactors.suggestions(for: "Washington").first?.code == "US-WA")
    }

    @Test func editDistanceCountsSingleCharacterEdits() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("abc", "") == 3)
        #expect(EditDistance.between("ontario", "ontario") == 0)
    }
}
