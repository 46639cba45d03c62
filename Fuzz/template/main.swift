import KlaxonMetrics
import KlaxonRules

/// Parses arbitrary bytes as an alert template and expands it for a few values: it must throw
/// or produce bounded text, never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let template = try? Template(text, name: "__alert_Fuzz") else { return 0 }
    let labels = Labels(["__name__": "m", "instance": "host:9090", "job": "api", "path": "/a b"])
    for value in [0, -1.5, 1e6, 0.1234, .nan, .infinity, 1e300, 5e-324] as [Double] {
        let data = AlertTemplateData(
            labels: labels, externalLabels: Labels(["env": "prod"]), externalURL: "http://k/p", value: value)
        let output = template.expandOrError(data)
        if output.utf8.count > Template.maxOutput + 4096 {
            fatalError("expansion exceeded its bound: \(output.utf8.count) bytes")
        }
    }
    return 0
}
