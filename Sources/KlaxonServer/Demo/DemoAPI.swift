import KlaxonHTTP

/// `klaxon demo`'s own endpoints: `GET /api/v1/demo/incidents` lists the incidents (and which one
/// runs), `POST /api/v1/demo/incidents/<name>` injects one now (a write: the API token applies).
enum DemoAPI {
    static let listPath = "/api/v1/demo/incidents"
    static let prefix = "/api/v1/demo/incidents/"

    static func register(in router: inout HTTPRouter, demo: DemoService, authorization: APIAuthorization) {
        router.add("GET", listPath) { _ in
            let status = demo.status
            let incidents = DemoIncident.all.map { incident in
                var object = JSONObjectWriter()
                object.string("name", incident.name)
                object.string("title", incident.title)
                object.string("alert", incident.alert)
                object.string("severity", incident.severity)
                object.bool("running", status.running?.incident.name == incident.name)
                return object.json
            }
            return APIJSON.success(APIJSON.array(incidents))
        }
        router.addPrefix("POST", prefix) { request in
            do throws(APIError) {
                try authorization.check(request)
                let name = String(request.path.dropFirst(prefix.count))
                guard demo.trigger(name) else {
                    let names = DemoIncident.all.map(\.name).joined(separator: ", ")
                    throw .notFound("no demo incident \"\(name.prefix(64))\"; known: \(names)")
                }
                var object = JSONObjectWriter()
                object.string("incident", name)
                return APIJSON.success(object.json, status: .accepted)
            } catch {
                return error.v1Response
            }
        }
    }
}
