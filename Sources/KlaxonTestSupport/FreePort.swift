import Foundation

/// Finds TCP ports on 127.0.0.1 that nothing listens on, for peers that must be told a port.
package enum FreePort {
    /// Binds 127.0.0.1:0, reads the port the kernel picked, and releases it.
    ///
    /// Another process may take the port before the caller binds it; the window is small because
    /// the kernel hands out ephemeral ports in rotation.
    package static func next() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError.system("socket", errno) }
        defer { close(descriptor) }

        var address = LoopbackAddress.make(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SocketError.system("bind 127.0.0.1:0", errno) }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else { throw SocketError.system("getsockname", errno) }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// Builds `sockaddr_in` values for 127.0.0.1.
enum LoopbackAddress {
    static func make(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return address
    }
}

/// A socket call failed in a test helper.
package enum SocketError: Error, CustomStringConvertible {
    /// `call` failed with `errno`.
    case system(String, Int32)
    /// The peer did not accept the connection or answer in time.
    case timedOut(String)

    package var description: String {
        switch self {
        case .system(let call, let code):
            "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .timedOut(let what):
            "\(what) timed out"
        }
    }
}
