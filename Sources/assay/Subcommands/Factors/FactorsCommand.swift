import ArgumentParser
import AssayCore
import AssaySupport

struct FactorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "List the grid emission factors --region can use, with their sources.",
        discussion: """
            CO2 = energy x the grid's emission factor (grams CO2e per kWh) x PUE. Assay knows every \
            country (ISO code, alpha-3 code or name: JP, JPN, Japan), each US state (US-CA) and each \
            Canadian province (CA-ON), plus the world average (WORLD, the default). The table comes \
            from CodeCarbon 3.3.2's data files (scripts/generate-carbon-tables.py regenerates it).

            Kinds differ, so say which one a paper uses: countries are lifecycle figures (Ember via \
            Our World in Data), US states are direct emissions at the plant (EPA eGRID2023), Canadian \
            provinces are their generation mix times per-source lifecycle factors. For your data \
            centre's own figure, run with --emission-factor and --emission-factor-source instead. \
            --json gives code, name, other_names, grams_per_kwh, year, kind and source per region.

            Example:
              assay factors                    every region, then the sources
              assay factors CA-ON              one region, with its full source
              assay factors "united kingdom"   names work too, in any case
              assay factors --json | jq '.regions[] | select(.code | startswith("US-"))'
              assay run --model smollm2-135m --dataset fpb --region CA-ON
            """
    )

    @OptionGroup var output: JSONOption

    @Argument(help: ArgumentHelp("One region to show: a code or a country name (default: all).", valueName: "region"))
    var region: String?

    func run() throws {
        if let region {
            let found = try EmissionFactors.region(named: region)
            if output.json {
                try JSONOutput.print(found)
                return
            }
            print("\(found.code)  \(found.name)")
            print("\(formatFixed(found.gramsPerKWh, decimals: 3)) gCO2e/kWh, \(found.year), \(found.kind)")
            print("Source: \(found.source)")
            if !found.otherNames.isEmpty { print("Also accepted as: \(found.otherNames.joined(separator: ", "))") }
            return
        }
        let regions = EmissionFactors.regions
        if output.json {
            try JSONOutput.print(Listing(count: regions.count, regions: regions))
            return
        }
        let table = TextTable(header: ["code", "gCO2e/kWh", "year", "kind", "name"])
        for region in regions {
            table.add([region.code, formatFixed(region.gramsPerKWh, decimals: 1), "\(region.year)", region.kind, region.name])
        }
        print(table.render())
        print("\n\(regions.count) regions. Sources:")
        var seen: Set<String> = []
        for region in regions where seen.insert(region.source).inserted {
            let count = regions.count { $0.source == region.source }
            print("- \(region.source) (\(count) region\(count == 1 ? "" : "s"))")
        }
    }

    private struct Listing: Encodable {
        let count: Int
        let regions: [GridRegion]
    }
}
