import ArgumentParser

/// `--json`: the command prints one JSON document on stdout instead of text (see JSONOutput).
struct JSONOption: ParsableArguments {
    @Flag(help: "Print JSON on stdout instead of text.")
    var json = false
}
