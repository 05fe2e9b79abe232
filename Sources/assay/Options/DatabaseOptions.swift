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
            "The study's store: a SQLite file, or a PostgreSQL database as postgres://user@host:port/db (default: $ASSAY_DB, else ./assay.sqlite).",
            valueName: "path"))
    var path: String?

    /// The store to use: `--db`, else `$ASSAY_DB` (an empty one counts as unset), else `./assay.sqlite`.
    var resolvedLocation: StoreLocation {
        get throws {
            guard path?.isEmpty != true else {
                throw AssayError("--db is empty; give the study's SQLite file, for example --db study.sqlite")
            }
            return try StoreLocation(
                parsing: path ?? ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite")
        }
    }

    /// The SQLite file, for the one command that builds its own file (the demo).
    var resolvedPath: String {
        get throws {
            let location = try resolvedLocation
            guard case .sqlite(let file) = location else {
                throw AssayError(
                    "\(location): this command works on a SQLite study only; copy the study to a file with assay db copy \(location) study.sqlite and pass --db study.sqlite"
                )
            }
            return file
        }
    }

    /// Opens the store, creating a SQLite file for commands that write.
    func open(create: Bool = false) throws -> AssayStore {
        try AssayStore(location: resolvedLocation, create: create)
    }
}
