import KlaxonHTTP

/// Guards the alerting API's write endpoints with `api.token`: with a token set, a write needs
/// `Authorization: Bearer <token>`; without one, writes are open (fine on loopback only).
package struct APIAuthorization: Sendable {
    private let token: [UInt8]?

    /// `token` nil leaves writes open.
    package init(token: String?) {
        self.token = token.map { Array($0.utf8) }
    }

    /// True when writes need a token.
    package var isRequired: Bool { token != nil }

    /// Throws 401 unless `request` carries the token (or none is configured). The comparison
    /// takes the same time wherever the tokens differ, so timing does not reveal a prefix.
    package func check(_ request: HTTPRequest) throws(APIError) {
        guard let token else { return }
        guard let header = request.headers["Authorization"] else {
            throw .unauthorized("this endpoint changes alert state and needs Authorization: Bearer <api.token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .unauthorized("the Authorization header must be \"Bearer <api.token>\"")
        }
        let presented = Array(parts[1].drop { $0 == " " }.utf8)
        guard Self.constantTimeEqual(presented, token) else {
            throw .unauthorized("the bearer token is not api.token")
        }
    }

    /// Throws 401 unless `presented` (the status page form's `token` field) is the token, or
    /// none is configured: the same check as the header's, for browsers, which cannot set one.
    package func check(formToken presented: String?) throws(APIError) {
        guard let token else { return }
        guard let presented, !presented.isEmpty else {
            throw .unauthorized("token: missing; this form changes alert state and needs api.token")
        }
        guard Self.constantTimeEqual(Array(presented.utf8), token) else {
            throw .unauthorized("token: this is not api.token")
        }
    }

    /// Compares every byte of the longer input whatever the contents; lengths differing is
    /// folded into the same result.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt64(truncatingIfNeeded: lhs.count ^ rhs.count)
        let length = max(lhs.count, rhs.count)
        for index in 0..<length {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= UInt64(left ^ right)
        }
        return difference == 0
    }

    /// The start-up warning when Klaxon listens beyond loopback with open writes; nil otherwise.
    package static func exposureWarning(listenHost host: String, tokenSet: Bool) -> String? {
        guard !tokenSet, !isLoopback(host) else { return nil }
        return "the alert API accepts acks and silences from anyone who can reach \(host.isEmpty ? "0.0.0.0" : host); "
            + "set api.token in klaxon.yml or listen on 127.0.0.1"
    }

    /// `127.0.0.0/8`, `::1` and `localhost`.
    package static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "::1" || bare.lowercased() == "localhost" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
