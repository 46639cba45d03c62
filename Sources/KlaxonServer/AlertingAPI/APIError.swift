import KlaxonHTTP
import KlaxonRuntime

/// Why an alerting API request was refused: an HTTP status, Prometheus's `errorType`, and a
/// sentence naming the bad field or parameter and what is allowed.
package struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    package var status: HTTPStatus
    /// `bad_data`, `not_found`, `unauthorized`, `unavailable`, `internal`.
    package var type: String
    package var message: String

    package init(status: HTTPStatus, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    package var description: String { message }

    /// A malformed parameter or body: 400.
    package static func badData(_ message: String) -> APIError {
        APIError(status: .badRequest, type: "bad_data", message: message)
    }

    /// The alert or silence named in the path does not exist (or does not fire): 404.
    package static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, type: "not_found", message: message)
    }

    /// A write without the right bearer token: 401.
    package static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, type: "unauthorized", message: message)
    }

    /// The store could not answer (database down): 503.
    package static func unavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, type: "unavailable", message: message)
    }

    /// The v1 answer: `{"status":"error","errorType":…,"error":…}`, as Prometheus's API.
    package var v1Response: HTTPResponse {
        var response = HTTPResponse.json(QueryResultJSON.error(type: type, message: message), status: status)
        if status == .unauthorized { response.headers.set("WWW-Authenticate", "Bearer realm=\"klaxon\"") }
        return response
    }

    /// The Alertmanager v2 answer: the message as a JSON string, as Alertmanager's API answers errors.
    package var v2Response: HTTPResponse {
        var response = HTTPResponse.json(Array(JSONString.quoted(message, htmlSafe: true).utf8), status: status)
        if status == .unauthorized { response.headers.set("WWW-Authenticate", "Bearer realm=\"klaxon\"") }
        return response
    }
}
