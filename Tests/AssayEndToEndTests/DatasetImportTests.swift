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

    /// A file shaped like the case study's dataset (which is not part of this repository):
    /// `sentence,label`, lower-case labels, cashtags, mojibake, repeated sentences with the same
    /// label and with a conflicting one. The expected counts follow from how it is built.
    @Test("a file shaped like the case study's: its items, duplicate rows and conflicting texts counted")
    func importsCaseStudyShapedDataset() throws {
        let labels = ["neutral", "positive", "negative"]
        var rows: [(String, String)] = (0..<120).map { index in
            ("$TK\(index) said EUR\(index)m revenue L+\u{F1}nnen rose, see https://x.example/\(index)", labels[index % 3])
        }
        let sameLabel = (0..<9).map { rows[$0 * 2] }
        let conflicting = (0..<5).map { rows[$0 * 7 + 1] }.map { ($0.0, $0.1 == "neutral" ? "positive" : "neutral") }
        rows += sameLabel + conflicting + [conflicting[0]]
        let csv = "sentence,label\n" + rows.map { "\"\($0.0)\",\($0.1)\n" }.joined()
        let file = try folder.write("case-study-shaped.csv", csv)

        let result = try AssayBinary.run(["dataset", "import", file, "--name", "fpb", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("15 duplicate rows"))
        #expect(result.stdout.contains("5 texts with conflicting labels"))
        let shown = try AssayBinary.run(["dataset", "show", "fpb", "--json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "fpb")
        #expect(json["items"] as? Int == 135)
        let counts = Dictionary(rows.map { ($0.1, 1) }, uniquingKeysWith: +)
        #expect(json["labels"] as? [String: Int] == counts)
        #expect(json["duplicates"] as? Int == 15)
        #expect(json["conflicting"] as? Int == 5)
    }

    @Test("CSV quoting, embedded newlines, a BOM and CRLF line ends; JSONL too")
    func readsAwkwardButValidFiles() throws {
        let csv =
            "\u{FEFF}text,label\r\n\"Profit rose, \"\"strongly\"\"\",Positive\r\n\"Two\r\nlines\", neutral \r\nLoss widened,NEGATIVE\r\n"
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
        BadInput(
            "missing text column", contents: Array("body,label\nx,positive\n".utf8),
            expect: ["no text column", "body, label", "--text-column"]),
        BadInput(
            "missing label column", contents: Array("text,tag\nx,positive\n".utf8),
            expect: ["no label column", "text, tag", "--label-column"]),
        BadInput(
            "unknown label", contents: Array("text,label\na,positive\nb,bullish\n".utf8),
            expect: ["row 2", "'bullish'", "positive, negative, neutral", "--labels"]),
        BadInput("empty text", contents: Array("text,label\na,positive\n  ,negative\n".utf8), expect: ["row 2", "empty text"]),
        BadInput(
            "unterminated quote", contents: Array("text,label\na,positive\nb,neutral\n\"never closed,negative\n".utf8),
            expect: ["line 4", "unterminated"]),
        BadInput(
            "invalid UTF-8", contents: Array("text,label\nab".utf8) + [0xC3, 0x28] + Array(",positive\n".utf8),
            expect: ["invalid UTF-8", "byte offset 13"]),
        BadInput(
            "NUL byte", contents: Array("text,label\na".utf8) + [0] + Array(",positive\n".utf8), expect: ["NUL byte", "byte offset 12"]),
        BadInput(
            "10 MB field",
            contents: Array("text,label\n\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array("\",positive\n".utf8),
            expect: ["longer than", "line 2"]),
        BadInput(
            "malformed JSONL line", file: "bad.jsonl",
            contents: Array("{\"text\": \"a\", \"label\": \"positive\"}\n{\"text\": \"b\", \"label\": \n".utf8),
            expect: ["line 2", "not valid JSON"]),
        BadInput(
            "JSONL line that is an array", file: "bad.jsonl", contents: Array("[\"a\", \"positive\"]\n".utf8),
            expect: ["line 1", "found an array", "{\"text\""]),
        BadInput(
            "unknown label in JSONL", file: "bad.jsonl", contents: Array("{\"text\": \"a\", \"label\": \"up\"}\n".utf8),
            arguments: ["--labels", "good,bad"], expect: ["'up'", "good, bad"]),
    ]

    @Test("an empty dataset name, one with control characters, or an empty --db is refused in one line")
    func refusesEmptyNames() throws {
        let good = try folder.write("good.csv", "text,label\nProfit rose,positive\nLoss widened,negative\n")
        for name in ["", "   "] {
            let result = try AssayBinary.run(["dataset", "import", good, "--name", name, "--db", db])
            #expect(result.status == 1)
            #expect(result.stderr == "Error: the dataset name is empty; pass --name with a short name such as financial-sentences\n")
        }
        let control = try AssayBinary.run(["dataset", "import", good, "--name", "red\u{1B}[31m\nname", "--db", db])
        #expect(control.status == 1)
        #expect(
            control.stderr
                == "Error: the dataset name contains a line break or control character; pass --name with a short name such as financial-sentences\n"
        )
        let emptyDB = try AssayBinary.run(["dataset", "list", "--db", ""])
        #expect(emptyDB.status == 1)
        #expect(emptyDB.stderr == "Error: --db is empty; give the study's SQLite file, for example --db study.sqlite\n")
    }

    @Test("a label holding an escape sequence reaches the terminal table as a visible stand-in, not as a command")
    func tablesNeutraliseControlCharacters() throws {
        let file = try folder.write("escape.csv", "text,label\nProfit rose,up\u{1B}[2J\nLoss widened,down\n")
        let imported = try AssayBinary.run(["dataset", "import", file, "--name", "escape", "--labels", "up\u{1B}[2J,down", "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let listed = try AssayBinary.run(["dataset", "list", "--db", db])
        #expect(listed.status == 0)
        #expect(!listed.stdout.contains("\u{1B}"))
        #expect(listed.stdout.contains("up\u{FFFD}[2j 1"))  // labels are stored lower-cased
    }

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
