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
                let read = try OpenMetricsParser(sizeLimit: maxBodyBytes).parse(body)
                parsed = Self.settingGroupingLabels(read, key: key)
            case .text:
                // The text parser sets the grouping labels as it builds each sample's label set.
                let parser = TextFormatParser(
                    sizeLimit: maxBodyBytes, nameValidation: .legacy, labelOverrides: key.pairs)
                parsed = try parser.parse(body)
            }
        } catch {
            throw IngestRejection(
                .parse, "text format parsing error in line \(error.line), column \(error.column): \(error.message)")
        }
        return try Self.checkedForGroup(parsed)
    }

    /// Sets every grouping label on every sample, overriding the sample's own value.
    ///
    /// Works in place on the parser's arrays: a copy of each family's samples would cost a retain per label.
    static func settingGroupingLabels(_ parsed: consuming [ParsedFamily], key: PushGroupKey) -> [ParsedFamily] {
        var families = parsed
        let overrides = Labels.sortedUnique(key.pairs)
        for family in families.indices {
            for index in families[family].samples.indices {
                let labels = families[family].samples[index].labels
                families[family].samples[index].labels = labels.merging(sortedUniqueOverrides: overrides)
            }
        }
        return families
    }

    /// Drops pushed `push_time_seconds`/`push_failure_time_seconds` (the gateway owns them) and refuses
    /// timestamps.
    static func checkedForGroup(_ parsed: consuming [ParsedFamily]) throws(IngestRejection) -> [ParsedFamily] {
        var families = parsed
        families.removeAll { $0.name == pushTimeName || $0.name == failureTimeName }
        for family in families {
            if let sample = family.samples.first(where: { $0.timestamp != nil }) {
                throw IngestRejection(
                    .invalid,
                    "pushed metrics must not have timestamps (sample \(sample.seriesLabels) has one); "
                        + "remove it, the push time is recorded in push_time_seconds")
            }
        }
        return families
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
