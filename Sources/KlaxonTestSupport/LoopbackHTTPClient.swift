import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP response as a test sees it.
package struct LoopbackHTTPResponse: Sendable {
    /// The status code, e.g. 200.
    package var status: Int
    /// Header fields with lower-cased names.
    package var headers: [String: String]
    /// The body, already decompressed when the server sent `Content-Encoding: gzip`.
    package var body: [UInt8]

    /// The body as UTF-8 text (invalid sequences replaced).
    package var text: String { String(decoding: body, as: UTF8.self) }
}

/// A well-behaved HTTP client (URLSession) for requests to servers on 127.0.0.1.
///
/// It follows the rules a real client follows, gzip decoding included; to send malformed or
/// partial requests, or to see the bytes on the wire, use `RawTCPConnection`.
package enum LoopbackHTTPClient {
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        return URLSession(configuration: configuration)
    }()

    /// Sends `method` to `http://127.0.0.1:port` + `pathAndQuery` (already percent-encoded).
    package static func send(
        _ method: String = "GET",
        port: UInt16,
        path pathAndQuery: String,
        headers: [String: String] = [:],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> LoopbackHTTPResponse {
        guard pathAndQuery.hasPrefix("/"), let url = URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)") else {
            throw LoopbackHTTPError.badPath(pathAndQuery)
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = Double(timeout.components.seconds) + 1
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        if let body {
            request.httpBody = Data(body)
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw LoopbackHTTPError.notHTTP(pathAndQuery) }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                fields[name.lowercased()] = value
            }
        }
        return LoopbackHTTPResponse(status: http.statusCode, headers: fields, body: Array(data))
    }
}

/// A request could not be built or the answer was not HTTP.
package enum LoopbackHTTPError: Error, CustomStringConvertible {
    case badPath(String)
    case notHTTP(String)

    package var description: String {
        switch self {
        case .badPath(let path): "cannot request '\(path)': a path must start with '/' and be percent-encoded"
        case .notHTTP(let path): "the answer to \(path) was not an HTTP response"
        }
    }
}
