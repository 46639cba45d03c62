import Glibc

/// Name resolution and address formatting for the server's listener and the client.
enum SocketAddress {
    struct Resolved {
        var family: Int32
        var storage: sockaddr_storage
        var length: socklen_t
    }

    /// The addresses of `host:port` for a TCP socket; `passive` for binding (empty host = all interfaces).
    static func resolve(host: String, port: Int, passive: Bool) throws(SocketError) -> [Resolved] {
        guard (0...65_535).contains(port) else {
            throw SocketError(operation: "resolve \(host):\(port)", code: 0, reason: "the port must be 0 to 65535")
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError(
                operation: "resolve \(host):\(port)", code: 0, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var results: [Resolved] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var storage = sockaddr_storage()
            let length = min(Int(current.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
            if let address = current.pointee.ai_addr {
                withUnsafeMutableBytes(of: &storage) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(start: address, count: length))
                }
                results.append(Resolved(family: current.pointee.ai_family, storage: storage, length: socklen_t(length)))
            }
            node = current.pointee.ai_next
        }
        return results
    }

    /// The port a bound socket actually listens on (for port 0).
    static func boundPort(of fd: Int32) throws(SocketError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { pointer throws(SocketError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SocketError) in
                _ = try SystemCall.retrying("getsockname") { getsockname(fd, address, &length) }
            }
        }
        return withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    /// A non-blocking listening socket bound to `host:port` with `SO_REUSEADDR`.
    static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> Int32 {
        let where_ = "\(host):\(port)"
        var lastError = SocketError(operation: "bind \(where_)", code: 0, reason: "no address to bind")
        for var address in try resolve(host: host, port: port, passive: true) {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else {
                lastError = .fromErrno("socket for \(where_)")
                continue
            }
            do {
                try SystemCall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
                try SystemCall.makeNonBlocking(fd)
                let length = address.length
                try withUnsafePointer(to: &address.storage) { pointer throws(SocketError) in
                    try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr throws(SocketError) in
                        _ = try SystemCall.retrying("bind \(where_)") { bind(fd, sockaddr, length) }
                    }
                }
                try SystemCall.retrying("listen on \(where_)") { Glibc.listen(fd, backlog) }
                return fd
            } catch {
                lastError = error
                close(fd)
            }
        }
        throw lastError
    }
}
