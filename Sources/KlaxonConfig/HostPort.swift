/// A `host:port` pair as written in `listen` and scrape targets; IPv6 hosts go in brackets.
package struct HostPort: Hashable, Sendable, CustomStringConvertible {
    /// Host name or address without brackets; empty means every interface (listen only).
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[::1]:port` or, when `allowsEmptyHost`, `:port`.
    package init(parsing text: String, allowsEmptyHost: Bool) throws(HostPortError) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .syntax("an IPv6 address needs a closing \"]\"") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .syntax("write [address]:port") }
            portText = rest.dropFirst()
            guard !host.isEmpty else { throw .syntax("the address inside [ ] is empty") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .syntax("the port is missing; write host:port") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw .syntax("write an IPv6 address in brackets, e.g. [::1]:9477") }
            if host.isEmpty && !allowsEmptyHost { throw .syntax("the host is missing; write host:port") }
            let allowed = host.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "."
                    || scalar == "-" || scalar == "_"
            }
            if !allowed { throw .syntax("the host may hold only letters, digits, \".\", \"-\" and \"_\"") }
        }
        // Digits only: Int("+80") would parse. Port 0 (any free port) is no address to reach.
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), (1...65535).contains(port)
        else { throw .syntax("the port must be a number from 1 to 65535") }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with IPv6 hosts in brackets.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Why a `host:port` did not parse.
package enum HostPortError: Error, Sendable, Hashable, CustomStringConvertible {
    case syntax(String)

    package var description: String {
        switch self {
        case .syntax(let reason): reason
        }
    }
}

extension ValueReader {
    /// A `host:port` value; `:port` (every interface) only when `allowsEmptyHost`.
    package func hostPort(allowsEmptyHost: Bool) -> HostPort? {
        guard let value = scalar(expecting: "host:port") else { return nil }
        do {
            return try HostPort(parsing: value.text, allowsEmptyHost: allowsEmptyHost)
        } catch {
            fail("invalid address \(value.quoted): \(error.description)")
            return nil
        }
    }

    /// A size in bytes: a plain integer or a number with a unit (B, KiB, MiB, GiB, KB, MB, GB), e.g. `16MiB`.
    package func byteCount(in range: ClosedRange<Int>) -> Int? {
        guard let value = scalar(expecting: "a size in bytes") else { return nil }
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1_000), ("MB", 1_000_000),
            ("GB", 1_000_000_000), ("B", 1),
        ]
        var digits = Substring(value.text)
        var multiplier = 1
        if let unit = units.first(where: { value.text.hasSuffix($0.0) }) {
            digits = digits.dropLast(unit.0.count)
            multiplier = unit.1
        }
        guard let number = Int(digits), number >= 0 else {
            fail(
                "invalid size \(value.quoted); write bytes as a number, optionally with a unit: B, KiB, MiB, GiB, KB, MB, GB"
            )
            return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, range.contains(bytes) else {
            fail("size \(value.quoted) is out of range; allowed: \(range.lowerBound)…\(range.upperBound) bytes")
            return nil
        }
        return bytes
    }
}
