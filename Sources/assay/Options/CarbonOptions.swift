import ArgumentParser
import AssayInference

/// The grid emission factor and PUE that turn a run's energy into CO2.
struct CarbonOptions: ParsableArguments {
    @Option(
        help:
            "Grid region for the emission factor: a country (JP, JPN or Japan), a US state (US-CA), a Canadian province (CA-ON) or WORLD, the default; `assay factors` lists them."
    )
    var region: String?

    @Option(help: ArgumentHelp("Your own emission factor in grams CO2e per kWh.", valueName: "grams"))
    var emissionFactor: Double?

    @Option(help: "Where --emission-factor comes from (publisher, year).")
    var emissionFactorSource: String?

    @Option(help: "Power usage effectiveness of the facility (1 for a desktop).")
    var pue: Double = 1

    func validate() throws {
        if emissionFactorSource != nil && emissionFactor == nil {
            throw ValidationError("--emission-factor-source goes with --emission-factor")
        }
    }

    /// The factor and PUE, checked (an unknown region or a PUE below 1 is an error here, before any run starts).
    func settings() throws -> CarbonSettings {
        try CarbonSettings(region: region, emissionFactor: emissionFactor, source: emissionFactorSource, pue: pue)
    }
}
