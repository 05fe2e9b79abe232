import ArgumentParser
import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// `--db PATH`, shared by every command that touches the database, the engine commands included
/// (they look a model up by name in it): the one place the study store is decided.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The study's SQLite file (default: $ASSAY_DB, else ./assay.sqlite). A PostgreSQL study is read through a SQLite copy: see assay db copy.",
            valueName: "path"))
    var path: String?

    /// The file to use: `--db`, else `$ASSAY_DB` (an empty one counts as unset), else `./assay.sqlite`.
    var resolvedPath: String {
        get throws {
            guard path?.isEmpty != true else {
                throw AssayError("--db is empty; give the study's SQLite file, for example --db study.sqlite")
            }
            let chosen = path ?? ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite"
            guard case .sqlite(let file) = try StoreLocation(parsing: chosen) else {
                // Only `assay db copy` speaks to PostgreSQL so far; say so rather than open a file named like a URL.
                let address = try PostgresAddress(parsing: chosen)
                throw AssayError(
                    "\(address): this command reads a SQLite study only; copy the study to a file with assay db copy \(address) study.sqlite and pass --db study.sqlite"
                )
            }
            return file
        }
    }

    /// Opens the database, creating it for commands that write.
    func open(create: Bool = false) throws -> AssayStore {
        try AssayStore(path: resolvedPath, create: create)
    }
}
