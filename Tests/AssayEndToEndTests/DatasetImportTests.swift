import AssayTestSupport
import Foundation
import Testing

@Suite("assay dataset import, list and show")
struct DatasetImportTests {
    let folder: TemporaryFolder
    let db: String

    init() throws {
        folder = try TemporaryFolder()
        db = folder.path("study.sqlite")
    }

    @Test("the samples import with the report's figures and re-importing changes nothing")
    func importsSamplesOnce() throws {
        let samples = SharedFiles.projectFile("samples/financial-sentences.csv").path
        let first = try AssayBinary.run(["dataset", "import", samples, "--name", "samples", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Imported 50 items"))
        let before = try DatabaseDump.dump(db)

        let again = try AssayBinary.run(["dataset", "import", samples, "--name", "samples", "--db", db])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing changed"))
        #expect(try DatabaseDump.dump(db) == before)

        let shown = try AssayBinary.run(["dataset", "show", "samples", "--json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["items"] as? Int == 50)
        #expect(json["labels"] as? [String: Int] == ["positive": 17, "negative": 17, "neutral": 16])
        #expect(json["duplicates"] as? Int == 0)
        #expect(json["conflicting"] as? Int == 0)
    }

    @Test("the case study's dataset: 5,842 items, 520 duplicate rows, 514 conflicting texts")
    func importsCaseStudyDataset() throws {
        let file = SharedFiles.sharedFile("data/financial-sentiment.csv").path
        try #require(FileManager.default.fileExists(atPath: file), "../shared/data is missing")
        let result = try AssayBinary.run(["dataset", "import", file, "--name", "fpb", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("520 duplicate rows"))
        #expect(result.stdout.contains("514 texts with conflicting labels"))
        let shown = try AssayBinary.run(["dataset", "show", "fpb", "--json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "fpb")
        #expect(json["items"] as? Int == 5842)
        #expect(json["labels"] as? [String: Int] == ["neutral": 3130, "positive": 1852, "negative": 860])
        #expect(json["duplicates"] as? Int == 520)
        #expect(json["conflicting"] as? Int == 514)
    }

    @Test("CSV quoting, embedded newlines, a BOM and CRLF line ends; JSONL too")
    func readsAwkwardButValidFiles() throws {
        let csv = "\u{FEFF}text,label\r\n\"Profit rose, \"\"strongly\"\"\",Positive\r\n\"Two\r\nlines\", neutral \r\nLoss widened,NEGATIVE\r\n"
        let csvPath = try folder.write("awkward.csv", csv)
        let result = try AssayBinary.run(["dataset", "import", csvPath, "--name", "awkward", "--db", db, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["labels"] as? [String: Int] == ["positive": 1, "neutral": 1, "negative": 1])

        let jsonl = "{\"text\": \"Sales fell\", \"label\": \"negative\"}\n\n{\"text\": \"Sales rose\", \"label\": \"positive\"}\n"
        let jsonlPath = try folder.write("lines.jsonl", jsonl)
        let imported = try AssayBinary.run(["dataset", "import", jsonlPath, "--name", "lines", "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 2 items"))
    }

    @Test("different content under an existing name needs --replace")
    func replacingNeedsConsent() throws {
        let one = try folder.write("one.csv", "text,label\nA,positive\nB,negative\n")
        let two = try folder.write("two.csv", "text,label\nA,positive\nC,neutral\n")
        #expect(try AssayBinary.run(["dataset", "import", one, "--name", "d", "--db", db]).status == 0)
        let refused = try AssayBinary.run(["dataset", "import", two, "--name", "d", "--db", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--replace"))
        let replaced = try AssayBinary.run(["dataset", "import", two, "--name", "d", "--db", db, "--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("Replaced"))
    }

    /// A bad input: how to make it, and words its error must contain.
    struct BadInput: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String?
        let contents: [UInt8]?
        let extraArguments: [String]
        let expected: [String]
        var testDescription: String { name }

        init(_ name: String, file: String? = "bad.csv", contents: [UInt8]? = nil, arguments: [String] = [], expect: [String]) {
            self.name = name
            self.file = file
            self.contents = contents
            self.extraArguments = arguments
            self.expected = expect
        }
    }

    static let badInputs: [BadInput] = [
        BadInput("missing file", file: nil, expect: ["no such file"]),
        BadInput("a directory", file: "folder", expect: ["is a directory"]),
        BadInput("empty file", contents: [], expect: ["is empty"]),
        BadInput("header only", contents: Array("text,label\n".utf8), expect: ["no rows"]),
        BadInput("missing text column", contents: Array("body,label\nx,positive\n".utf8), expect: ["no text column", "body, label", "--text-column"]),
        BadInput("missing label column", contents: Array("text,tag\nx,positive\n".utf8), expect: ["no label column", "text, tag", "--label-column"]),
        BadInput("unknown label", contents: Array("text,label\na,positive\nb,bullish\n".utf8), expect: ["row 2", "'bullish'", "positive, negative, neutral", "--labels"]),
        BadInput("empty text", contents: Array("text,label\na,positive\n  ,negative\n".utf8), expect: ["row 2", "empty text"]),
        BadInput("unterminated quote", contents: Array("text,label\na,positive\nb,neutral\n\"never closed,negative\n".utf8), expect: ["line 4", "unterminated"]),
        BadInput("invalid UTF-8", contents: Array("text,label\nab".utf8) + [0xC3, 0x28] + Array(",positive\n".utf8), expect: ["invalid UTF-8", "byte offset 13"]),
        BadInput("NUL byte", contents: Array("text,label\na".utf8) + [0] + Array(",positive\n".utf8), expect: ["NUL byte", "byte offset 12"]),
        BadInput("10 MB field", contents: Array("text,label\n\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array("\",positive\n".utf8), expect: ["longer than", "line 2"]),
        BadInput("malformed JSONL line", file: "bad.jsonl", contents: Array("{\"text\": \"a\", \"label\": \"positive\"}\n{\"text\": \"b\", \"label\": \n".utf8), expect: ["line 2", "not valid JSON"]),
        BadInput("unknown label in JSONL", file: "bad.jsonl", contents: Array("{\"text\": \"a\", \"label\": \"up\"}\n".utf8), arguments: ["--labels", "good,bad"], expect: ["'up'", "good, bad"]),
    ]

    @Test("each bad input: a one-line error, a non-zero exit, the database unchanged", arguments: badInputs)
    func rejectsBadInput(_ input: BadInput) throws {
        let good = try folder.write("good.csv", "text,label\nProfit rose,positive\nLoss widened,negative\n")
        #expect(try AssayBinary.run(["dataset", "import", good, "--name", "good", "--db", db]).status == 0)
        let before = try DatabaseDump.dump(db)

        var path = folder.path("absent.csv")
        if let file = input.file {
            path = folder.path(file)
            if file == "folder" {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else if let contents = input.contents {
                try folder.write(file, Data(contents))
            }
        }
        let result = try AssayBinary.run(["dataset", "import", path, "--name", "bad", "--db", db] + input.extraArguments)
        #expect(result.status != 0)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n"), "expected one line, got: \(message)")
        for word in input.expected {
            #expect(message.contains(word), "'\(word)' missing from: \(message)")
        }
        #expect(try DatabaseDump.dump(db) == before)
    }

    @Test("--db in a missing directory creates nothing")
    func databaseInMissingFolder() throws {
        let good = try folder.write("good.csv", "text,label\nA,positive\nB,negative\n")
        let target = folder.path("no/such/folder/study.sqlite")
        let result = try AssayBinary.run(["dataset", "import", good, "--name", "d", "--db", target])
        #expect(result.status != 0)
        #expect(result.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("no")))
    }

    @Test("a --db file that is not SQLite is left untouched")
    func databaseThatIsNotSQLite() throws {
        let good = try folder.write("good.csv", "text,label\nA,positive\nB,negative\n")
        let notes = try folder.write("notes.txt", "my notes, not a database\n")
        let result = try AssayBinary.run(["dataset", "import", good, "--name", "d", "--db", notes])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not a SQLite database"))
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my notes, not a database\n")
        #expect(!FileManager.default.fileExists(atPath: notes + "-wal"))
    }

    @Test("a database written by a newer Assay is refused and left unchanged")
    func databaseFromTheFuture() throws {
        let good = try folder.write("good.csv", "text,label\nA,positive\nB,negative\n")
        #expect(try AssayBinary.run(["dataset", "import", good, "--name", "d", "--db", db]).status == 0)
        try DatabaseDump.execute(db, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let before = try DatabaseDump.dump(db)
        let other = try folder.write("other.csv", "text,label\nC,neutral\nD,negative\n")
        let result = try AssayBinary.run(["dataset", "import", other, "--name", "e", "--db", db])
        #expect(result.status != 0)
        #expect(result.stderr.contains("newer Assay"))
        #expect(result.stderr.contains("v99-from-the-future"))
        #expect(try DatabaseDump.dump(db) == before)
    }

    @Test("reading commands on a missing database say how to start")
    func readingMissingDatabase() throws {
        let result = try AssayBinary.run(["dataset", "list", "--db", folder.path("none.sqlite")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("assay dataset import"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }
}
