import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime

/// What the status page's forms post to: `POST /ui/alerts/{fingerprint}/ack`,
/// `POST /ui/alerts/{fingerprint}/unack` and `POST /ui/silences`, as a browser sends them
/// (`application/x-www-form-urlencoded`, no script needed).
///
/// A browser cannot set `Authorization`, so the token comes in the form's `token` field and is
/// checked as the API checks the header. The fields become the JSON API's body and go through the
/// API's own code (`AlertsAPI.acknowledge`, `SilencesAPI.create`): one implementation, the same
/// checks and messages. Success answers `303 See Other` back to the page; a refusal is a page
/// naming the bad field. A post from another origin is refused before anything is read: the
/// token guards the action, this keeps other sites from even trying.
package struct StatusPageForms: Sendable {
    /// The prefix of `/ui/alerts/{fingerprint}/ack|unack` (and of the alert's page).
    static let alertPrefix = "/ui/alerts/"
    static let silencesPath = "/ui/silences"

    let alerts: AlertsAPI
    let silences: SilencesAPI
    let authorization: APIAuthorization

    func register(in router: inout HTTPRouter) {
        router.addPrefix("POST", Self.alertPrefix, execution: .worker) { request in alertAction(request) }
        router.add("POST", Self.silencesPath, execution: .worker) { request in silence(request) }
    }

    /// `…/{fingerprint}/ack` with `by`, `comment`, `expiry`; `…/{fingerprint}/unack` with `by`.
    func alertAction(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.dropFirst(Self.alertPrefix.count).split(separator: "/")
        guard parts.count == 2, parts[1] == "ack" || parts[1] == "unack" else {
            return StatusPageHTML.problem(
                "no form posts to \(request.path.prefix(120)); use /ui/alerts/{fingerprint}/ack or …/unack",
                status: .notFound)
        }
        guard let fingerprint = Fingerprint(hex: parts[0]) else {
            return StatusPageHTML.problem(
                "\"\(parts[0].prefix(40))\" is not an alert fingerprint (16 hex digits)", status: .notFound)
        }
        let back = Self.alertPrefix + fingerprint.description
        do throws(APIError) {
            if parts[1] == "ack" {
                let form = try Self.form(request, allowed: ["token", "by", "comment", "expiry"])
                try authorization.check(formToken: form["token"])
                _ = try alerts.acknowledge(
                    fingerprint, body: Self.json(form, keys: ["by", "comment", "expiry"]))
            } else {
                let form = try Self.form(request, allowed: ["token", "by"])
                try authorization.check(formToken: form["token"])
                try alerts.unacknowledge(
                    fingerprint, by: form["by"] ?? "",
                    refusal: "by: say who takes the ack back (e.g. alice, at most 256 bytes)")
            }
        } catch {
            return StatusPageHTML.problem(error.message, status: error.status, back: back)
        }
        return Self.seeOther("/#alert-\(fingerprint)")
    }

    /// `createdBy`, `comment`, `duration` and `matchers` (one per line).
    func silence(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let form = try Self.form(request, allowed: ["token", "createdBy", "comment", "duration", "matchers"])
            try authorization.check(formToken: form["token"])
            let matchers = (form["matchers"] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            _ = try silences.create(
                body: Self.json(form, keys: ["createdBy", "comment", "duration"], matchers: matchers))
        } catch {
            return StatusPageHTML.problem(error.message, status: error.status)
        }
        return Self.seeOther("/#alerts")
    }

    // MARK: - Reading the post

    /// The form of a same-origin post, with no field outside `allowed`.
    static func form(_ request: HTTPRequest, allowed: Set<String>) throws(APIError) -> FormBody {
        guard isSameOrigin(request) else {
            throw APIError(
                status: .forbidden, type: "forbidden",
                message: "this form was posted from another site (Origin \(request.headers["Origin"]?.prefix(80) ?? "")"
                    + "); post it from Klaxon's own page")
        }
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(
                status: .unsupportedMediaType, type: "bad_data",
                message: "the form must be sent as application/x-www-form-urlencoded, not \"\(type.prefix(60))\"")
        }
        let form: FormBody
        do throws(FormBodyError) {
            form = try FormBody.parse(request.body)
        } catch {
            throw .badData(error.message)
        }
        if let unknown = form.fields.first(where: { !allowed.contains($0.name) }) {
            let names = allowed.sorted().joined(separator: ", ")
            throw .badData("field \"\(unknown.name.prefix(40))\" is not one of this form's: \(names)")
        }
        return form
    }

    /// True unless the browser says the post came from elsewhere: `Sec-Fetch-Site` other than
    /// `same-origin` (or `none`, typed by the user), or an `Origin` that is not this host.
    static func isSameOrigin(_ request: HTTPRequest) -> Bool {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased(), site != "same-origin", site != "none" {
            return false
        }
        guard let origin = request.headers["Origin"]?.lowercased() else { return true }
        guard let host = request.headers["Host"]?.lowercased(), !host.isEmpty else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// The JSON API's body from the form's `keys` (left out when empty) and `matchers`.
    package static func json(_ form: FormBody, keys: [String], matchers: [String]? = nil) -> [UInt8] {
        var members: [String] = []
        for key in keys {
            guard let value = form[key], !value.isEmpty else { continue }
            members.append(JSONString.quoted(key) + ":" + JSONString.quoted(value))
        }
        if let matchers, !matchers.isEmpty {
            members.append("\"matchers\":[" + matchers.map { JSONString.quoted($0) }.joined(separator: ",") + "]")
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }

    /// `303 See Other` to `location`: the browser loads the page with GET, so a reload does not post again.
    static func seeOther(_ location: String) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(303, reason: "See Other"), body: [])
        response.headers.set("Location", location)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and carriage returns.
    fileprivate var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
