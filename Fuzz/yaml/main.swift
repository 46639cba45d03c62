import KlaxonConfig

/// Feeds arbitrary bytes to the YAML parser and the klaxon.yml loader: they must throw or answer, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let node = try? YAML.parse(bytes: bytes, file: "fuzz.yml", limits: YAMLLimits(maxBytes: 1 << 16, maxDepth: 32)) {
        _ = node.mark.description
    }
    let environment = ["HOST": "127.0.0.1", "PORT": "9477", "KLAXON_ENV": size % 2 == 0 ? "prod" : ""]
    do {
        let configuration = try KlaxonConfigurationLoader.parse(
            bytes: bytes, file: "fuzz.yml", environment: environment)
        _ = configuration.store.description
        for scrape in configuration.scrapeConfigs {
            _ = scrape.json?.metrics.map(\.path.description)
        }
    } catch {
        _ = error.description
    }
    return 0
}
