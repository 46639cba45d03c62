import KlaxonIngest
import KlaxonMetrics

/// Feeds arbitrary bytes to the protobuf push decoder, with and without grouping labels: it must return
/// families or throw an error pointing inside the body, and what it returns must go into a store whole
/// or be refused whole.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = decode(bytes, ProtobufFamilyDecoder(sizeLimit: 1 << 16))
    let overrides = [Label("job", "fuzz"), Label("instance", "")]
    let grouped = ProtobufFamilyDecoder(sizeLimit: 1 << 16, labelOverrides: overrides)
    guard let families = decode(bytes, grouped) else { return 0 }
    for family in families {
        precondition(!family.samples.isEmpty, "a family without samples was returned")
        for sample in family.samples {
            let names = sample.labels.map(\.name)
            precondition(zip(names, names.dropFirst()).allSatisfy { $0 < $1 }, "labels not sorted and unique")
            precondition(sample.labels.contains(Label("job", "fuzz")), "grouping label missing")
            precondition(!names.contains("instance"), "an empty override must remove the label")
            precondition(sample.labels.allSatisfy { !$0.value.isEmpty }, "empty label value kept")
            precondition(sample.name.hasPrefix(family.name), "sample \(sample.name) outside family \(family.name)")
        }
    }
    let store = SeriesStore(options: SeriesStoreOptions(maxSeries: 1000))
    let owner = SeriesOwner.pushGroup(Labels([Label("job", "fuzz")]))
    do {
        try store.replace(owner: owner, with: families, now: 1_767_225_600_000)
        let rendered = ExpositionWriter.render(store.snapshot(), format: .text)
        precondition(families.isEmpty || !rendered.isEmpty, "accepted families rendered nothing")
    } catch {
        precondition(store.statistics.liveSeries == 0, "a refused batch left series behind")
    }
    return 0
}

private func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ decoder: ProtobufFamilyDecoder) -> [ParsedFamily]? {
    do {
        return try decoder.decode(bytes)
    } catch {
        precondition(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) outside the body")
        _ = error.description
        return nil
    }
}
