import ArgumentParser

/// The file an import reads (dataset import, predictions import): CSV, or JSON Lines by its extension.
struct ImportFileArgument: ParsableArguments {
    @Argument(help: "The CSV or JSONL file (.jsonl, .ndjson or .json is read as JSON Lines).")
    var file: String
}
