import KlaxonConfig
import Testing

@Suite struct SupportingValueTests {
    @Test(arguments: [
        ("127.0.0.1:9477", "127.0.0.1", 9477), ("localhost:80", "localhost", 80), ("[::1]:9090", "::1", 9090),
        (":9477", "", 9477), ("engine-1.internal:65535", "engine-1.internal", 65535),
    ])
    func hostPortParses(text: String, host: String, port: Int) throws {
        let parsed = try HostPort(parsing: text, allowsEmptyHost: true)
        #expect(parsed == HostPort(host: host, port: port))
    }

    @Test(arguments: [
        "localhost", "host:", "host:65536", "host:-1", "host:0", "host:+80", "::1:80", "[::1]80", "a b:1", "host:８０",
    ])
    func hostPortRefuses(text: String) {
        #expect(throws: HostPortError.self) { try HostPort(parsing: text, allowsEmptyHost: true) }
    }

    @Test func targetsNeedAHost() {
        #expect(throws: HostPortError.self) { try HostPort(parsing: ":9100", allowsEmptyHost: false) }
    }

    @Test(arguments: [
        ("a.b[*].c", "a.b[*].c"), ("$.data.items[0].value", "data.items[0].value"), ("[*].v", "[*].v"),
        ("value", "value"), ("a[*][1]", "a[*][1]"),
    ])
    func jsonPathParses(text: String, canonical: String) throws {
        #expect(try JSONPath(parsing: text).description == canonical)
    }

    @Test(arguments: ["", "$", "a..b", "a.", ".a", "a[", "a[x]", "a[-1]", "a]b", "a[*]b"])
    func jsonPathRefuses(text: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: text) }
    }

    @Test func storeURLs() throws {
        #expect(try StoreConfiguration(parsing: "sqlite:data/klaxon.db").kind == .sqlite(path: "data/klaxon.db"))
        #expect(try StoreConfiguration(parsing: "sqlite:///var/lib/k.db").kind == .sqlite(path: "/var/lib/k.db"))
        let postgres = try StoreConfiguration(parsing: "postgres://klaxon:s3cret@db:5432/klaxon")
        #expect(postgres.kind == .postgres(url: "postgres://klaxon:s3cret@db:5432/klaxon"))
        #expect(postgres.description == "postgres://klaxon:***@db:5432/klaxon")
        #expect(throws: StoreURLError.unsupportedScheme("mysql")) { try StoreConfiguration(parsing: "mysql://x") }
        #expect(throws: StoreURLError.emptySQLitePath) { try StoreConfiguration(parsing: "sqlite:") }
    }
}
