import Foundation

/// `external_url` / `--web.external-url`: the address people use to reach this Klaxon.
package enum ExternalURL {
    /// Checks an absolute `http` or `https` URL without query or fragment and returns it without
    /// a trailing `/`, as Prometheus keeps it; the error says what is wrong.
    package static func parse(_ text: String) throws(ExternalURLError) -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw ExternalURLError(reason: "must start with http:// or https://") }
        guard let host = url.host, !host.isEmpty else { throw ExternalURLError(reason: "has no host") }
        guard url.query == nil, url.fragment == nil else {
            throw ExternalURLError(reason: "may not have a query or a fragment")
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}

/// Why an external URL was refused.
package struct ExternalURLError: Error, Sendable, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}
