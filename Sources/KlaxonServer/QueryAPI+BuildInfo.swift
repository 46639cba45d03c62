import KlaxonHTTP

// MARK: - Build information

extension QueryAPI {
    /// `GET /api/v1/status/buildinfo`, which Grafana asks a Prometheus data source for.
    package static let buildInfoPath = "/api/v1/status/buildinfo"

    /// The Prometheus release whose query language and API Klaxon answers with. Grafana reads
    /// `version` to choose the features it uses, so it is Prometheus's number; Klaxon's own is in
    /// `revision`.
    static let prometheusCompatibility = "2.42.0"

    /// Prometheus's build information fields, filled with what Klaxon knows of itself.
    static func buildInfo() -> HTTPResponse {
        var object = JSONObjectWriter()
        object.string("version", prometheusCompatibility)
        object.string("revision", "klaxon \(KlaxonVersion.version)")
        object.string("branch", "")
        object.string("buildUser", "")
        object.string("buildDate", "")
        object.string("goVersion", "swift \(KlaxonVersion.swiftCompiler)")
        return APIJSON.success(object.json)
    }
}
