import AssayCore
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

@testable import AssayExport

@Suite("Atomic export files")
struct AtomicFileTests {
    @Test("Replaces the whole file and leaves no temporary file behind")
    func replaces() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("out.csv", "old contents that are longer than the new ones")
        try AtomicFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out.csv"])
    }

    @Test("A missing folder or a directory target is one clear error")
    func refusals() throws {
        let folder = try TemporaryFolder()
        #expect(throws: AssayError.self) { try AtomicFile.write("x", to: folder.path("missing/out.csv")) }
        #expect(throws: AssayError.self) { try AtomicFile.write("x", to: folder.url.path) }
    }
}
