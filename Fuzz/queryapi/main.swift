import KlaxonConfig
import KlaxonHTTP
import KlaxonRuntime
import KlaxonServer

/// One server with a few series, shared by every input; queries only read it.
let server: KlaxonServer? = {
    guard let server = try? KlaxonServer(settings: ServerSettings(configuration: .builtIn), logger: .disabled) else {
        return nil
    }
    let push =
        "# TYPE engine_depth gauge\nengine_depth{queue=\"a\"} 4\nengine_depth{queue=\"b\"} NaN\n"
        + "# TYPE engine_fills_total counter\nengine_fills_total{venue=\"x\"} 1e300\n"
    _ = server.handler.handle(HTTPRequest(method: "PUT", target: "/metrics/job/fuzz", body: Array(push.utf8)))
    return server
}()

/// Feeds arbitrary bytes to `/api/v1/query` as a form body and as a query string, to the range,
/// series and label routes as a form body and as their parameters, and to the value printer:
/// every input must be answered (200, 400 or 422 with JSON; 404 for a label path), never crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let server else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let form = HTTPRequest(
        method: "POST", target: "/api/v1/query",
        headers: ["Content-Type": "application/x-www-form-urlencoded"], body: bytes)
    check(server.handler.handle(form))
    // The HTTP parser admits only ASCII targets, so the bytes arrive percent-encoded, as a client sends them.
    check(server.handler.handle(HTTPRequest(method: "GET", target: "/api/v1/query?" + percentEncoded(bytes))))
    for path in ["/api/v1/query_range", "/api/v1/series", "/api/v1/labels", "/api/v1/label/queue/values"] {
        check(
            server.handler.handle(
                HTTPRequest(
                    method: "POST", target: path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: bytes)))
    }
    // The input split at NUL bytes gives the range parameters and a selector, one each.
    let parts = bytes.split(separator: 0, maxSplits: 4, omittingEmptySubsequences: false).map {
        percentEncoded(Array($0))
    }
    if parts.count == 5 {
        let range =
            "/api/v1/query_range?query=\(parts[0])&start=\(parts[1])&end=\(parts[2])&step=\(parts[3])"
        check(server.handler.handle(HTTPRequest(method: "GET", target: range)))
        let series = "/api/v1/series?match%5B%5D=\(parts[4])&start=\(parts[1])&end=\(parts[2])"
        check(server.handler.handle(HTTPRequest(method: "GET", target: series)))
        let values = "/api/v1/label/\(parts[3])/values?match%5B%5D=\(parts[4])"
        check(server.handler.handle(HTTPRequest(method: "GET", target: values)), allowing: [404])
    }
    if size >= 8 {
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(as: Double.self) }
        let printed = QueryResultJSON.formatValue(value)
        if !value.isNaN, Double(printed.replacingInfinity) != value {
            preconditionFailure("\(value) printed as \(printed) does not read back")
        }
    }
    return 0
}

/// Every byte but unreserved characters, `&` and `=` as `%XX`.
private func percentEncoded(_ bytes: [UInt8]) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"), UInt8(ascii: "&"), UInt8(ascii: "="):
            out.append(byte)
        default:
            out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
    }
    return String(decoding: out, as: UTF8.self)
}

private func check(_ response: HTTPResponse, allowing extra: [Int] = []) {
    let allowed = [200, 400, 422]
    if extra.contains(response.status.code) { return }
    precondition(allowed.contains(response.status.code), "unexpected status \(response.status)")
    precondition(response.body.first == UInt8(ascii: "{"), "the answer is not a JSON object")
}

extension String {
    /// Prometheus's spelling of infinities, as Swift's `Double(_:)` reads them.
    fileprivate var replacingInfinity: String {
        self == "+Inf" ? "inf" : self == "-Inf" ? "-inf" : self
    }
}
