import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics

/// Runs the alert client commands against a running Klaxon's alerting API and returns what to
/// print, so the executable only prints and tests read the text.
///
/// Blocks on each HTTP request (at most `HTTPClient.timeout`); call it from a thread of its own.
package struct AlertClient: Sendable {
    private let environment: [String: String]
    private let http: HTTPClient

    /// `environment` supplies `KLAXON_URL`, `KLAXON_API_TOKEN` and `USER`.
    package init(environment: [String: String], http: HTTPClient = HTTPClient(timeout: .seconds(10))) {
        self.environment = environment
        self.http = http
    }

    /// Sends the command's requests; exit status 1 when one failed or was refused.
    package func run(_ command: AlertClientCommand) -> RuleCommands.Outcome {
        var outcome = RuleCommands.Outcome(standardOutput: "", standardError: "", exitStatus: 0)
        let session = Session(
            base: baseURL(command), token: environment["KLAXON_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
            http: http)
        do throws(AlertClientError) {
            switch command.action {
            case .alerts(let filters):
                let answer = try session.get("/api/v1/alerts", filters.map { QueryParameter("filter", $0) })
                outcome.standardOutput = command.json ? answer.text + "\n" : AlertClientTables.alerts(answer.data)
            case .ack(let target, let by, let comment, let expiry):
                var body = JSONObjectWriter()
                body.string("by", by ?? user)
                if !comment.isEmpty { body.string("comment", comment) }
                if let expiry { body.string("expiry", expiry) }
                for (fingerprint, name) in try resolve(target, session) {
                    let answer = try session.send("POST", "/api/v1/alerts/\(fingerprint)/ack", body: body.json)
                    outcome.standardOutput += command.json ? answer.text + "\n" : "acked \(fingerprint) \(name)\n"
                }
            case .unack(let target, let by):
                for (fingerprint, name) in try resolve(target, session) {
                    let answer = try session.send(
                        "DELETE", "/api/v1/alerts/\(fingerprint)/ack", [QueryParameter("by", by ?? user)])
                    outcome.standardOutput += command.json ? answer.text + "\n" : "unacked \(fingerprint) \(name)\n"
                }
            case .silenceAdd(let options):
                let answer = try session.send("POST", "/api/v1/silences", body: silenceBody(options))
                outcome.standardOutput = command.json ? answer.text + "\n" : (answer.data?["id"]?.text ?? "") + "\n"
            case .silenceList(let includeExpired):
                let answer = try session.get(
                    "/api/v1/silences", includeExpired ? [QueryParameter("expired", "true")] : [])
                outcome.standardOutput = command.json ? answer.text + "\n" : AlertClientTables.silences(answer.data)
            case .silenceExpire(let ids):
                for id in ids {
                    let answer = try session.send("DELETE", "/api/v1/silences/" + Session.encode(id))
                    outcome.standardOutput += command.json ? answer.text + "\n" : "expired \(id)\n"
                }
            case .history(let parameters):
                let answer = try session.get("/api/v1/alerts/history", parameters)
                outcome.standardOutput = command.json ? answer.text + "\n" : AlertClientTables.history(answer.data)
            }
        } catch {
            outcome.standardError = "klaxon: \(error.message)\n"
            outcome.exitStatus = 1
        }
        return outcome
    }

    private var user: String {
        for name in ["USER", "LOGNAME"] { if let value = environment[name], !value.isEmpty { return value } }
        return "klaxon-cli"
    }

    private func baseURL(_ command: AlertClientCommand) -> String {
        var url =
            command.url ?? environment["KLAXON_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? AlertClientCommand.defaultURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// A fingerprint as given, or every firing alert named `target`.
    private func resolve(_ target: String, _ session: Session) throws(AlertClientError) -> [(String, String)] {
        if target.utf8.count == 16, let fingerprint = Fingerprint(hex: target) {
            return [(fingerprint.description, "")]
        }
        guard let matcher = try? LabelMatcher("alertname", .equal, target) else { return [] }
        let answer = try session.get("/api/v1/alerts", [QueryParameter("filter", matcher.text)])
        let alerts = answer.data?["alerts"]?.elements ?? []
        guard !alerts.isEmpty else {
            throw AlertClientError(message: "no firing alert is named \(target) (and it is not a 16-digit fingerprint)")
        }
        return alerts.compactMap { alert in alert["fingerprint"]?.text.map { ($0, target) } }
    }

    private func silenceBody(_ options: SilenceAddOptions) -> String {
        var body = JSONObjectWriter()
        if !options.matchers.isEmpty { body.strings("matchers", options.matchers) }
        body.string("createdBy", options.author ?? user)
        if !options.comment.isEmpty { body.string("comment", options.comment) }
        if let end = options.end {
            body.string("endsAt", end)
        } else if let fingerprint = options.untilResolved {
            body.string("untilResolved", fingerprint)
        } else {
            body.string("duration", options.duration ?? "1h")
        }
        return body.json
    }
}

/// Why a client command failed: a sentence for standard error.
struct AlertClientError: Error {
    var message: String
}

/// The server and credentials of one command, and its requests.
struct Session {
    /// A successful answer: its text and, for a v1 envelope, its `data`.
    struct Answer {
        var text: String
        var data: JSONValue?
    }

    let base: String
    let token: String?
    let http: HTTPClient

    func get(_ path: String, _ parameters: [QueryParameter] = []) throws(AlertClientError) -> Answer {
        try send("GET", path, parameters)
    }

    /// Sends one request; a refused one (4xx, 5xx) fails with the API's error sentence.
    func send(
        _ method: String, _ path: String, _ parameters: [QueryParameter] = [], body: String? = nil
    ) throws(AlertClientError) -> Answer {
        var target = base + path
        if !parameters.isEmpty {
            target += "?" + parameters.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token { headers.set("Authorization", "Bearer " + token) }
        if body != nil { headers.set("Content-Type", "application/json") }
        let response: HTTPClientResponse
        do {
            response = try http.send(method, target, headers: headers, body: Array((body ?? "").utf8))
        } catch {
            throw AlertClientError(message: "cannot reach Klaxon at \(base): \(error.message)")
        }
        let text = String(decoding: response.body, as: UTF8.self)
        let document = try? JSONParser(maxBytes: 64 << 20, maxDepth: 64).parse(response.body)
        guard (200..<300).contains(response.status.code) else {
            let reason = document?["error"]?.text ?? String(text.prefix(300))
            let hint =
                response.status.code == 401
                ? (token == nil
                    ? " (set KLAXON_API_TOKEN to the api.token of klaxon.yml)" : " (check KLAXON_API_TOKEN)")
                : ""
            throw AlertClientError(message: "\(method) \(path): \(response.status): \(reason)\(hint)")
        }
        return Answer(text: text, data: document?["data"])
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSONValue {
    /// The string, or a number's text; nil otherwise.
    var text: String? {
        switch self {
        case .string(let value): value
        case .number(_, let text): text
        default: nil
        }
    }

    /// The elements of an array; nil otherwise.
    var elements: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The members of an object in document order; nil otherwise.
    var members: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
