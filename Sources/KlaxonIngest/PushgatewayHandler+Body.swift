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
        let parsed: [ParsedFamily]
        switch format {
        case .otherProtobuf:
            throw IngestRejection(
                .mediaType, status: 415,
                "protocol buffer pushes must be delimited MetricFamily messages "
                    + "(Content-Type: \(ProtobufFamilyDecoder.contentType)), as the Go client's push package sends")
        case .protobuf:
            do throws(ProtobufDecodeError) {
                parsed = try ProtobufFamilyDecoder(sizeLimit: maxBodyBytes, labelOverrides: key.pairs).decode(body)
            } catch {
                throw IngestRejection(
                    error.isMalformed ? .parse : .invalid, "protobuf push refused: \(error.description)")
            }
        case .openMetrics, .text:
            do throws(TextFormatParseError) {
                if format == .openMetrics {
                    let read = try OpenMetricsParser(sizeLimit: maxBodyBytes).parse(body)
                    parsed = Self.settingGroupingLabels(read, key: key)
                } else {
                    // The text parser sets the grouping labels as it builds each sample's label set.
                    let parser = TextFormatParser(
                        sizeLimit: maxBodyBytes, nameValidation: .legacy, labelOverrides: key.pairs)
                    parsed = try parser.parse(body)
                }
            } catch {
                throw IngestRejection(
                    .parse,
                    "text format parsing error in line \(error.line), column \(error.column): \(error.message)")
            }
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
    /// Varint-delimited `io.prometheus.client.MetricFamily` messages (the Go client's push package).
    case protobuf
    /// Any other protobuf encoding (a single message, another message type), refused with 415.
    case otherProtobuf

    /// Protobuf and OpenMetrics by media type; anything else is read as text 0.0.4, as Pushgateway does.
    init(contentType: String?) {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        let media = parts.first?.lowercased() ?? ""
        switch media {
        case "application/vnd.google.protobuf":
            var parameters: [String: String] = [:]
            for part in parts.dropFirst() {
                guard let equals = part.firstIndex(of: "=") else { continue }
                let name = part[..<equals].trimmingCharacters(in: " \t").lowercased()
                parameters[name] = part[part.index(after: equals)...].trimmingCharacters(in: " \t\"")
            }
            let delimited =
                parameters["proto"] == "io.prometheus.client.MetricFamily" && parameters["encoding"] == "delimited"
            self = delimited ? .protobuf : .otherProtobuf
        case "application/openmetrics-text": self = .openMetrics
        default: self = .text
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
