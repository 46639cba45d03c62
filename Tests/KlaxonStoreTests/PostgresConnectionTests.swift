import KlaxonConfig
import KlaxonRouting
import KlaxonTestSupport
import Testing

@testable import KlaxonStore

@Suite struct PostgresConnectionTests {
    @Test func aFailedConnectionNamesNeitherTheURLNorThePassword() throws {
        let port = try FreePort.next()
        let url = "postgres://klaxon:s3cr%40t-pw@127.0.0.1:\(port)/klaxon?connect_timeout=2"
        let error = #expect(throws: StoreError.self) {
            _ = try AlertStoreFactory.open(
                StoreConfiguration(kind: .postgres(url: url)), dataDirectory: "/nonexistent", instance: "a")
        }
        #expect(error?.kind == .unavailable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("cannot connect to PostgreSQL"))
        #expect(!message.contains("s3cr"), "\(message)")
        #expect(!message.contains("postgres://"), "\(message)")
    }

    @Test func passwordsAreScrubbedRawAndDecoded() {
        let secret = PostgresSecret(url: "postgresql://u:p%40ss@h:5432/db?sslmode=require&password=other")
        #expect(secret.scrub("a p%40ss b p@ss c other") == "a *** b *** c ***")
        #expect(PostgresSecret(url: "postgres://u@h/db").scrub("u@h") == "u@h")
    }
}
