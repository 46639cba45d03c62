import KlaxonTemplate
import Testing

/// One template expanded for one value, with what Prometheus prints.
struct TemplateCase: Sendable, CustomTestStringConvertible {
    var template: String
    var value: Double
    /// The `idx` label of the series the peer expanded it for.
    var index: Int
    var expected: String

    init(_ template: String, _ value: Double, _ index: Int, _ expected: String) {
        self.template = template
        self.value = value
        self.index = index
        self.expected = expected
    }

    var testDescription: String { "\(template) with \(value)" }

    var data: TemplateData {
        AlertShapedData.make(
            labels: ["__name__": "m", "idx": String(index), "instance": "host:9090", "job": "api"], value: value)
    }
}
