import Testing

import KlaxonMetrics

@Suite struct ExpositionFormatTests {
    @Test(arguments: [
        // Prometheus 2.42's scrape Accept header.
        ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.openMetrics),
        ("text/plain;version=0.0.4;q=1,*/*;q=0.1", .text),
        ("application/openmetrics-text; version=0.0.1", .openMetrics),
        ("application/openmetrics-text; version=2.0.0", .text),
        ("text/plain;q=0.5, application/openmetrics-text;q=0.9", .openMetrics),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", .text),
        ("application/openmetrics-text;q=0, text/plain", .text),
        ("*/*", .text),
        ("", .text),
    ])
    func negotiatesLikePrometheusClients(accept: String, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    @Test func missingAcceptGivesText() {
        #expect(ExpositionFormat.negotiate(accept: nil) == .text)
        #expect(ExpositionFormat.text.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }
}
