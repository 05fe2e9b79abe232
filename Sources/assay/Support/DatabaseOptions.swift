import ArgumentParser
import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// `--db PATH`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The study's SQLite file (default: $ASSAY_DB, else ./assay.sqlite).", valueName: "path"))
    var path: String?

    /// The file to use: `--db`, else `$ASSAY_DB` (an empty one counts as unset), else `./assay.sqlite`.
    var resolvedPath: String {
        path ?? ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite"
    }

    /// Opens the database, creating it for commands that write.
    func open(create: Bool = false) throws -> AssayStore {
        guard path?.isEmpty != true else {
            throw AssayError("--db is empty; give the study's SQLite file, for example --db study.sqlite")
        }
        return try AssayStore(path: resolvedPath, create: create)
    }
}
