/// `api`: who may change alert state over HTTP (acks, silences).
///
/// With a `token`, write endpoints need `Authorization: Bearer <token>`; reads stay open, as
/// Prometheus's and Alertmanager's read APIs are. Without one, anyone who can reach the listener
/// may ack and silence, so Klaxon warns at start when it listens beyond loopback.
package struct APIConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// `token` (a secret; `${VAR}` allowed): the bearer token write endpoints require; nil for none.
    package var token: String?

    /// No token: writes are open (fine on loopback).
    package init(token: String? = nil) {
        self.token = token
    }

    /// Names whether a token is set, never the token.
    package var description: String { token == nil ? "api(no token)" : "api(token set)" }
}

extension APIConfiguration {
    static let keys = ["token"]

    /// Decodes `api:`; an empty token is an error (it would look protected and be open).
    init(decoding reader: MappingReader) {
        self.init()
        guard let value = reader["token"], let token = value.secretString() else { return }
        guard !token.isEmpty else {
            value.fail("must not be empty; remove api.token to leave the write API open, or set a token")
            return
        }
        guard token.utf8.count <= 4096, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            value.fail("must be at most 4096 visible ASCII characters (no spaces), as an HTTP bearer token")
            return
        }
        self.token = token
    }
}
