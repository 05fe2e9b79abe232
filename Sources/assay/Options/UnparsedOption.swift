import ArgumentParser
import AssayCore

/// `--exclude-unparsed`, for every command that computes metrics.
struct UnparsedOption: ParsableArguments {
    @Flag(help: "Leave unparsed answers out of every figure (default: they count as wrong for their true class).")
    var excludeUnparsed = false

    var policy: UnparsedPolicy { excludeUnparsed ? .exclude : .countAsWrong }
}
