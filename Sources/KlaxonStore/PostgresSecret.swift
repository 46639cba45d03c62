import Foundation

/// The password of a PostgreSQL URL, kept only to blank it out of libpq's messages.
///
/// libpq does not quote passwords in its errors, but a server or a future libpq might echo part of
/// a connection string; the store promises that no error text ever holds the password.
struct PostgresSecret: Sendable {
    private let forms: [String]

    /// Reads the password from `postgres://user:password@host/…` and from a `password=` query
    /// parameter, raw and percent-decoded.
    init(url: String) {
        var found: [String] = []
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        if let query = url.firstIndex(of: "?") {
            for item in url[url.index(after: query)...].split(separator: "&") where item.hasPrefix("password=") {
                found.append(String(item.dropFirst("password=".count)))
            }
        }
        var forms: [String] = []
        for password in found where !password.isEmpty {
            forms.append(password)
            if let decoded = password.removingPercentEncoding, decoded != password, !decoded.isEmpty {
                forms.append(decoded)
            }
        }
        // Longest first, so a password containing another form is blanked whole.
        self.forms = forms.sorted { $0.count > $1.count }
    }

    /// `text` with every occurrence of the password replaced by `***`.
    func scrub(_ text: String) -> String {
        var text = text
        for form in forms { text = text.replacingOccurrences(of: form, with: "***") }
        return text
    }
}
