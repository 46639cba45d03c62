import KlaxonMetrics

// MARK: - Body decoding

extension PushgatewayHandler {
    /// The body's families with the grouping labels applied; throws the refusal Pushgateway would give.
    func decode(_ body: [UInt8], contentType: String?, key: PushGroupKey) throws(IngestRejection) -> [ParsedFamily] {
        guard body.count <= maxBodyBytes else {
            throw IngestRejection(
                .tooLarge, status: 413,
                "the push body is \(body.count) bytes, more than the limit of \(maxBodyBytes) bytes")
        }
        let format = PushBodyFormat(contentType: contentType)
        guard format != .protobuf else {
            throw IngestRejection(
                .mediaType, status: 415,
                "protocol buffer pushes are not supported; push the text format "
                    + "(Content-Type: text/plain; version=0.0.4) as prometheus_client does")
        }
        let parsed: [ParsedFamily]
        do throws(TextFormatParseError) {
            switch format {
            case .protobuf, .openMetrics:
                parsed = try OpenMetricsParser(sizeLimit: maxBodyBytes).parse(body)
            case .text:
                parsed = try TextFormatParser(sizeLimit: maxBodyBytes, nameValidation: .legacy).parse(body)
            }
        } catch {
            throw IngestRejection(
                .parse, "text format parsing error in line \(error.line), column \(error.column): \(error.message)")
        }
        return try Self.applyGrouping(parsed, key: key)
    }

    /// Drops pushed `push_time_seconds`/`push_failure_time_seconds` (the gateway owns them), refuses
    /// timestamps and sets every grouping label on every sample, overriding the sample's own value.
    static func applyGrouping(_ families: [ParsedFamily], key: PushGroupKey) throws(IngestRejection) -> [ParsedFamily] {
        var result: [ParsedFamily] = []
        result.reserveCapacity(families.count)
        let overrides = Labels.sortedUnique(key.pairs)
        for var family in families where family.name != pushTimeName && family.name != failureTimeName {
            for index in family.samples.indices {
                let sample = family.samples[index]
                guard sample.timestamp == nil else {
                    throw IngestRejection(
                        .invalid,
                        "pushed metrics must not have timestamps (sample \(sample.seriesLabels) has one); "
                            + "remove it, the push time is recorded in push_time_seconds")
                }
                family.samples[index].labels = sample.labels.merging(sortedUniqueOverrides: overrides)
            }
            result.append(family)
        }
        return result
    }
}

/// The encodings a push body can come in, told apart by `Content-Type`.
enum PushBodyFormat: Equatable {
    case text
    case openMetrics
    case protobuf

    /// Protobuf and OpenMetrics by media type; anything else is read as text 0.0.4, as Pushgateway does.
    init(contentType: String?) {
        let media =
            (contentType ?? "").split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: " \t").lowercased()
            } ?? ""
        switch media {
        case "application/vnd.google.protobuf": self = .protobuf
        case "application/openmetrics-text": self = .openMetrics
        default: self = .text
        }
    }
}

extension Substring {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
