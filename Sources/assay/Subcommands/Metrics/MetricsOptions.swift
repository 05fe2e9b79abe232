import ArgumentParser
import AssayCore

/// The options `metrics` and `compare` share: the unparsed policy and the bootstrap.
struct MetricsOptions: ParsableArguments {
    @Flag(help: "Leave unparsed answers out of every figure (default: they count as wrong for their true class).")
    var excludeUnparsed = false

    @Option(help: "Bootstrap resamples for the 95% intervals.")
    var bootstrap = BootstrapSettings.defaultResamples

    @Option(help: "Seed of the bootstrap, for reproducible intervals.")
    var seed = BootstrapSettings.defaultSeed

    var policy: UnparsedPolicy { excludeUnparsed ? .exclude : .countAsWrong }

    func settings() throws -> BootstrapSettings {
        try BootstrapSettings(resamples: bootstrap, seed: seed)
    }
}
