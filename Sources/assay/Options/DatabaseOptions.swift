import ArgumentParser
import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// `--db PATH`, shared by every command that touches the database, the engine commands included
/// (they look a model up by name in it): the one place the study file is decided.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The study's SQLite file (default: $ASSAY_DB, else ./assay.sqlite).", valueName: "path"))
    var path: String?

    /// The file to use: `--db`, else `$ASSAY_DB` (an empty one counts as unset), else `./assay.sqlite`.
    var resolvedPath: String {
        get throws {
            guard path?.isEmpty != true else {
                throw AssayError("--db is empty; give the study's SQLite file, for example --db study.sqlite")
            }
            return path ?? ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite"
        }
    }

    /// Opens the database, creating it for commands that write.
    func open(create: Bool = false) throws -> AssayStore {
        try AssayStore(path: resolvedPath, create: create)
    }
}
