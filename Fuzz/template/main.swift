import KlaxonTemplate

/// Parses arbitrary bytes as an alert template and expands it for a few values: it must throw
/// or produce bounded text, never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let variables = ["$labels", "$externalLabels", "$externalURL", "$value"]
    guard let template = try? Template(text, name: "__alert_Fuzz", variables: variables) else { return 0 }
    let labels = TemplateValue.map(["__name__": "m", "instance": "host:9090", "job": "api", "path": "/a b"])
    for value in [0, -1.5, 1e6, 0.1234, .nan, .infinity, 1e300, 5e-324] as [Double] {
        let dot = TemplateValue.record([
            TemplateField(name: "Labels", value: labels), TemplateField(name: "Value", value: .float(value)),
        ])
        let data = TemplateData(
            dot: dot,
            variables: [
                ("$labels", labels), ("$externalLabels", .map(["env": "prod"])), ("$externalURL", .string("http://k/p")),
                ("$value", .float(value)),
            ],
            externalURL: "http://k/p")
        let output = template.expandOrError(data)
        if output.utf8.count > Template.maxOutput + 4096 {
            fatalError("expansion exceeded its bound: \(output.utf8.count) bytes")
        }
    }
    return 0
}
