import ArgumentParser
import AssayStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct DbCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole study, every row with its id, from one store to a new or empty one.",
        discussion: """
            SOURCE and DESTINATION are each a SQLite file or a PostgreSQL URL, \
            postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require|verify-full] \
            (the password may come from $PGPASSWORD instead). Datasets, models, runs, predictions with \
            their measurements, annotators, rubrics, scores and the whole score history are copied as \
            they are, so metrics, agreement and exports come out the same from either store.

            The source is read in one consistent view: annotators may keep scoring while it is copied, \
            and what they add after the copy starts stays in the source only. Nothing appears in the \
            destination until every row is in: a SQLite destination must not exist yet and is written \
            under a temporary name, then moved into place; a PostgreSQL destination must hold no study \
            (an empty database, or one with Assay's tables and no rows) and is filled in one transaction. \
            On any error the destination is left as it was.

            Example:
              createdb -h db.lab.example -U alice study
              assay db copy study.sqlite postgres://alice@db.lab.example:5432/study
              assay db copy postgres://alice@db.lab.example:5432/study backup-$(date +%F).sqlite
            """
    )

    @Argument(help: ArgumentHelp("The store to copy from: a SQLite file or a postgres:// URL.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The store to copy into: a new SQLite file or an empty PostgreSQL database.", valueName: "destination"))
    var destination: String

    @OptionGroup var output: JSONOption

    func run() throws {
        let from = try StoreLocation(parsing: source)
        let to = try StoreLocation(parsing: destination)
        let started = ContinuousClock.now
        let onTerminal = isatty(STDERR_FILENO) == 1
        let counts = try StoreCopy.copy(from: from, to: to) { progress in
            guard onTerminal || progress.copied == progress.total else { return }
            let line = "\(progress.table): \(progress.copied) of \(progress.total) rows"
            let text = onTerminal ? "\r\(line)\u{1B}[K" + (progress.copied == progress.total ? "\n" : "") : line + "\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        if output.json {
            try JSONOutput.print(counts)
            return
        }
        let rows = counts.reduce(0) { $0 + $1.copied }
        print("Copied \(rows) rows in \(counts.count) tables from \(from) to \(to) in \(String(format: "%.1f", seconds)) s.")
    }
}
