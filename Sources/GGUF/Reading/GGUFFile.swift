import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A validated GGUF file, read into anonymous memory or memory-mapped.
///
/// Models the engine runs are read, not mmapped: page-cache eviction on the measurement VMs makes
/// mmapped timings swing 5-60x. A single pass over a file that may not fit in memory (quantizing)
/// maps it instead. Immutable after init (the buffer is written once or mapped read-only, then
/// only read), which is why the unchecked `Sendable` is sound.
public final class GGUFFile: @unchecked Sendable {
    /// How the file's bytes are held.
    public enum Storage: Sendable {
        /// Read into anonymous memory: steady access times, resident for the file's lifetime.
        case memory
        /// Mapped read-only: pages are read on first touch and `dropResidentPages(of:)` hands them back.
        case mapped
    }

    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensors in file order.
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// The absolute byte offset where the tensor data section starts.
    public let dataOffset: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let isMapped: Bool
    private let tensorIndex: [String: Int]

    /// Reads (or maps) and validates the file at `url`; errors name the file and the byte offset.
    public convenience init(contentsOf url: URL, storage kind: Storage = .memory) throws {
        let (storage, isMapped) = try GGUFFile.load(url.path, as: kind)
        do {
            try self.init(taking: storage, isMapped: isMapped)
        } catch let error as GGUFError {
            throw error.located(in: url.path)
        }
    }

    /// Validates `bytes` (a copy is kept).
    public convenience init(bytes: [UInt8]) throws {
        let storage = GGUFFile.allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, let target = storage.baseAddress {
                target.copyMemory(from: base, byteCount: source.count)
            }
        }
        try self.init(taking: storage, isMapped: false)
    }

    /// Takes ownership of `storage`, releasing it if validation fails.
    private init(taking storage: UnsafeMutableRawBufferPointer, isMapped: Bool) throws {
        let layout: GGUFParser.Layout
        do {
            layout = try GGUFParser.parse(UnsafeRawBufferPointer(storage))
        } catch {
            GGUFFile.release(storage, isMapped: isMapped)
            throw error
        }
        self.storage = storage
        self.isMapped = isMapped
        version = layout.version
        metadata = layout.metadata
        metadataKeys = layout.metadataKeys
        tensors = layout.tensors
        alignment = layout.alignment
        dataOffset = layout.dataOffset
        tensorIndex = Dictionary(layout.tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { GGUFFile.release(storage, isMapped: isMapped) }

    public var fileSize: Int { storage.count }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of one tensor of this file; valid for the lifetime of the file object.
    public func tensorBytes(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + info.offset
        precondition(
            info.offset >= 0 && start + info.byteCount <= storage.count,
            "tensor \(info.name) does not belong to this GGUF file")
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[start..<start + info.byteCount])
    }

    /// Lets the kernel take back the memory of a mapped file's pages that hold `bytes` (part of
    /// this file), once a caller is done with them; they stay readable and are read again from the
    /// file if touched. Does nothing for a file read into memory.
    public func dropResidentPages(of bytes: UnsafeRawBufferPointer) {
        guard isMapped, let start = bytes.baseAddress, let base = storage.baseAddress, !bytes.isEmpty else { return }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start - UnsafeRawPointer(base)) / pageSize * pageSize
        let end = start - UnsafeRawPointer(base) + bytes.count
        precondition(first >= 0 && end <= storage.count, "the bytes do not belong to this GGUF file")
        // A read-only private mapping is never dirty, so MADV_DONTNEED only drops the mapping's
        // pages (the page cache keeps the data): the contents cannot change.
        _ = madvise(base + first, end - first, MADV_DONTNEED)
    }

    /// Dequantizes one tensor to Float (reference speed; the engine has faster kernels).
    public func floats(_ info: GGUFTensorInfo) throws -> [Float] {
        try TensorCodec.dequantize(info.type, tensorBytes(info), count: info.elementCount)
    }

    /// 64-byte aligned so that aligned tensor offsets give aligned addresses for SIMD kernels.
    private static func allocate(_ count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
    }

    private static func release(_ storage: UnsafeMutableRawBufferPointer, isMapped: Bool) {
        if isMapped, let base = storage.baseAddress {
            munmap(base, storage.count)
        } else {
            storage.deallocate()
        }
    }

    /// The file's bytes and whether they are mapped (an empty file has nothing to map).
    private static func load(_ path: String, as kind: Storage) throws -> (UnsafeMutableRawBufferPointer, Bool) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw GGUFError(
                "\(path): cannot open the model file: \(String(cString: strerror(errno))); "
                    + "check the path")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError("\(path): not a regular file; pass the path of a .gguf model file")
        }
        let size = Int(status.st_size)
        if kind == .mapped && size > 0 {
            guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
                throw GGUFError("\(path): cannot map the model file: \(String(cString: strerror(errno)))")
            }
            return (UnsafeMutableRawBufferPointer(start: base, count: size), true)
        }
        let storage = allocate(size)
        var done = 0
        while done < size, let base = storage.baseAddress {
            let count = read(descriptor, base + done, size - done)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                storage.deallocate()
                throw GGUFError(
                    "\(path): reading failed after \(done) of \(size) bytes"
                        + (count < 0 ? ": \(String(cString: strerror(errno)))" : " (the file shrank while reading)"))
            }
            done += count
        }
        return (storage, false)
    }
}
