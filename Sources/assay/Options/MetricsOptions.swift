import ArgumentParser
import AssayCore

/// The options `metrics` and `compare` share: the unparsed policy and the bootstrap.
struct MetricsOptions: ParsableArguments {
    @OptionGroup var unparsed: UnparsedOption

    @Option(help: "Bootstrap resamples for the 95% intervals.")
    var bootstrap = BootstrapSettings.defaultResamples

    @Option(help: "Seed of the bootstrap, for reproducible intervals.")
    var seed = BootstrapSettings.defaultSeed

    var policy: UnparsedPolicy { unparsed.policy }

    func settings() throws -> BootstrapSettings {
        try BootstrapSettings(resamples: bootstrap, seed: seed)
    }
}
