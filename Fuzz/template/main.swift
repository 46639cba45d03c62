import KlaxonTemplate

/// Parses arbitrary bytes as an alert template and executes it: it must throw or produce bounded
/// text, never crash or hang. Input is `DATA \0 TEMPLATE` (or only a template): DATA's first 8
/// bytes are `$value`'s bit pattern and the rest, split at 0x01, alternate label names and values
/// (any UTF-8) for `$labels`, so every function sees values the fuzzer chose. Each template also
/// runs with values at the edges of int64 and float64, and `.Alerts` is a slice as in a receiver's
/// message template.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0)
    let templateBytes = split.map { bytes[($0 + 1)...] } ?? bytes[...]
    let text = String(decoding: templateBytes, as: UTF8.self)
    let variables = ["$labels", "$externalLabels", "$externalURL", "$value"]
    guard let template = try? Template(text, name: "__alert_Fuzz", variables: variables) else { return 0 }

    var labels = ["__name__": "m", "instance": "host:9090", "job": "api", "path": "/a b"]
    var values: [Double] = [0, -1.5, 0.1234, .nan, .infinity, -.infinity, 1e300, 5e-324, 9.223372036854775807e18]
    if let split {
        let dataBytes = Array(bytes[..<split])
        var bits: UInt64 = 0
        for byte in dataBytes.prefix(8) { bits = bits << 8 | UInt64(byte) }
        values.insert(Double(bitPattern: bits), at: 0)
        let fields = dataBytes.dropFirst(8).split(separator: 1, omittingEmptySubsequences: false)
        for index in stride(from: 0, to: fields.count - 1, by: 2) {
            labels[String(decoding: fields[index], as: UTF8.self)] = String(decoding: fields[index + 1], as: UTF8.self)
        }
    }
    for value in values {
        let labelMap = TemplateValue.map(labels)
        // A notification's shape too (receiver `message` templates): a slice with methods.
        let alert = TemplateValue.record([
            TemplateField(name: "Labels", value: labelMap), TemplateField(name: "Value", value: .float(value)),
        ])
        let alerts = TemplateValue.list(
            TemplateList(
                [alert, alert], goType: "template.Alerts",
                methods: [TemplateField(name: "Firing", value: .list(TemplateList([alert])))]))
        let dot = TemplateValue.record([
            TemplateField(name: "Alerts", value: alerts),
            TemplateField(name: "Labels", value: labelMap),
            TemplateField(name: "ExternalLabels", value: .map(["env": "prod"])),
            TemplateField(name: "ExternalURL", value: .string("http://k/p")),
            TemplateField(name: "Value", value: .float(value)),
        ])
        let data = TemplateData(
            dot: dot,
            variables: [
                ("$labels", labelMap), ("$externalLabels", .map(["env": "prod"])),
                ("$externalURL", .string("http://k/p")), ("$value", .float(value)),
            ],
            externalURL: "http://k/p")
        let output = template.expandOrError(data)
        if output.utf8.count > Template.maxOutput + 4096 {
            fatalError("expansion exceeded its bound: \(output.utf8.count) bytes")
        }
    }
    return 0
}
