import Foundation

/// Finds the processes that listen on a TCP port, from /proc/net/tcp and tcp6 (the socket's inode)
/// and /proc/PID/fd (which process holds that inode).
public enum ListeningSockets {
    /// The pids holding a socket that listens on `port` (any local address), in ascending order.
    public static func pids(listeningOn port: Int, procRoot: String = "/proc") -> [Int32] {
        let inodes = listeningInodes(port: port, procRoot: procRoot)
        guard !inodes.isEmpty else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
        var owners: Set<Int32> = []
        for name in names {
            guard let pid = Int32(name) else { continue }
            let fdFolder = "\(procRoot)/\(pid)/fd"
            for fd in (try? FileManager.default.contentsOfDirectory(atPath: fdFolder)) ?? [] {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdFolder)/\(fd)"),
                    target.hasPrefix("socket:["), let inode = UInt64(target.dropFirst(8).dropLast())
                else { continue }
                if inodes.contains(inode) { owners.insert(pid) }
            }
        }
        return owners.sorted()
    }

    /// The inodes of the sockets in state LISTEN (0A) on `port`.
    static func listeningInodes(port: Int, procRoot: String) -> Set<UInt64> {
        var inodes: Set<UInt64> = []
        for table in ["tcp", "tcp6"] {
            guard let text = try? String(contentsOfFile: "\(procRoot)/net/\(table)", encoding: .utf8) else { continue }
            inodes.formUnion(listeningInodes(port: port, table: text))
        }
        return inodes
    }

    /// Parses one table: "sl local_address rem_address st ... uid timeout inode", addresses as HEXIP:HEXPORT.
    static func listeningInodes(port: Int, table: String) -> Set<UInt64> {
        var inodes: Set<UInt64> = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port,
                let inode = UInt64(fields[9]), inode != 0
            else { continue }
            inodes.insert(inode)
        }
        return inodes
    }
}
