import ArgumentParser

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Move a study between stores: a SQLite file and a PostgreSQL database.",
        discussion: """
            Example:
              assay db copy study.sqlite postgres://alice@db.lab.example:5432/study
              assay db copy postgres://alice@db.lab.example:5432/study backup.sqlite
            """,
        subcommands: [DbCopyCommand.self]
    )
}
