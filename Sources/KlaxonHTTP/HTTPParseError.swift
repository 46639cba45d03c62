/// Why a request (or response, for the client) could not be parsed: the status to answer and a sentence.
///
/// Every parse error ends the connection: after a framing error the byte stream cannot be trusted.
package struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status the server answers with (400, 413, 431, 417, 501, 505).
    package var status: HTTPStatus
    /// What was wrong, where, and what is allowed.
    package var message: String

    package init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status): \(message)" }

    static func bad(_ message: String) -> HTTPParseError { HTTPParseError(.badRequest, message) }
}
