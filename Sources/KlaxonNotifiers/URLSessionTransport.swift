import Foundation
import KlaxonRouting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over URLSession (FoundationNetworking on Linux): `https://` with the system's
/// trust store, and `http://` for stand-ins and local receivers.
package final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    package init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    package func send(_ request: HTTPTransportRequest) async -> Result<HTTPTransportResponse, DeliveryError> {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host != nil
        else {
            return .failure(DeliveryError(.configuration, "\(request.target): the URL is not a valid http(s) URL"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        let seconds = Double(max(1, request.timeoutMilliseconds)) / 1000
        urlRequest.timeoutInterval = seconds
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = Data(request.body)
        let prepared = urlRequest
        let timeoutText =
            request.timeoutMilliseconds < 1000
            ? "\(max(1, request.timeoutMilliseconds))ms"
            : MessageFormat.duration(milliseconds: request.timeoutMilliseconds)
        // URLSession's own timeout is per read; the race below bounds the whole exchange too.
        return await withTaskGroup(of: Result<HTTPTransportResponse, DeliveryError>?.self) { group in
            group.addTask { [session] in
                do {
                    let (data, response) = try await session.data(for: prepared)
                    guard let http = response as? HTTPURLResponse else {
                        return .failure(DeliveryError(.network, "\(request.target): the answer was not HTTP"))
                    }
                    var headers: [String: String] = [:]
                    for (name, value) in http.allHeaderFields {
                        if let name = name as? String, let value = value as? String {
                            headers[name.lowercased()] = value
                        }
                    }
                    let body = Array(data.prefix(HTTPTransportResponse.maxBodyBytes))
                    return .success(HTTPTransportResponse(status: http.statusCode, headers: headers, body: body))
                } catch {
                    return .failure(Self.classify(error, target: request.target, timeout: timeoutText))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(max(1, request.timeoutMilliseconds) &+ 2000))
                return Task.isCancelled
                    ? nil : .failure(DeliveryError(.timeout, "\(request.target): no answer within \(timeoutText)"))
            }
            var outcome: Result<HTTPTransportResponse, DeliveryError> = .failure(
                DeliveryError(.network, "\(request.target): the request was cancelled"))
            for await result in group {
                if let result {
                    outcome = result
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    /// A URLSession error as a class and a text that names `target` (URLError's own text quotes the URL).
    static func classify(_ error: any Error, target: String, timeout: String) -> DeliveryError {
        guard let urlError = error as? URLError else {
            if error is CancellationError { return DeliveryError(.network, "\(target): the request was cancelled") }
            return DeliveryError(.network, "\(target): the request failed")
        }
        switch urlError.code {
        case .timedOut:
            return DeliveryError(.timeout, "\(target): no answer within \(timeout)")
        case .cannotFindHost, .dnsLookupFailed:
            return DeliveryError(.network, "\(target): the host name could not be resolved")
        case .cannotConnectToHost:
            return DeliveryError(.network, "\(target): connection refused")
        case .networkConnectionLost:
            return DeliveryError(.network, "\(target): the connection was lost")
        case .notConnectedToInternet:
            return DeliveryError(.network, "\(target): no network")
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
            .clientCertificateRequired:
            return DeliveryError(.network, "\(target): the TLS handshake failed (URLError \(urlError.code.rawValue))")
        case .badURL, .unsupportedURL:
            return DeliveryError(.configuration, "\(target): the URL is not valid")
        case .cancelled:
            return DeliveryError(.network, "\(target): the request was cancelled")
        default:
            return DeliveryError(.network, "\(target): the request failed (URLError \(urlError.code.rawValue))")
        }
    }
}
