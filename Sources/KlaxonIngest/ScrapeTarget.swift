import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics

/// One target of a scrape job: where to fetch, how to read it, and the labels its series get.
package struct ScrapeTarget: Sendable, Equatable {
    package var job: String
    /// `host:port`, the `instance` label unless the job's `labels` set one.
    package var address: String
    /// `http://host:port/metrics_path`.
    package var url: String
    package var format: ScrapeFormat
    package var json: JSONScrapeMapping?
    /// `job`, `instance` and the job's configured `labels` (which may override `instance`).
    package var labels: Labels
    package var intervalMilliseconds: Int64
    package var timeoutMilliseconds: Int64

    /// The targets of one `scrape_configs[]` entry, in configuration order.
    package static func targets(of configuration: ScrapeConfiguration) -> [ScrapeTarget] {
        configuration.targets.map { target in
            let address = target.description
            return ScrapeTarget(
                job: configuration.jobName, address: address, url: "http://\(address)\(configuration.metricsPath)",
                format: configuration.format, json: configuration.json,
                labels: Labels(
                    [Label("job", configuration.jobName), Label("instance", address)] + Array(configuration.labels)),
                intervalMilliseconds: max(1, configuration.intervalMilliseconds),
                timeoutMilliseconds: max(1, min(configuration.timeoutMilliseconds, configuration.intervalMilliseconds)))
        }
    }

    /// The `instance` label value.
    package var instance: String { labels["instance"] ?? address }

    /// The store owner of this target's series.
    package var owner: SeriesOwner { .scrapeTarget("\(job)/\(address)") }

    /// How long the target's series outlive its last scrape if the scrape loop stops: three intervals.
    package var staleAfterMilliseconds: Int64 { intervalMilliseconds.multipliedReportingOverflow(by: 3).partialValue }

    // MARK: - Labels

    /// Sets the target labels on every scraped sample, as Prometheus does with `honor_labels: false`:
    /// a scraped label that clashes with a target label is kept as `exported_<name>` (more
    /// `exported_` prefixes while that name is taken too).
    package func attachLabels(to families: [ParsedFamily]) -> [ParsedFamily] {
        families.map { family in
            var family = family
            for index in family.samples.indices {
                family.samples[index].labels = attach(to: family.samples[index].labels)
            }
            return family
        }
    }

    private func attach(to scraped: Labels) -> Labels {
        var result = Array(scraped)
        var clashes: [Label] = []
        for label in labels {
            if let position = result.firstIndex(where: { $0.name == label.name }) {
                clashes.append(result[position])
                result.remove(at: position)
            }
        }
        result.append(contentsOf: labels)
        for clash in clashes {
            var name = "exported_" + clash.name
            while result.contains(where: { $0.name == name }) { name = "exported_" + name }
            result.append(Label(name, clash.value))
        }
        return Labels(result)
    }

    /// `up`, `scrape_duration_seconds` and `scrape_samples_scraped` with the target labels.
    package func syntheticFamilies(up: Bool, durationSeconds: Double, samplesScraped: Int) -> [ParsedFamily] {
        [
            ("up", "1 if the last scrape of the target succeeded, else 0.", up ? 1.0 : 0.0),
            ("scrape_duration_seconds", "Duration of the last scrape of the target.", durationSeconds),
            ("scrape_samples_scraped", "Samples the last scrape of the target exposed.", Double(samplesScraped)),
        ].map { name, help, value in
            ParsedFamily(
                name: name, type: .gauge, help: help, samples: [ParsedSample(name: name, labels: labels, value: value)])
        }
    }

    // MARK: - Fetching and parsing

    /// The `Accept` header: the text format first, OpenMetrics accepted; JSON for JSON targets.
    var acceptHeader: String {
        switch format {
        case .prometheus:
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1"
        case .json: "application/json"
        }
    }

    /// The families in a successful response body, by `Content-Type` (OpenMetrics or text 0.0.4) or the JSON mapping.
    package func parse(_ response: HTTPClientResponse) throws(ScrapeError) -> [ParsedFamily] {
        guard (200..<300).contains(response.status.code) else {
            throw ScrapeError("server returned HTTP status \(response.status)")
        }
        switch format {
        case .json:
            let document: JSONValue
            do {
                document = try JSONParser(maxBytes: Int.max).parse(response.body)
            } catch {
                throw ScrapeError(error.description)
            }
            do {
                return try JSONScrapeExtractor.families(from: document, mapping: json ?? JSONScrapeMapping(metrics: []))
            } catch {
                throw ScrapeError(error.description)
            }
        case .prometheus:
            let media = (response.headers["Content-Type"] ?? "").split(separator: ";").first?.trimmingCharacters(
                in: " \t")
            do throws(TextFormatParseError) {
                if media?.lowercased() == "application/openmetrics-text" {
                    return try OpenMetricsParser(sizeLimit: Int.max).parse(response.body)
                }
                return try TextFormatParser(sizeLimit: Int.max, nameValidation: .legacy).parse(response.body)
            } catch {
                throw ScrapeError("cannot parse the exposition: \(error.description)")
            }
        }
    }
}

/// Why a scrape failed; the sentence becomes the warning's `error` field.
package struct ScrapeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
