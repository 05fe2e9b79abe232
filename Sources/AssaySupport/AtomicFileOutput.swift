import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name beside its destination and renamed into place by
/// `commit()` once its data is on disk; `discard()` removes it. Small writes are gathered into a
/// buffer, large ones go straight to the file. Every file a user would miss (exports, quantized
/// models) is written through it, so a crash or a full disk never leaves half a file.
public final class AtomicFileOutput {
    private let destination: URL
    /// What is written, for error messages: "the GGUF file", "the export".
    private let what: String
    private let temporaryPath: String
    /// The file's final size when known, for the message when the disk fills up.
    private let size: Int?
    private var descriptor: Int32
    /// Set once the file is renamed into place or removed.
    private var isFinished = false
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0

    static let bufferSize = 1 << 20

    public init(replacing destination: URL, what: String, size: Int? = nil) throws {
        self.destination = destination
        self.what = what
        self.size = size
        temporaryPath =
            destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        buffer = .allocate(byteCount: AtomicFileOutput.bufferSize, alignment: 64)
        guard descriptor >= 0 else {
            isFinished = true
            throw failure(String(cString: strerror(errno)))
        }
    }

    deinit {
        discard()
        buffer.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffered + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count {
            try writeToFile(bytes)
        } else if let base = bytes.baseAddress, let target = buffer.baseAddress {
            (target + buffered).copyMemory(from: base, byteCount: bytes.count)
            buffered += bytes.count
        }
    }

    /// Syncs the data, closes the file and renames it to the destination (replacing any file
    /// there), then syncs the folder so the rename survives a crash too.
    public func commit() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw failure(String(cString: strerror(errno))) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw failure(String(cString: strerror(errno))) }
        // rename(2) replaces an existing file atomically (Foundation's replaceItemAt fails on Linux).
        guard rename(temporaryPath, destination.path) == 0 else { throw failure(String(cString: strerror(errno))) }
        isFinished = true
        Self.syncFolder(containing: destination)
    }

    /// Syncs the folder that holds `file`, so a rename or link into it survives a crash.
    public static func syncFolder(containing file: URL) {
        let folder = open(file.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Closes and removes the temporary file, unless `commit()` already moved it into place.
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        guard !isFinished else { return }
        unlink(temporaryPath)
        isFinished = true
    }

    private func flush() throws {
        guard buffered > 0 else { return }
        try writeToFile(UnsafeRawBufferPointer(rebasing: buffer[..<buffered]))
        buffered = 0
    }

    private func writeToFile(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = writeToDescriptor(descriptor, base + done, bytes.count - done)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure(count < 0 ? String(cString: strerror(errno)) : "the disk took no more bytes") }
            done += count
        }
    }

    private func failure(_ reason: String) -> AssayError {
        AssayError(
            "\(destination.path): cannot write \(what): \(reason); nothing was written; check that the folder "
                + "exists, is writable and has room" + (size.map { " for \($0) bytes" } ?? ""))
    }
}

/// write(2), which the class's own `write` hides inside it.
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
