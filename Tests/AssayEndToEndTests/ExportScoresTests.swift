import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite("assay export scores")
struct ExportScoresTests {
    @Test("CSV parses back to every score, hostile comments and reasoning intact")
    func csvRoundTrips() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let out = folder.path("scores.csv")
        let result = try AssayBinary.run(["export", "scores", "--format", "csv", "--out", out, "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try CSVReader(source: out).records(in: Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        let header = try #require(records.first?.fields)
        #expect(Array(header[6...8]) == ["criterion.consistency", "criterion.clarity", "criterion.alignment"])
        #expect(header.contains("rubric_version"))
        // Two annotators scored 12 predictions; one adjudication.
        #expect(records.count == 1 + 25)
        func column(_ name: String) -> Int { header.firstIndex(of: name) ?? -1 }
        let hostile = try #require(
            records.first {
                $0.fields[column("prediction_id")] == String(fixture.hostilePredictionID) && !$0.fields[column("comment")].isEmpty
            })
        #expect(hostile.fields[column("comment")] == ExportFixture.hostile)
        #expect(hostile.fields[column("reasoning")] == "Operating profit rose from 8.7 to 13.1. " + ExportFixture.hostile)
        #expect(hostile.fields[column("annotator")] == "alice")
        #expect(hostile.fields[column("model")] == "smollm2 Q4_0")
        #expect(records.contains { $0.fields[column("kind")] == "adjudication" && $0.fields[column("annotator")] == "carol" })
    }

    @Test("JSON Lines: one object per score, criteria as an object, hostile text intact")
    func jsonLinesRoundTrip() throws {
        let folder = try TemporaryFolder()
        let fixture = try ExportFixture.create(in: folder.url.path)
        let result = try AssayBinary.run(["export", "scores", "--format", "jsonl", "--db", fixture.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 25)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let hostile = try #require(objects.first { $0["comment"] as? String == ExportFixture.hostile })
        #expect(hostile["prediction_id"] as? Int == Int(fixture.hostilePredictionID.rawValue))
        let criteria = try #require(hostile["criteria"] as? [String: Any])
        #expect(criteria["clarity"] as? Double == 4 && criteria["consistency"] as? String == "consistent")
        #expect(hostile["rubric_version"] as? String == "1")
        #expect(hostile["created_at"] is String && hostile["updated_at"] is String)
    }
}
